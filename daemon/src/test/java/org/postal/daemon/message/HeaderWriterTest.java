// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class HeaderWriterTest {
    // What strftime("%a, %d %b %Y %H:%M:%S %z") gives in the C locale for a UTC struct tm.
    private static final DateTimeFormatter C_LOCALE_UTC =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss xx", Locale.US).withZone(ZoneOffset.UTC);
    private static final String ATOM = "[A-Za-z0-9!#$%&'*+\\-/=?^_`{|}~]+";
    private static final Pattern MSG_ID = Pattern.compile(
            "<" + ATOM + "(\\." + ATOM + ")*@" + ATOM + "(\\." + ATOM + ")*>");

    private final HeaderWriter out = new HeaderWriter(4096);

    @Test
    void dateMatchesJavaTimeFrom1970To2400IncludingLeapDays() {
        SplittableRandom random = new SplittableRandom(1);
        long[] fixed = {0, 951_782_400L, 951_868_799L, 4_107_542_400L, 1_795_632_243L, -1};
        for (long second : fixed) {
            assertThat(date(second)).isEqualTo(C_LOCALE_UTC.format(Instant.ofEpochSecond(second)));
        }
        for (int i = 0; i < 100_000; i++) {
            long second = random.nextLong(0, 13_569_465_600L);
            assertThat(date(second)).isEqualTo(C_LOCALE_UTC.format(Instant.ofEpochSecond(second)));
        }
        assertThat(date(1_795_632_243L)).isEqualTo("Wed, 25 Nov 2026 18:44:03 +0000");
    }

    @Test
    void hexIsUppercaseWithOrWithoutPadding() {
        out.hex(0, 0).ascii(" ").hex(0xABCL, 0).ascii(" ").hex(-1L, 0).ascii(" ").hex(0x1FL, 16);
        assertThat(out.string(0)).isEqualTo("0 ABC FFFFFFFFFFFFFFFF 000000000000001F");
    }

    @Test
    void addressesAreUtf8AndMayNotBreakTheLine() {
        out.address("j\u00fcrgen@b\u00fccher.example\uD83D\uDCE7");
        assertThat(new String(out.bytes, 0, out.length, StandardCharsets.UTF_8))
                .isEqualTo("j\u00fcrgen@b\u00fccher.example\uD83D\uDCE7");
        assertThatThrownBy(() -> out.address("a\r\nRCPT TO:<x>")).hasMessageContaining("CR, LF");
        assertThatThrownBy(() -> out.address("a".repeat(901))).hasMessageContaining("900");
        out.length = 0;
        out.address("a".repeat(900));
        assertThat(out.length).isEqualTo(900);
    }

    @Test
    void messageIdAddressesAreDotAtomsWhateverTheSender() {
        String[] senders = {"user1@example.com", "a b@c d", "noat", ".x..y.@.z.", "@", "", "x@",
            "\"quoted\"@[127.0.0.1]", "j\u00fcrgen@example.com", "l".repeat(200) + "@" + "d".repeat(300),
            "user@host@other"};
        for (String sender : senders) {
            out.length = 0;
            out.ascii("<X.").idAddress(sender);
            out.ascii(">");
            assertThat(out.string(0)).as(sender).matches(MSG_ID).hasSizeLessThan(330);
        }
        out.length = 0;
        out.idAddress("user1@example.com");
        assertThat(out.string(0)).isEqualTo("user1@example.com");
        out.length = 0;
        out.idAddress("l".repeat(70) + "x@example.com");
        assertThat(out.string(0)).isEqualTo("l".repeat(63) + "x@example.com");
    }

    private String date(long second) {
        out.length = 0;
        return out.date(second).string(0);
    }
}
