// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.unix.Socket;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.postal.daemon.service.ListenFds;

/**
 * bhm's listening sockets bound before it serves: by jsvc's {@code init}, as root, so port 25 needs
 * no capability; {@code org.postal.daemon.JsvcDaemon} hands them to the run as systemd would.
 */
final class SinkBinding {

    private static final int BACKLOG = 1024;

    private SinkBinding() {
    }

    /** Binds and listens on every address and port of {@code config}: "smtp", and "smtps" with a TLS port. */
    static List<ListenFds.Passed> bind(SinkConfig config) throws IOException {
        Epoll.ensureAvailability();
        List<ListenFds.Passed> bound = new ArrayList<>();
        try {
            for (InetAddress address : config.listen().bind()) {
                bound.add(listen(address, config.listen().port(), "smtp"));
                if (config.tls().port() >= 0) {
                    bound.add(listen(address, config.tls().port(), "smtps"));
                }
            }
        } catch (IOException e) {
            ListenFds.close(bound);
            throw e;
        }
        return List.copyOf(bound);
    }

    private static ListenFds.Passed listen(InetAddress address, int port, String name) throws IOException {
        Socket socket = Socket.newSocketStream();
        try {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(address, port));
            socket.listen(BACKLOG);
        } catch (IOException e) {
            socket.close();
            throw new IOException(new InetSocketAddress(address, port) + ": " + e.getMessage(), e);
        }
        return new ListenFds.Passed(socket.intValue(), name);
    }
}
