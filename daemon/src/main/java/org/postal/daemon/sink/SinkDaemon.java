// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.unix.Socket;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.commons.daemon.Daemon;
import org.apache.commons.daemon.DaemonContext;
import org.apache.commons.daemon.DaemonInitException;
import org.postal.daemon.service.ListenFds;
import org.postal.daemon.service.Logging;
import org.postal.daemon.service.Privileges;
import org.postal.daemon.service.Service;
import picocli.CommandLine;

/**
 * bhm for Apache Commons Daemon's jsvc, on guests without systemd ({@code /etc/init.d/bhm}):
 * <pre>
 * jsvc -user postal -pidfile /run/postal/bhm.pid -outfile /var/log/postal/bhm.csv \
 *      -errfile /var/log/postal/bhm.err -cp '/usr/share/postal/lib/*' \
 *      org.postal.daemon.sink.SinkDaemon --config /etc/postal/bhm.conf
 * </pre>
 * {@link #init} runs as root: it parses the options and binds the listening sockets (port 25)
 * and nothing else, so no file is created as root. jsvc then switches to {@code postal};
 * {@link #start} refuses to go on as root, and serves on the sockets bound in init exactly as
 * it would on sockets passed by systemd. {@link #stop} is SIGTERM's clean stop.
 */
public final class SinkDaemon implements Daemon {

    private String[] args;
    private final List<ListenFds.Passed> bound = new ArrayList<>();
    private SinkMain.Running running;
    private Thread thread;
    private volatile int exitStatus = -1;

    @Override
    public void init(DaemonContext context) throws DaemonInitException {
        Logging.configure(System.getenv());
        args = context.getArguments();
        SinkConfig config;
        try {
            SinkCommand command = new SinkCommand();
            new CommandLine(command).parseArgs(args);
            config = command.toConfig();
        } catch (CommandLine.ParameterException | IllegalArgumentException e) {
            throw new DaemonInitException("bhm: " + e.getMessage());
        }
        try {
            Epoll.ensureAvailability();
            for (InetAddress address : config.listen().bind()) {
                bind(address, config.listen().port(), "smtp");
                if (config.tls().port() >= 0) {
                    bind(address, config.tls().port(), "smtps");
                }
            }
        } catch (IOException | UnsatisfiedLinkError e) {
            destroy();
            throw new DaemonInitException("bhm: cannot listen: " + e.getMessage(), e);
        }
    }

    private void bind(InetAddress address, int port, String name) throws IOException {
        Socket socket = Socket.newSocketStream();
        try {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(address, port));
            socket.listen(1024);
        } catch (IOException e) {
            socket.close();
            throw new IOException(new InetSocketAddress(address, port) + ": " + e.getMessage(), e);
        }
        bound.add(new ListenFds.Passed(socket.intValue(), name));
    }

    @Override
    public void start() throws Exception {
        Privileges.requireNotRoot("bhm");
        Privileges.umask(0027);
        Service service = Service.fromEnvironment("bhm").passing(bound);
        running = new SinkMain.Running(service);
        PrintStream out = System.out;
        thread = new Thread(() -> {
            try {
                exitStatus = SinkMain.run(args, out, System.err, running);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (exitStatus != 0) {
                System.err.println("bhm: stopped with status " + exitStatus);
                System.exit(exitStatus);  // jsvc sees the JVM end and reports the failure
            }
        }, "bhm");
        thread.start();
    }

    @Override
    public void stop() throws Exception {
        if (running != null) {
            running.signal();
            thread.join(TimeUnit.SECONDS.toMillis(10));
        }
    }

    @Override
    public void destroy() {
        if (running == null) {
            // never started: the sockets bound in init are still ours to close
            for (ListenFds.Passed socket : bound) {
                try {
                    new Socket(socket.fd()).close();
                } catch (IOException e) {
                    // already closed
                }
            }
        }
        bound.clear();
    }

    /** The status {@code SinkMain.run} returned, or -1 while it runs. */
    int exitStatus() {
        return exitStatus;
    }
}
