// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.report;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Transcripts on a full disk: the recording ends and is counted; the session's bytes go on. */
class TranscriptsTest {

    @TempDir
    Path dir;

    @Test
    void aSessionIsRecordedInOrder() throws Exception {
        Transcripts transcripts = new Transcripts(dir.resolve("t"), false);
        EmbeddedChannel channel = new EmbeddedChannel(transcripts.open(0, 0));
        channel.writeInbound(Unpooled.copiedBuffer("EHLO x\r\n", UTF_8));
        channel.writeOutbound(Unpooled.copiedBuffer("250 ok\r\n", UTF_8));
        channel.close();
        assertThat(Files.readString(dir.resolve("t:0"))).isEqualTo("EHLO x\r\n250 ok\r\n");
        ((ByteBuf) channel.readInbound()).release();
        ((ByteBuf) channel.readOutbound()).release();
        assertThat(transcripts.failures().first()).isEmpty();
    }

    @Test
    void aFailedWriteEndsTheRecordingNotTheSession() throws Exception {
        // /dev/full fails every write with ENOSPC, as a full log disk does.
        Files.createSymbolicLink(dir.resolve("t:0"), Path.of("/dev/full"));
        Transcripts transcripts = new Transcripts(dir.resolve("t"), false);
        EmbeddedChannel channel = new EmbeddedChannel(transcripts.open(0, 0));
        channel.writeInbound(Unpooled.copiedBuffer("EHLO x\r\n", UTF_8));
        channel.writeOutbound(Unpooled.copiedBuffer("250 ok\r\n", UTF_8));
        assertThat(channel.isActive()).isTrue();
        assertThat(channel.pipeline().names()).hasSize(1); // only the tail: the recorder removed itself
        channel.writeInbound(Unpooled.copiedBuffer("QUIT\r\n", UTF_8));
        assertThat(transcripts.failures().first()).hasValueSatisfying(f -> {
            assertThat(f.file()).isEqualTo(dir.resolve("t:0"));
            assertThat(f.reason()).isEqualTo("No space left on device");
        });
        assertThat(transcripts.failures().lost()).isEqualTo(1);
        for (Object in; (in = channel.readInbound()) != null; ) {
            ((ByteBuf) in).release();
        }
        ((ByteBuf) channel.readOutbound()).release();
        assertThat(channel.finish()).isFalse();
    }

    @Test
    void aTranscriptThatCannotBeOpenedIsCounted() {
        Transcripts transcripts = new Transcripts(dir.resolve("missing/t"), false);
        assertThat(transcripts.open(0, 0)).isNull();
        assertThat(transcripts.failures().first()).isPresent();
    }
}
