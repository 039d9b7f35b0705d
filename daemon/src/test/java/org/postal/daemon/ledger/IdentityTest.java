// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufAllocator;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postal.daemon.message.Message;
import org.postal.daemon.message.MessageGenerator;
import org.postal.daemon.message.MessageSource;
import org.postal.daemon.message.MessageSpec;
import org.postal.daemon.message.RunId;

/** The identity in postal's Message-IDs: written by the generator, read back by the ledgers. */
class IdentityTest {

    @Test
    void generatorsOfOneRunShareOneDenseSequence() {
        try (MessageSource source = new MessageSource(MessageSpec.DEFAULT, 1, new RunId(0xFEDCBA9876543210L),
                Clock.systemUTC())) {
            MessageGenerator a = source.generator(1, ByteBufAllocator.DEFAULT);
            MessageGenerator b = source.generator(2, ByteBufAllocator.DEFAULT);
            for (long expected = 0; expected < 4; expected++) {
                Message m = (expected % 2 == 0 ? a : b).next("s@example.com", "r@example.com");
                assertThat(Identity.parse(m.messageId())).isEqualTo(new Identity(0xFEDCBA9876543210L, expected));
                m.release();
            }
        }
    }

    @Test
    void printsAsRunDotSequence() {
        assertThat(new Identity(0xA1, 42)).hasToString("00000000000000A1.42");
    }

    @ParameterizedTest
    @ValueSource(strings = {"<6B072C7F.453.001.user1@example.com>", "<x@y>", "", "<FEDCBA987654321.1.1.a@b>",
            "<FEDCBA98765432G0.1.1.a@b>", "<FEDCBA9876543210..1.a@b>", "<FEDCBA9876543210.1>"})
    void idsPostal10DidNotWriteHaveNoIdentity(String id) {
        assertThat(Identity.parse(id)).isNull();
    }

    @Test
    void readsTheSequenceInHex() {
        assertThat(Identity.parse(" <FEDCBA9876543210.1F.3.a@b> ")).isEqualTo(new Identity(0xFEDCBA9876543210L, 31));
    }
}
