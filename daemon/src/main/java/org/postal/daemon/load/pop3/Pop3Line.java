// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.pop3;

import java.util.Objects;

/**
 * One dot-unstuffed line of a multi-line listing (CAPA, LIST, UIDL), without its line end.
 *
 * @param text the line as sent, less a leading stuffed "."
 */
public record Pop3Line(String text) {

    public Pop3Line {
        Objects.requireNonNull(text, "text");
    }
}
