// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.smtp;

/**
 * The end of a DATA body or of one BDAT chunk; the content itself went before as ByteBuf messages.
 *
 * @param octets      content octets in this body or chunk, after dot-unstuffing
 * @param lineTooLong a DATA line exceeded the line limit
 * @param bareLf      a DATA line ended in LF without CR
 */
public record ContentEnd(long octets, boolean lineTooLong, boolean bareLf) {
}
