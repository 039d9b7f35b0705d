// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.mailbox;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import org.postal.daemon.config.ConfigLoader.Loaded;
import org.postal.daemon.config.ConfigLoader;
import org.postal.daemon.config.ProgramArgs;
import org.postal.daemon.load.LoadRun;
import org.postal.daemon.load.UserPool;
import org.postal.daemon.service.JsvcProgram;
import org.postal.daemon.service.MemoryLock;
import org.postal.daemon.service.RunHandle;
import org.postal.daemon.service.Sysexits;

/**
 * Entry point of {@code rabid}, the POP3/IMAP reader: parse, load the accounts, run the sessions
 * until --count, --duration or a signal, print the summary. {@code --probe} runs one verbose
 * session instead.
 */
public final class RabidMain {

    private RabidMain() {
    }

    public static void main(String[] args) throws Exception {
        RunHandle.main("rabid", args, RabidMain::run);
    }

    /** rabid under jsvc ({@code org.postal.daemon.JsvcDaemon}): binds nothing as root, then {@link #run}. */
    public static JsvcProgram<?, ?> jsvc() {
        return new JsvcProgram<>("rabid", RabidMain::load, JsvcProgram.bindsNothing(), RunHandle::new, RabidMain::run,
                RunHandle::stop);
    }

    private static Loaded<RabidConfig> load(String[] args) {
        return ConfigLoader.load(RabidCommand::new, RabidCommand::toConfig, args);
    }

    /** Runs rabid; the caller installs signal handlers that call {@code run.stop()}/{@code run.stopNow()}. */
    public static int run(String[] args, PrintStream out, PrintStream err, RunHandle run) throws Exception {
        ProgramArgs<RabidConfig> parsed = ProgramArgs.parse("rabid", RabidCommand::new, RabidCommand::toConfig, args,
                out, err);
        if (parsed instanceof ProgramArgs.Exit<RabidConfig> exit) {
            return exit.status();
        }
        RabidConfig config = ((ProgramArgs.Run<RabidConfig>) parsed).config();
        int locked = MemoryLock.lockIfWanted(config.output().lockMemory(), "rabid", err);
        if (locked != 0) {
            return locked;
        }
        UserPool users;
        try {
            users = Accounts.load(config.target().accounts(), config.target().probe());
        } catch (NoSuchFileException e) {
            err.println("rabid: cannot open \"" + e.getFile() + "\": no such file");
            return Sysexits.EX_NOINPUT;
        } catch (IOException e) {
            err.println("rabid: " + e.getMessage());
            return Sysexits.EX_CONFIG;
        }
        boolean probe = config.probe();
        RabidConfig running = probe ? Accounts.probe(config) : config;
        RabidLoad load;
        try {
            load = new RabidLoad(running, users, err, probe ? new ProbeRecorder(out) : null);
        } catch (IOException e) {
            err.println("rabid: cannot create " + config.output().log() + ": " + e.getMessage());
            return Sysexits.EX_CANTCREAT;
        }
        try {
            new LoadRun<>(running, () -> load(args), probe).run(load, run, out, err);
        } catch (LoadRun.LogFailed e) {
            err.println(e.getMessage());
            return Sysexits.EX_IOERR;
        } catch (LoadRun.CannotCreate e) {
            err.println("rabid: cannot create " + e.getMessage());
            return Sysexits.EX_CANTCREAT;
        }
        if (probe && (load.stats().errors.sum() > 0 || load.stats().connections.sum() == 0)) {
            err.println("rabid: the probe session failed (see the errors above)");
            return Sysexits.EX_MISMATCH;
        }
        return 0;
    }
}
