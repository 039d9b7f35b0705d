// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.dns;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DefaultDnsQuery;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DnsQuery;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.util.concurrent.Promise;
import java.util.concurrent.TimeUnit;
import org.postal.daemon.load.RateSchedule;

/**
 * One UDP socket or TCP connection of postal-dns: claims questions from the shared schedule,
 * sends each at its intended time whether or not earlier ones were answered (open loop), and
 * matches answers by their 16-bit ID (RFC 1035 section 4.1.1). Everything runs on its event loop.
 *
 * <p>Latency runs from the intended time, so a question held back because {@code limit} questions
 * are already in flight, or because the loop was late, is charged to the server, not hidden.
 */
final class DnsSocket extends SimpleChannelInboundHandler<DnsResponse> {

    private static final int IDS = 1 << 16;
    private static final long NONE = Long.MIN_VALUE + 2;
    /** A question due this soon is sent now: a timer that short costs more than it is late. */
    private static final long EARLY_NANOS = TimeUnit.MICROSECONDS.toNanos(50);
    private static final int BATCH = 64;

    private final DnsLoad load;
    private final EventLoop loop;
    private final int limit;
    private final long[] intended = new long[IDS];
    private final long[] sentAt = new long[IDS];
    private final DnsRecordType[] types = new DnsRecordType[IDS];
    private Channel channel;
    private Promise<Void> probe;
    private int inFlight;
    private int lastId;
    private long token = NONE;
    private boolean timerSet;
    private boolean exhausted;
    private boolean waitingResume;
    private boolean finished;

    DnsSocket(DnsLoad load, EventLoop loop, int limit, int firstId) {
        super(DnsResponse.class);
        this.load = load;
        this.loop = loop;
        this.limit = limit;
        this.lastId = firstId & 0xffff;
    }

    /**
     * The socket is open: one question of its own, not counted, before the clock starts. Its
     * answer shows the server is there, and the codec's classes are loaded and run once, so the
     * first second of the run does not measure the JVM starting up.
     */
    Promise<Void> probe(Channel ch) {
        channel = ch;
        probe = loop.newPromise();
        DnsQuery query = load.tcp() ? new DefaultDnsQuery(lastId) : new DatagramDnsQuery(null, load.server(), lastId);
        query.setRecursionDesired(true).addRecord(DnsSection.QUESTION, new DefaultDnsQuestion(".", DnsRecordType.NS));
        channel.writeAndFlush(query, channel.voidPromise());
        return probe;
    }

    /** Start sending, and look for lost answers a few times per timeout. */
    void begin() {
        long sweep = Math.max(1, Math.min(TimeUnit.MILLISECONDS.toNanos(100), load.timeoutNanos() / 4));
        loop.scheduleAtFixedRate(this::expire, sweep, sweep, TimeUnit.NANOSECONDS);
        pump();
    }

    EventLoop loop() {
        return loop;
    }

    /** The run is stopping: a socket waiting for a later question stops waiting. */
    void wake() {
        loop.execute(() -> {
            waitingResume = false;
            pump();
        });
    }

    private void pump() {
        if (finished) {
            return;
        }
        RateSchedule schedule = load.schedule();
        int batch = 0;
        while (true) {
            long now = System.nanoTime();
            if (token == NONE && !exhausted) {
                token = schedule.claim(now);
                if (token == RateSchedule.PAUSED) {
                    token = NONE;
                    if (!waitingResume) {
                        waitingResume = true;
                        schedule.whenResumed(this::wake);
                    }
                    break;
                }
            }
            if (token == RateSchedule.DONE || exhausted || load.pastEnd(token)) {
                token = NONE;
                exhausted = true;
                break;
            }
            if (inFlight >= limit) {
                break; // the next answer or timeout calls pump again
            }
            if (token - now > EARLY_NANOS) {
                if (!timerSet) {
                    timerSet = true;
                    loop.schedule(() -> {
                        timerSet = false;
                        pump();
                    }, token - now, TimeUnit.NANOSECONDS);
                }
                break;
            }
            send(token, now);
            token = NONE;
            if (++batch == BATCH) {
                channel.flush();
                batch = 0;
            }
        }
        if (batch > 0) {
            channel.flush();
        }
        finishIfDone();
    }

    private void send(long due, long now) {
        int id = lastId;
        do {
            id = (id + 1) & 0xffff;
        } while (types[id] != null);
        lastId = id;
        Query q = load.source().next();
        DnsQuery query = load.tcp() ? new DefaultDnsQuery(id) : new DatagramDnsQuery(null, load.server(), id);
        query.setRecursionDesired(true);
        query.addRecord(DnsSection.QUESTION, new DefaultDnsQuestion(q.name(), q.type()));
        types[id] = q.type();
        intended[id] = due;
        sentAt[id] = now;
        inFlight++;
        load.stats().sent.increment();
        channel.write(query, channel.voidPromise());
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DnsResponse response) {
        int id = response.id();
        if (probe != null && !probe.isDone() && id == lastId) {
            probe.setSuccess(null);
            return;
        }
        DnsRecordType type = types[id];
        if (type == null) {
            return; // the answer to a question already counted as timed out
        }
        load.stats().answer(type, Rcodes.name(response.code()), System.nanoTime() - intended[id]);
        release(id);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        pump();
    }

    /** Questions unanswered for longer than the timeout count as timed out; their IDs are free again. */
    private void expire() {
        if (inFlight == 0) {
            finishIfDone();
            return;
        }
        long oldest = System.nanoTime() - load.timeoutNanos();
        for (int id = 0; id < IDS; id++) {
            if (types[id] != null && sentAt[id] - oldest < 0) {
                load.stats().lost(types[id], DnsStats.TIMEOUT);
                release(id);
            }
        }
        pump();
    }

    private void release(int id) {
        types[id] = null;
        inFlight--;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        // A TCP server may close an idle or busy connection (RFC 7766 section 6.2.3): what was in
        // flight is lost, and the run ends there for this socket rather than hiding the outage.
        for (int id = 0; id < IDS; id++) {
            if (types[id] != null) {
                load.stats().lost(types[id], DnsStats.CLOSED);
                release(id);
            }
        }
        finished();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        load.socketError(cause);
        // Over UDP an ICMP "port unreachable" reaches the socket as an error: the server is down or
        // restarting, and the questions in flight time out; the socket stays open to ask on.
        if (load.tcp()) {
            ctx.close();
        }
    }

    private void finishIfDone() {
        if (inFlight == 0 && exhausted) {
            finished();
        }
    }

    private void finished() {
        if (!finished) {
            finished = true;
            load.socketFinished();
        }
    }
}
