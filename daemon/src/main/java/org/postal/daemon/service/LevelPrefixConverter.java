// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.service;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * {@code %syslogprefix}: the sd-daemon(3) priority prefix ({@code <3>} error, {@code <4>} warning,
 * {@code <6>} info, {@code <7>} debug) that journald turns into the entry's priority, so
 * {@code journalctl -p warning -u bhm} works.
 */
public final class LevelPrefixConverter extends ClassicConverter {

    @Override
    public String convert(ILoggingEvent event) {
        return switch (event.getLevel().toInt()) {
            case Level.ERROR_INT -> "<3>";
            case Level.WARN_INT -> "<4>";
            case Level.INFO_INT -> "<6>";
            default -> "<7>";
        };
    }
}
