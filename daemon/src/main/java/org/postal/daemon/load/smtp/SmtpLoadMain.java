// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.smtp;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.postal.daemon.config.ConfigLoader.Loaded;
import org.postal.daemon.config.ConfigLoader;
import org.postal.daemon.config.ProgramArgs;
import org.postal.daemon.load.Endpoints;
import org.postal.daemon.load.LoadEngine;
import org.postal.daemon.load.LoadRun;
import org.postal.daemon.load.UserPool;
import org.postal.daemon.service.JsvcProgram;
import org.postal.daemon.service.MemoryLock;
import org.postal.daemon.service.RunHandle;
import org.postal.daemon.service.Sysexits;
import org.postal.daemon.sink.Sink;

/**
 * Entry point of {@code postal}: parse, load the lists, run until --count, --duration or a signal.
 *
 * <p>The first SIGINT or SIGTERM stops starting messages and lets those in flight finish; the
 * second closes every connection at once. Either way the summary is printed. Without servers,
 * postal starts a bhm of its own on a loopback port and checks that it received every message.
 */
public final class SmtpLoadMain {

    private static final UserPool BUILT_IN_USERS = UserPool.of(IntStream.rangeClosed(1, 10)
            .mapToObj(i -> new UserPool.User("user" + i + "@example.com", "password" + i)).toList());

    private SmtpLoadMain() {
    }

    public static void main(String[] args) throws Exception {
        RunHandle.main("postal", args, SmtpLoadMain::run);
    }

    /** postal under jsvc ({@code org.postal.daemon.JsvcDaemon}): binds nothing as root, then this run. */
    public static JsvcProgram<?, ?> jsvc() {
        return new JsvcProgram<>("postal", SmtpLoadMain::load, JsvcProgram.bindsNothing(), RunHandle::new,
                SmtpLoadMain::run, RunHandle::stop);
    }

    private static Loaded<SmtpLoadConfig> load(String[] args) {
        return ConfigLoader.load(SmtpLoadCommand::new, SmtpLoadCommand::toConfig, args);
    }

    static int run(String[] args, PrintStream out, PrintStream err, RunHandle run) throws Exception {
        ProgramArgs<SmtpLoadConfig> parsed = ProgramArgs.parse("postal", SmtpLoadCommand::new,
                SmtpLoadCommand::toConfig, args, out, err);
        if (parsed instanceof ProgramArgs.Exit<SmtpLoadConfig> exit) {
            return exit.status();
        }
        SmtpLoadConfig config = ((ProgramArgs.Run<SmtpLoadConfig>) parsed).config();
        int locked = MemoryLock.lockIfWanted(config.output().lockMemory(), "postal", err);
        if (locked != 0) {
            return locked;
        }
        try (Sink sink = config.embedded() ? Sink.embedded(config.target().lmtp()) : null) {
            Endpoints servers = sink == null ? null
                    : Endpoints.parse("[127.0.0.1]" + sink.addresses().get(0).getPort(), 25);
            SmtpLoadConfig running = sink == null ? config : config.servedBy(servers);
            Supplier<Loaded<SmtpLoadConfig>> reloader = () -> servedBy(load(args), servers);
            UserPool recipients = config.target().recipients() == null ? BUILT_IN_USERS
                    : UserPool.load(config.target().recipients());
            UserPool senders = config.target().senders() == null ? recipients : UserPool.load(config.target().senders());
            SmtpLoad load;
            try {
                load = new SmtpLoad(running, recipients, senders);
            } catch (IOException e) {
                err.println("postal: cannot create " + config.output().log() + ": " + e.getMessage());
                return Sysexits.EX_CANTCREAT;
            }
            Unreachable unreachable = new Unreachable(running.session().timeout(), err);
            new LoadRun<>(running, reloader, false).watching(unreachable).run(load, run, out, err);
            if (unreachable.stopped()) {
                return Sysexits.EX_UNAVAILABLE;
            }
            return sink == null ? 0 : check(sink, load.stats().messages.sum(), err);
        } catch (NoSuchFileException e) {
            err.println("postal: cannot open \"" + e.getFile() + "\": no such file");
            return Sysexits.EX_NOINPUT;
        } catch (LoadRun.LogFailed e) {
            err.println(e.getMessage());
            return Sysexits.EX_IOERR;
        } catch (LoadRun.CannotCreate e) {
            err.println("postal: cannot create " + e.getMessage());
            return Sysexits.EX_CANTCREAT;
        } catch (IOException e) {
            err.println("postal: " + e.getMessage());
            return Sysexits.EX_CONFIG;
        }
    }

    /** A reload against the embedded bhm keeps its address, as the run started with. */
    private static Loaded<SmtpLoadConfig> servedBy(Loaded<SmtpLoadConfig> loaded, Endpoints embedded) {
        if (embedded != null && loaded instanceof Loaded.Ok<SmtpLoadConfig> ok && ok.config().embedded()) {
            return new Loaded.Ok<>(ok.config().servedBy(embedded));
        }
        return loaded;
    }

    /** After a run against the embedded bhm: the end line, and status 1 unless all arrived intact. */
    private static int check(Sink sink, long sent, PrintStream err) {
        sink.close();   // its own closing log line comes first: the verdict is the run's last line
        Sink.Received got = sink.received();
        err.printf("postal: sent %d messages; the embedded bhm received %d, verified %d, corrupt %d%n", sent,
                got.messages(), got.verified(), got.corrupt());
        return got.messages() == sent && got.verified() == sent && got.corrupt() == 0 ? 0 : Sysexits.EX_MISMATCH;
    }

    /** Not one connection in a whole --timeout: the servers are not there; say so and stop (exit 69). */
    private static final class Unreachable implements LoadRun.Watch {
        private final java.time.Duration timeout;
        private final PrintStream err;
        private long giveUp;
        private boolean stopped;

        Unreachable(java.time.Duration timeout, PrintStream err) {
            this.timeout = timeout;
            this.err = err;
        }

        @Override
        public void check(LoadEngine engine) {
            // Counted from the first check, just after the start: every slot's own deadline comes first.
            if (giveUp == 0) {
                giveUp = System.nanoTime() + timeout.toNanos();
            }
            if (!stopped && engine.stats().connections.sum() == 0 && due(engine)) {
                stopped = true;
                err.println("postal: no server accepted a connection within " + timeout.toSeconds() + " s ("
                        + engine.stats().failures() + "); stopping");
                engine.stop();
            }
        }

        /**
         * Past the deadline with no connection set up. The verdict waits for the first session to
         * fail (its own --timeout ran from its connect, a little after the run began) so that the
         * reason printed is the session's, up to one more --timeout when even that has not come.
         */
        private boolean due(LoadEngine engine) {
            long late = System.nanoTime() - giveUp;
            return late > 0 && (!engine.stats().failures().isEmpty() || late > timeout.toNanos());
        }

        boolean stopped() {
            return stopped;
        }
    }
}
