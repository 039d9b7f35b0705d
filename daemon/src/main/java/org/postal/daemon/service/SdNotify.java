// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.service;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import jnr.unixsocket.UnixDatagramChannel;
import jnr.unixsocket.UnixSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * sd_notify(3) without libsystemd: one datagram per state change to the socket systemd names in
 * {@code $NOTIFY_SOCKET}, sent through jnr-unixsocket because Java 17 has no Unix datagram sockets.
 *
 * <p>A path starting with '@' is in the abstract namespace (the '@' stands for the leading NUL).
 * Sending never throws: a lost notification is logged once and the daemon carries on, as
 * libsystemd's does. {@link #NONE} (no socket named) sends nothing. The datagram goes out from this
 * process, so systemd's default {@code NotifyAccess=main} accepts it (no {@code systemd-notify} child).
 */
public final class SdNotify implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SdNotify.class);

    /** Sends nothing: not started by systemd, or in a test. */
    public static final SdNotify NONE = new SdNotify(null);

    private final String socket;
    private UnixDatagramChannel channel;
    private boolean failed;

    private SdNotify(String socket) {
        this.socket = socket;
    }

    /** To the socket at {@code path} ('@name' for the abstract namespace); {@link #NONE} for null or empty. */
    public static SdNotify to(String path) {
        return path == null || path.isEmpty() ? NONE : new SdNotify(path);
    }

    /** To {@code $NOTIFY_SOCKET}, or {@link #NONE} when it is unset. */
    public static SdNotify fromEnvironment(Map<String, String> env) {
        return to(env.get("NOTIFY_SOCKET"));
    }

    public boolean enabled() {
        return socket != null;
    }

    /** The socket's path as systemd gave it, or null. */
    public String socket() {
        return socket;
    }

    /** {@code READY=1}, with a status line when {@code status} is not null. */
    public void ready(String status) {
        send(status == null ? "READY=1" : "READY=1\nSTATUS=" + oneLine(status));
    }

    public void status(String status) {
        send("STATUS=" + oneLine(status));
    }

    public void watchdog() {
        send("WATCHDOG=1");
    }

    /** {@code RELOADING=1} with the CLOCK_MONOTONIC time that systemd 253's Type=notify-reload wants. */
    public void reloading() {
        send("RELOADING=1\nMONOTONIC_USEC=" + System.nanoTime() / 1000);
    }

    public void stopping() {
        send("STOPPING=1");
    }

    /** Sends {@code state} (newline-separated assignments) as one datagram; false if it was not sent. */
    public synchronized boolean send(String state) {
        if (socket == null) {
            return false;
        }
        try {
            if (channel == null) {
                channel = UnixDatagramChannel.open();
                // Never block the caller (an event loop, for WATCHDOG=1) on a full socket, like
                // libsystemd's MSG_DONTWAIT: a notification that cannot go now is dropped.
                channel.configureBlocking(false);
            }
            ByteBuffer datagram = ByteBuffer.wrap(state.getBytes(StandardCharsets.UTF_8));
            return channel.send(datagram, address(socket)) > 0;
        } catch (IOException e) {
            if (String.valueOf(e.getMessage()).contains("temporarily unavailable")) {
                return false;  // EAGAIN: systemd is not reading; the next one may go
            }
            return failed(e);
        } catch (RuntimeException | LinkageError e) {
            return failed(e);
        }
    }

    private boolean failed(Throwable e) {
        if (!failed) {
            failed = true;
            LOG.warn("cannot notify systemd through {}: {}", socket, e.toString());
        }
        return false;
    }

    static UnixSocketAddress address(String socket) {
        return new UnixSocketAddress(socket.charAt(0) == '@' ? "\0" + socket.substring(1) : socket);
    }

    private static String oneLine(String status) {
        return status.replace('\n', ' ');
    }

    @Override
    public synchronized void close() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // nothing was pending
            }
            channel = null;
        }
    }
}
