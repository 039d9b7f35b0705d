// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.pop3;

/**
 * The end of a multi-line response body; the body itself went before as ByteBufs or {@link Pop3Line}s.
 *
 * @param octets      body octets after dot-unstuffing, line ends included, terminator excluded
 * @param lineTooLong a body line exceeded the decoder's line limit (kept all the same)
 * @param bareLf      a body line ended in LF without CR
 */
public record Pop3End(long octets, boolean lineTooLong, boolean bareLf) {
}
