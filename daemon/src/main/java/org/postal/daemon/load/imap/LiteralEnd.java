// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.imap;

/**
 * The end of a literal's content; the response it belongs to goes on after it.
 *
 * @param size the literal's length in octets, as in its {@link LiteralStart}
 */
public record LiteralEnd(long size) {
}
