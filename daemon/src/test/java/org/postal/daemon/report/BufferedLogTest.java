// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.report;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

/** BufferedLog: bytes held until a flush or the close, and every I/O error unchecked with its cause. */
class BufferedLogTest {

    /** A file that counts what reaches it, and can be made to fail like a full disk. */
    private static final class File extends OutputStream {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        boolean full;
        boolean closed;

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (full) {
                throw new IOException("No space left on device");
            }
            bytes.write(b, off, len);
        }

        @Override
        public void close() {
            closed = true;
        }

        int size() {
            return bytes.size();
        }

        String text() {
            return bytes.toString(UTF_8);
        }
    }

    private final File file = new File();
    private final BufferedLog log = new BufferedLog(file);

    @Test
    void linesWaitInTheBufferUntilAFlush() {
        log.write("hash <a@b> <c@d>\n");
        log.write(Unpooled.copiedBuffer("Subject: é\r\n", UTF_8));
        assertThat(file.size()).isZero();
        log.flush();
        assertThat(file.text()).isEqualTo("hash <a@b> <c@d>\nSubject: é\r\n");
    }

    @Test
    void closeWritesOutWhatIsBufferedAndClosesTheFile() {
        log.write("last line\n");
        log.close();
        assertThat(file.text()).isEqualTo("last line\n");
        assertThat(file.closed).isTrue();
    }

    @Test
    void aBufferWritesItsReadableBytesAndKeepsItsIndexes() {
        ByteBuf text = Unpooled.copiedBuffer("..text", UTF_8).skipBytes(2);
        log.write(text);
        log.flush();
        assertThat(file.text()).isEqualTo("text");
        assertThat(text.readerIndex()).isEqualTo(2);
    }

    @Test
    void moreThanTheBufferHoldsStaysInOrder() {
        log.write("first\n");
        log.write(Unpooled.wrappedBuffer(new byte[1 << 17]));
        log.write("last\n");
        log.flush();
        assertThat(file.size()).isEqualTo(6 + (1 << 17) + 5);
        assertThat(file.text()).startsWith("first\n\0").endsWith("\0last\n");
    }

    @Test
    void aFailedFlushIsAnUncheckedErrorWithTheCause() {
        log.write("line\n");
        file.full = true;
        assertThatThrownBy(log::flush).isInstanceOf(UncheckedIOException.class)
                .hasCauseInstanceOf(IOException.class).hasRootCauseMessage("No space left on device");
    }

    @Test
    void aFailedWriteIsAnUncheckedError() {
        file.full = true;
        assertThatThrownBy(() -> log.write(Unpooled.wrappedBuffer(new byte[1 << 17])))
                .isInstanceOf(UncheckedIOException.class).hasRootCauseMessage("No space left on device");
        assertThatThrownBy(() -> log.write("x".repeat(1 << 17)))
                .isInstanceOf(UncheckedIOException.class).hasRootCauseMessage("No space left on device");
    }

    @Test
    void aCloseWhoseLastWriteFailsStillClosesTheFileAndSaysSo() {
        log.write("line\n");
        file.full = true;
        assertThatThrownBy(log::close).isInstanceOf(UncheckedIOException.class)
                .hasRootCauseMessage("No space left on device");
        assertThat(file.closed).isTrue();
    }
}
