// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.service;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import java.time.LocalDateTime;
import java.time.ZoneId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The code configuration that replaced logback.xml: same levels, same line, a stack trace after it. */
class StderrConfiguratorTest {

    private final LoggerContext context = new LoggerContext();

    @AfterEach
    void stop() {
        context.stop();
        System.clearProperty("logback.configurationFile");
    }

    @Test
    void stderrGetsEveryLoggerAtInfoAndNettyAtWarn() {
        StderrConfigurator configurator = new StderrConfigurator();
        configurator.setContext(context);
        assertThat(configurator.configure(context)).isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        // POSTAL_LOG_LEVEL, when the test runner has it, is what the root gets.
        String wanted = System.getenv("POSTAL_LOG_LEVEL");
        assertThat(root.getLevel()).isEqualTo(Level.toLevel(wanted, Level.INFO));
        assertThat(context.getLogger("io.netty").getLevel()).isEqualTo(Level.WARN);
        assertThat(root.getAppender("STDERR")).isInstanceOfSatisfying(ConsoleAppender.class,
                a -> assertThat(a.getTarget()).isEqualTo("System.err"));
    }

    @Test
    void aNamedConfigurationFileIsLeftToJoran() {
        System.setProperty("logback.configurationFile", "logback-journal.xml");
        StderrConfigurator configurator = new StderrConfigurator();
        configurator.setContext(context);
        assertThat(configurator.configure(context)).isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
        assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().hasNext()).isFalse();
    }

    @Test
    void aLineIsTimeLevelSimpleNameAndMessage() {
        StderrLayout layout = new StderrLayout();
        LoggingEvent event = new LoggingEvent("x", context.getLogger("org.postal.daemon.sink.Sink"), Level.WARN,
                "{} messages", null, new Object[] {7});
        event.setInstant(LocalDateTime.of(2026, 11, 26, 3, 4, 5, 67_000_000).atZone(ZoneId.systemDefault()).toInstant());
        assertThat(layout.doLayout(event)).isEqualTo("03:04:05.067 WARN  Sink: 7 messages" + System.lineSeparator());
    }

    @Test
    void aLoggedExceptionFollowsWithItsStackTrace() {
        StderrLayout layout = new StderrLayout();
        LoggingEvent event = new LoggingEvent("x", context.getLogger("Top"), Level.ERROR, "failed",
                new IllegalStateException("broken"), null);
        String text = layout.doLayout(event);
        assertThat(text).matches("(?s)\\d\\d:\\d\\d:\\d\\d\\.\\d{3} ERROR Top: failed\\R"
                + "java.lang.IllegalStateException: broken\\R\\s+at .*");
    }
}
