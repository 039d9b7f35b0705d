// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.report;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** BufferedLog: bytes held until a flush or the close; an I/O error counted, never thrown. */
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
    private static final Path PATH = Path.of("/var/log/postal/postal.log");
    private final WriteFailures failures = new WriteFailures();
    private final BufferedLog log = new BufferedLog(file, PATH, failures);

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
    void aFailedFlushIsCountedWithTheLinesItHeldAndNeverThrown() {
        log.write("one\n");
        log.write("two\n");
        file.full = true;
        log.flush();
        assertThat(failures.first()).contains(new WriteFailures.Failure(PATH, "No space left on device"));
        assertThat(failures.first().orElseThrow().describe())
                .isEqualTo("cannot write /var/log/postal/postal.log: No space left on device");
        assertThat(failures.lost()).isEqualTo(2);
    }

    @Test
    void afterAFailureEveryEntryIsDroppedAndCounted() {
        log.write("kept\n");
        log.flush();
        file.full = true;
        log.write(Unpooled.wrappedBuffer(new byte[1 << 17]));
        assertThat(failures.lost()).isEqualTo(1);
        file.full = false;
        log.write("dropped\n");
        log.write(Unpooled.copiedBuffer("dropped too\n", UTF_8));
        log.flush();
        assertThat(failures.lost()).isEqualTo(3);
        assertThat(file.text()).isEqualTo("kept\n");
    }

    @Test
    void aCloseWhoseLastWriteFailsStillClosesTheFileAndCountsIt() {
        log.write("line\n");
        file.full = true;
        log.close();
        assertThat(file.closed).isTrue();
        assertThat(failures.lost()).isEqualTo(1);
    }

    @Test
    void aLogThatNeverFailedReportsNothing() {
        log.write("line\n");
        log.close();
        assertThat(failures.first()).isEmpty();
        assertThat(failures.lost()).isZero();
    }
}
