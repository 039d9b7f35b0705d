// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon;

import java.util.Arrays;
import org.postal.daemon.config.ConfigLoader;
import org.postal.daemon.load.Jit;
import org.postal.daemon.load.mailbox.RabidMain;
import org.postal.daemon.load.smtp.SmtpLoadMain;

/**
 * {@code JitCheck postal|rabid ARGS...}: prints {@code short} or {@code long}, the JIT the launcher
 * starts that run's JVM with ({@link Jit}). The program's own parser reads the options and the file
 * {@code --config} names, so the bounds count wherever and however they are written; arguments that
 * do not parse print {@code long}, and the run itself then reports what is wrong.
 */
public final class JitCheck {

    private JitCheck() {
    }

    public static void main(String[] args) {
        String[] rest = Arrays.copyOfRange(args, Math.min(1, args.length), args.length);
        ConfigLoader.Loaded<Jit> choice = switch (args.length == 0 ? "" : args[0]) {
            case "postal" -> SmtpLoadMain.jit(rest);
            case "rabid" -> RabidMain.jit(rest);
            default -> new ConfigLoader.Loaded.Ok<>(Jit.LONG);
        };
        Jit jit = choice instanceof ConfigLoader.Loaded.Ok<Jit> ok ? ok.config() : Jit.LONG;
        System.out.println(jit.name().toLowerCase(java.util.Locale.ROOT));
    }
}
