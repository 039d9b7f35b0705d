// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.message;

import io.netty.buffer.ByteBufAllocator;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the message generators of one postal run share: the options, the seed, the run's
 * identity, the random pool and the clock. Built once at start; thread-safe.
 *
 * <p>Everything random in a message comes from {@code seed}: the pool from one stream of it and
 * each generator from its own, so a run repeated with the same seed and the same stream numbers
 * sends the same bodies and Subjects. Dates follow the clock and Message-IDs the {@link RunId},
 * which is deliberately not derived from the seed.
 */
public final class MessageSource implements AutoCloseable {
    private static final long POOL_STREAM = -1;

    private final MessageSpec spec;
    private final long seed;
    private final RunId run;
    private final Clock clock;
    private final RandomPool pool;
    /** The run-wide message sequence: with the run id, the identity a ledger records (dense from 0). */
    private final AtomicLong sequence = new AtomicLong();

    /** A source with the default pool size. */
    public MessageSource(MessageSpec spec, long seed, RunId run, Clock clock) {
        this(spec, seed, run, clock, RandomPool.DEFAULT_LINE_BYTES);
    }

    /** A source whose pool has a line region of {@code poolLineBytes}. */
    public MessageSource(MessageSpec spec, long seed, RunId run, Clock clock, int poolLineBytes) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.seed = seed;
        this.run = Objects.requireNonNull(run, "run");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.pool = RandomPool.create(streamSeed(seed, POOL_STREAM), poolLineBytes, spec.sizes().maxBytes());
    }

    /**
     * A generator for one event loop or connection, seeded from the run's seed and {@code stream};
     * distinct streams, at least 0, give independent sequences and distinct Message-IDs.
     */
    public MessageGenerator generator(int stream, ByteBufAllocator alloc) {
        if (stream < 0) {
            throw new IllegalArgumentException("stream " + stream + " is negative");
        }
        return new MessageGenerator(this, stream, streamSeed(seed, stream), alloc);
    }

    public MessageSpec spec() {
        return spec;
    }

    /** The {@code --seed} value, to print at start so the run can be repeated. */
    public long seed() {
        return seed;
    }

    public RunId run() {
        return run;
    }

    /** The next number of the run-wide sequence; run id and sequence name one message everywhere. */
    long nextSequence() {
        return sequence.getAndIncrement();
    }

    public RandomPool pool() {
        return pool;
    }

    Clock clock() {
        return clock;
    }

    /** Drops the source's hold on the pool; messages still in flight keep it alive. */
    @Override
    public void close() {
        pool.close();
    }

    /**
     * A seed for one stream. {@link java.util.SplittableRandom} seeds that differ by multiples of
     * its gamma give shifted copies of one sequence, so the pair is scrambled with the SplitMix64
     * finaliser rather than added.
     */
    static long streamSeed(long seed, long stream) {
        return mix(seed ^ mix(stream + 0x9E3779B97F4A7C15L));
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
