// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.mailbox;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProbeRecorderTest {

    @Test
    void passwordsNeverShow() {
        assertThat(ProbeRecorder.mask("PASS secret")).isEqualTo("PASS ********");
        assertThat(ProbeRecorder.mask("AUTH PLAIN AHVzZXIAc2VjcmV0")).isEqualTo("AUTH PLAIN ********");
        assertThat(ProbeRecorder.mask("a2 AUTHENTICATE PLAIN AHVzZXIAc2VjcmV0")).isEqualTo("a2 AUTHENTICATE PLAIN ********");
        assertThat(ProbeRecorder.mask("a3 LOGIN \"u s\\\"er\" \"pw with spaces\"")).isEqualTo("a3 LOGIN \"u s\\\"er\" ********");
        assertThat(ProbeRecorder.mask("a3 LOGIN user1@example.com pw1")).isEqualTo("a3 LOGIN user1@example.com ********");
    }

    @Test
    void otherLinesStayAsTheyAre() {
        assertThat(ProbeRecorder.mask("USER user1@example.com")).isEqualTo("USER user1@example.com");
        assertThat(ProbeRecorder.mask("a5 UID FETCH 7 BODY.PEEK[]")).isEqualTo("a5 UID FETCH 7 BODY.PEEK[]");
    }
}
