// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.ctl.protocol;

/** A control line that is not a valid request or response; the message is fit to send back as the error. */
public final class ProtocolException extends Exception {

    public ProtocolException(String message) {
        super(message);
    }
}
