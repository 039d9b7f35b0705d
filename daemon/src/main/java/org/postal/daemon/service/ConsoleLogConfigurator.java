// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.service;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.status.NopStatusListener;

/**
 * The default Logback configuration, built in code (found through {@code META-INF/services}):
 * diagnostics to stderr, one line per event, {@code io.netty} at WARN, the root at
 * {@code POSTAL_LOG_LEVEL} (a system property or the environment; INFO by default); stdout carries
 * only statistics rows. Parsing the same as {@code logback.xml} cost every program about 0.1 s of
 * CPU at start-up, before its first connection (bench/RESULTS.md). An explicit
 * {@code -Dlogback.configurationFile} (the journal's, chosen by {@link Logging}, or a user's) is
 * left to Logback's own XML configurator.
 */
public final class ConsoleLogConfigurator extends ContextAwareBase implements Configurator {

    static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{0}: %msg%n";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        context.getStatusManager().add(new NopStatusListener());
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        context.getLogger("io.netty").setLevel(Level.WARN);
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(rootLevel(System.getProperty("POSTAL_LOG_LEVEL", System.getenv("POSTAL_LOG_LEVEL"))));
        root.addAppender(stderr);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** The level named (any case), INFO when unset or not a level name, as Logback reads one. */
    static Level rootLevel(String name) {
        return Level.toLevel(name == null ? null : name.trim(), Level.INFO);
    }
}
