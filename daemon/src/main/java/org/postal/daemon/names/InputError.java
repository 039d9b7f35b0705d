// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.names;

/** A fault in the conversion file or the names, located as {@code file:line}. */
final class InputError extends Exception {

    private static final long serialVersionUID = 1L;

    InputError(String where, String reason) {
        super(where + ": " + reason, null, false, false);
    }
}
