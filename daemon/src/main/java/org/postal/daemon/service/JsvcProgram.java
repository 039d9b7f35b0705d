// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.service;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.postal.daemon.config.ConfigLoader;

/**
 * One daemon as Apache Commons Daemon's jsvc runs it ({@code org.postal.daemon.JsvcDaemon}): how it
 * reads its options and config file, what it takes as root, and the same run and clean stop its
 * main uses.
 *
 * @param name    bhm, postal or rabid
 * @param load    reads the options and the file {@code --config} names, as a reload would
 * @param bind    as root, before jsvc switches users: the listening sockets the config needs
 * @param handle  the object the run and its stop share, made for the service the run reports to
 * @param body    the run itself ({@code SinkMain.run} and its kind): the exit status
 * @param stop    asks for the clean stop, before, during or after the run
 * @param <C>     the program's config record
 * @param <R>     the run's handle
 */
public record JsvcProgram<C, R>(String name, Function<String[], ConfigLoader.Loaded<C>> load, Binder<C> bind,
                                Function<Service, R> handle, Body<R> body, Consumer<R> stop) {

    /** Binds as root what the config needs; on failure closes what it bound before throwing. */
    @FunctionalInterface
    public interface Binder<C> {
        List<ListenFds.Passed> bind(C config) throws IOException;
    }

    /** A program's run on its own thread, until done or stopped. */
    @FunctionalInterface
    public interface Body<R> {
        int run(String[] args, PrintStream out, PrintStream err, R handle) throws Exception;
    }

    /** For the load generators: clients bind nothing as root. */
    public static <C> Binder<C> bindsNothing() {
        return config -> List.of();
    }
}
