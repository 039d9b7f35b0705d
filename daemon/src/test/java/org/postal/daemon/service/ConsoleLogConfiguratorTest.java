// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.service;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.core.ConsoleAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ConsoleLogConfiguratorTest {

    @AfterEach
    void clearProperties() {
        System.clearProperty("POSTAL_LOG_LEVEL");
        System.clearProperty("logback.configurationFile");
    }

    @Test
    void stderrOneLinePerEventNettyAtWarn() {
        LoggerContext context = new LoggerContext();
        assertThat(new ConsoleLogConfigurator().configure(context)).isEqualTo(ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        assertThat(root.getLevel()).isEqualTo(System.getenv("POSTAL_LOG_LEVEL") == null ? Level.INFO
                : ConsoleLogConfigurator.rootLevel(System.getenv("POSTAL_LOG_LEVEL")));
        assertThat(context.getLogger("io.netty").getLevel()).isEqualTo(Level.WARN);
        ConsoleAppender<?> stderr = (ConsoleAppender<?>) root.getAppender("STDERR");
        assertThat(stderr.getTarget()).isEqualTo("System.err");
        assertThat(stderr.isStarted()).isTrue();
        assertThat(((PatternLayoutEncoder) stderr.getEncoder()).getPattern()).isEqualTo(ConsoleLogConfigurator.PATTERN);
    }

    @Test
    void levelFromThePropertyAndUnknownNamesFallBackToInfo() {
        System.setProperty("POSTAL_LOG_LEVEL", "debug");
        LoggerContext context = new LoggerContext();
        new ConsoleLogConfigurator().configure(context);
        assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.DEBUG);
        assertThat(ConsoleLogConfigurator.rootLevel(" WARN ")).isEqualTo(Level.WARN);
        assertThat(ConsoleLogConfigurator.rootLevel("loud")).isEqualTo(Level.INFO);
        assertThat(ConsoleLogConfigurator.rootLevel(null)).isEqualTo(Level.INFO);
    }

    @Test
    void anExplicitConfigurationFileIsLeftToLogback() {
        System.setProperty("logback.configurationFile", Logging.JOURNAL_CONFIG);
        LoggerContext context = new LoggerContext();
        assertThat(new ConsoleLogConfigurator().configure(context)).isEqualTo(ExecutionStatus.INVOKE_NEXT_IF_ANY);
        assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDERR")).isNull();
    }

    @Test
    void logbackFindsItThroughTheServiceFile() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        ConsoleAppender<?> stderr = (ConsoleAppender<?>) context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDERR");
        assertThat(((PatternLayoutEncoder) stderr.getEncoder()).getPattern()).isEqualTo(ConsoleLogConfigurator.PATTERN);
    }
}
