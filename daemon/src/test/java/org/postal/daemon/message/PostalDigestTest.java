// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PostalDigestTest {
    private static final byte[] ABC = "abc".getBytes(StandardCharsets.US_ASCII);

    @Test
    void autoComputesBothAndSignsWithRealMd5() {
        PostalDigest digest = new PostalDigest(HashMode.AUTO);
        digest.update(ByteBuffer.wrap(ABC, 0, 1));
        digest.update(ABC, 1, 2);
        assertThat(digest.finish()).isEqualTo("900150983cd24fb0d6963f7d28e17f72");
        assertThat(digest.md5()).isEqualTo("900150983cd24fb0d6963f7d28e17f72");
        assertThat(digest.md5Lp64()).isEqualTo("7999dc75e8da648c6727e137c5b77803");
    }

    @Test
    void singleModesComputeOnlyTheirDigest() {
        PostalDigest md5 = new PostalDigest(HashMode.MD5);
        md5.update(ABC, 0, 3);
        assertThat(md5.finish()).isEqualTo("900150983cd24fb0d6963f7d28e17f72");
        assertThat(md5.md5Lp64()).isNull();

        PostalDigest lp64 = new PostalDigest(HashMode.MD5_LP64);
        ByteBuffer direct = ByteBuffer.allocateDirect(3).put(ABC).flip();
        lp64.update(direct);
        assertThat(direct.hasRemaining()).isFalse();
        assertThat(lp64.finish()).isEqualTo("7999dc75e8da648c6727e137c5b77803");
        assertThat(lp64.md5()).isNull();
    }

    @Test
    void finishAndResetStartTheNextMessageEmpty() {
        PostalDigest digest = new PostalDigest(HashMode.AUTO);
        digest.update(ABC, 0, 3);
        digest.finish();
        assertThat(digest.finish()).isEqualTo("d41d8cd98f00b204e9800998ecf8427e");
        assertThat(digest.md5Lp64()).isEqualTo("e4c23762ed2823a27e62a64b95c024e7");
        digest.update(ABC, 0, 3);
        digest.reset();
        assertThat(digest.md5()).isNull();
        digest.update(ABC, 0, 1);
        assertThat(digest.finish()).isEqualTo("0cc175b9c0f1b6a831c399e269772661");
        assertThat(digest.md5Lp64()).isEqualTo("793a9bc07e209b286fa416d6ee29a85d");
    }
}
