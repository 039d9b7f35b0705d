// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load;

import org.postal.daemon.load.mailbox.RabidMain;

/** Entry point of {@code rabid}, kept for the launcher and units that name it; the work is in {@link RabidMain}. */
public final class MailboxLoadMain {

    private MailboxLoadMain() {
    }

    public static void main(String[] args) throws Exception {
        RabidMain.main(args);
    }
}
