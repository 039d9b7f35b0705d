// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.commons.daemon.Daemon;
import org.apache.commons.daemon.DaemonContext;
import org.apache.commons.daemon.DaemonInitException;
import org.postal.daemon.config.ConfigLoader;
import org.postal.daemon.load.mailbox.RabidMain;
import org.postal.daemon.load.smtp.SmtpLoadMain;
import org.postal.daemon.service.JsvcProgram;
import org.postal.daemon.service.ListenFds;
import org.postal.daemon.service.Logging;
import org.postal.daemon.service.Privileges;
import org.postal.daemon.service.Service;
import org.postal.daemon.service.Sysexits;
import org.postal.daemon.sink.SinkMain;

/**
 * bhm, postal and rabid under Apache Commons Daemon's jsvc, on hosts without systemd: the first
 * argument names the program, the rest are its own options. {@code /etc/init.d/bhm} runs
 * <pre>
 * jsvc -user postal -pidfile /run/postal/bhm.pid ... -cp '/usr/share/postal/lib/*' \
 *      org.postal.daemon.JsvcDaemon bhm --config /etc/postal/bhm.conf
 * </pre>
 * through the launcher ({@code POSTAL_JSVC}), so the JVM flags are the same as by hand.
 * {@link #init} runs as root: it reads the options and the config file (a bad one ends jsvc there,
 * with the reason) and binds the listening sockets bhm needs (port 25), nothing else, so no file is
 * made as root. jsvc then switches to {@code postal}; {@link #start} refuses to go on as root and runs
 * the program as its main would, bhm serving on the sockets from init. {@link #stop} is the clean
 * stop of a first SIGTERM.
 */
public final class JsvcDaemon implements Daemon {

    private static final long STOP_WAIT_SECONDS = 10;

    private Lifecycle<?, ?> lifecycle;

    @Override
    public void init(DaemonContext context) throws DaemonInitException {
        Logging.configure(System.getenv());
        String[] all = context.getArguments();
        if (all == null || all.length == 0) {
            throw new DaemonInitException("JsvcDaemon: name the program first: bhm, postal or rabid");
        }
        JsvcProgram<?, ?> program = switch (all[0]) {
            case "bhm" -> SinkMain.jsvc();
            case "postal" -> SmtpLoadMain.jsvc();
            case "rabid" -> RabidMain.jsvc();
            default -> throw new DaemonInitException("JsvcDaemon: no program \"" + all[0]
                    + "\" (bhm, postal or rabid)");
        };
        lifecycle = Lifecycle.init(program, Arrays.copyOfRange(all, 1, all.length));
    }

    @Override
    public void start() {
        lifecycle.start();
    }

    @Override
    public void stop() throws InterruptedException {
        lifecycle.stop();
    }

    @Override
    public void destroy() {
        if (lifecycle != null) {
            lifecycle.destroy();
        }
    }

    /** The status the run returned, or -1 while it runs (or before). */
    int exitStatus() {
        return lifecycle == null ? -1 : lifecycle.exitStatus;
    }

    /** One program's init, start, stop and destroy, typed by its config and run handle. */
    private static final class Lifecycle<C, R> {
        private final JsvcProgram<C, R> program;
        private final String[] args;
        private final List<ListenFds.Passed> bound;
        private R handle;
        private Thread thread;
        private volatile int exitStatus = -1;

        private Lifecycle(JsvcProgram<C, R> program, String[] args, List<ListenFds.Passed> bound) {
            this.program = program;
            this.args = args;
            this.bound = bound;
        }

        static <C, R> Lifecycle<C, R> init(JsvcProgram<C, R> program, String[] args) throws DaemonInitException {
            ConfigLoader.Loaded<C> loaded = program.load().apply(args);
            if (loaded instanceof ConfigLoader.Loaded.Failed<C> failed) {
                throw new DaemonInitException(program.name() + ": " + failed.error().getMessage());
            }
            C config = ((ConfigLoader.Loaded.Ok<C>) loaded).config();
            try {
                return new Lifecycle<>(program, args, program.bind().bind(config));
            } catch (IOException | UnsatisfiedLinkError e) {
                throw new DaemonInitException(program.name() + ": cannot listen: " + e.getMessage(), e);
            }
        }

        void start() {
            Privileges.requireNotRoot(program.name());
            Privileges.umask(0027);
            handle = program.handle().apply(Service.fromEnvironment(program.name()).passing(bound));
            thread = new Thread(this::run, program.name());
            thread.start();
        }

        private void run() {
            try {
                exitStatus = program.body().run(args, System.out, System.err, handle);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exitStatus = 0;
            } catch (Exception e) {
                System.err.println(program.name() + ": " + e);
                exitStatus = Sysexits.EX_SOFTWARE;
            }
            if (exitStatus != 0) {
                System.err.println(program.name() + ": stopped with status " + exitStatus);
                System.exit(exitStatus);  // jsvc sees the JVM end and reports the failure
            }
        }

        void stop() throws InterruptedException {
            if (handle != null) {
                program.stop().accept(handle);
                thread.join(TimeUnit.SECONDS.toMillis(STOP_WAIT_SECONDS));
            }
        }

        void destroy() {
            if (handle == null) {
                ListenFds.close(bound);  // never served: the sockets from init are still ours to close
            }
        }
    }
}
