// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

class ClientCountTest {

    private static InetAddress v4(int a, int low) throws UnknownHostException {
        return InetAddress.getByAddress(new byte[] {(byte) a, (byte) (low >>> 16), (byte) (low >>> 8), (byte) low});
    }

    @Test
    void countsAll16MillionAddressesOfASlash8ExactlyAndRepeatsNone() throws UnknownHostException {
        ClientCount count = new ClientCount();
        for (int low = 0; low < 1 << 24; low++) {
            count.add(v4(127, low));
        }
        for (int low = 0; low < 1 << 24; low += 4099) {
            count.add(v4(127, low));
        }
        assertThat(count.distinct()).isEqualTo(1 << 24);
        assertThat(count.exact()).isTrue();
    }

    @Test
    void ipv6AndSlash8sBeyondTheBitmapsAreCountedInABoundedSetThenOnlyAsALowerBound() throws UnknownHostException {
        ClientCount count = new ClientCount();
        for (int a = 1; a <= ClientCount.BITMAPS + 1; a++) {
            count.add(v4(a, 1));
            count.add(v4(a, 1));
        }
        count.add(InetAddress.getByName("2001:db8::1"));
        count.add(InetAddress.getByName("2001:db8::1"));
        assertThat(count.distinct()).isEqualTo(ClientCount.BITMAPS + 2);
        for (int i = 0; i < ClientCount.OTHERS; i++) {
            count.add(InetAddress.getByName("2001:db8::1:" + Integer.toHexString(i)));
        }
        assertThat(count.exact()).isFalse();
        assertThat(count.distinct()).isEqualTo(ClientCount.BITMAPS + ClientCount.OTHERS);
    }
}
