// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.load.imap;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Capabilities from a CAPABILITY response or a [CAPABILITY] response code. */
class ImapCapabilitiesTest {

    @Test
    void fromCapabilityResponse() {
        ImapCapabilities caps = ImapCapabilities.of(new Untagged("CAPABILITY", -1,
                "IMAP4rev1 STARTTLS LOGINDISABLED AUTH=PLAIN auth=xoauth2 UIDPLUS")).orElseThrow();
        assertThat(caps.imap4rev1() && caps.starttls() && caps.loginDisabled() && caps.uidplus()).isTrue();
        assertThat(caps.auth("PLAIN") && caps.auth("XOAUTH2") && !caps.auth("LOGIN") && !caps.literalPlus()).isTrue();
        assertThat(caps.has("imap4REV1")).isTrue();
    }

    @Test
    void fromResponseCodeInGreetingPreauthAndTaggedOk() {
        assertThat(ImapCapabilities.of(new Untagged("OK", -1, "[CAPABILITY IMAP4rev1 IDLE] ready")))
                .contains(ImapCapabilities.parse("IMAP4REV1 IDLE"));
        assertThat(ImapCapabilities.of(new Untagged("PREAUTH", -1, "[CAPABILITY IMAP4rev1] hi"))).isPresent();
        assertThat(ImapCapabilities.of(new Tagged("a1", Status.OK, "CAPABILITY IMAP4rev1 MOVE", "Logged in")))
                .hasValueSatisfying(caps -> assertThat(caps.has("MOVE")).isTrue());
    }

    @Test
    void otherResponsesCarryNone() {
        assertThat(ImapCapabilities.of(new Untagged("OK", -1, "[UIDVALIDITY 3] UIDs valid"))).isEmpty();
        assertThat(ImapCapabilities.of(new Untagged("OK", -1, "no code"))).isEmpty();
        assertThat(ImapCapabilities.of(new Untagged("BYE", -1, "[CAPABILITY IMAP4rev1] odd"))).isEmpty();
        assertThat(ImapCapabilities.of(new Tagged("a1", Status.NO, "CAPABILITY IMAP4rev1", "x"))).isEmpty();
        assertThat(ImapCapabilities.of(new Continuation("go"))).isEmpty();
        assertThat(ImapCapabilities.of(new Untagged("CAPABILITY", -1, "")).orElseThrow().names()).isEmpty();
    }
}
