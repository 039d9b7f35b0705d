// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.service;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.status.NopStatusListener;

/**
 * Logback's configuration outside the journal, in code rather than XML: one line per event on
 * stderr ({@link StderrLayout}), Netty at WARN, the root at {@code POSTAL_LOG_LEVEL} (INFO).
 * Parsing an XML configuration cost every program start about a tenth of a second of CPU.
 *
 * <p>Found through {@code META-INF/services}; when {@link Logging} or the user names a
 * configuration file ({@code logback.configurationFile}, as for the journal), it steps aside.
 */
public final class StderrConfigurator extends ContextAwareBase implements Configurator {

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        context.getStatusManager().add(new NopStatusListener());
        StderrLayout layout = new StderrLayout();
        layout.setContext(context);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(level(), Level.INFO));
        root.addAppender(stderr);
        context.getLogger("io.netty").setLevel(Level.WARN);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** {@code POSTAL_LOG_LEVEL} as Logback's {@code ${POSTAL_LOG_LEVEL}} finds it: property, then environment. */
    private static String level() {
        String level = System.getProperty("POSTAL_LOG_LEVEL");
        return level != null ? level : System.getenv("POSTAL_LOG_LEVEL");
    }
}
