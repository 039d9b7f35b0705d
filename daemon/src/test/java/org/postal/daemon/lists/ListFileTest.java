// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.lists;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ListFileTest {

    @TempDir
    Path tmp;

    private Path file(byte[] content) throws IOException {
        Path file = tmp.resolve("list");
        Files.write(file, content);
        return file;
    }

    @Test
    void linesEndInLfOrCrLfAndKeepTheirNumbers() throws IOException {
        List<ListFile.Line> lines = ListFile.read(file("a@x pw\r\n\n# c\r\nb@x\tpw".getBytes(UTF_8)));
        assertThat(lines).extracting(ListFile.Line::text).containsExactly("a@x pw", "", "# c", "b@x\tpw");
        assertThat(lines).extracting(ListFile.Line::number).containsExactly(1, 2, 3, 4);
        assertThat(lines.get(3).error("bad").getMessage()).isEqualTo(tmp.resolve("list") + ":4: bad");
    }

    @Test
    void aDeviceIsRefusedWithoutReadingIt() {
        assertThatThrownBy(() -> ListFile.read(Path.of("/dev/zero")))
                .hasMessage("cannot read \"/dev/zero\": not a regular file (a FIFO, socket or device); write the list to a file");
    }

    @Test
    void aFifoIsRefusedWithoutOpeningIt() throws Exception {
        Path fifo = tmp.resolve("fifo");
        assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
        // Opening a FIFO with no writer blocks; the refusal must come from its type alone.
        assertThatThrownBy(() -> ListFile.read(fifo)).hasMessageContaining("not a regular file");
    }

    @Test
    void directoriesAndMissingFilesSaySo() {
        assertThatThrownBy(() -> ListFile.read(tmp)).hasMessageEndingWith(": is a directory");
        assertThatThrownBy(() -> ListFile.read(tmp.resolve("none"))).isInstanceOf(java.nio.file.NoSuchFileException.class);
    }

    @Test
    void aFileLargerThanTheBoundIsRefusedBeforeItIsRead() throws IOException {
        Path sparse = tmp.resolve("sparse");
        try (RandomAccessFile raf = new RandomAccessFile(sparse.toFile(), "rw")) {
            raf.setLength(ListFile.MAX_SIZE + 1);
        }
        assertThatThrownBy(() -> ListFile.read(sparse)).hasMessageEndingWith(": larger than 64 MiB");
    }

    @Test
    void aLongLineIsRefusedWithAShortMessage() throws IOException {
        byte[] line = new byte[ListFile.MAX_LINE + 1];
        java.util.Arrays.fill(line, (byte) 'a');
        Path file = file(line);
        assertThatThrownBy(() -> ListFile.read(file)).hasMessage(file + ":1: line longer than 4096 bytes");
        byte[] fits = new byte[ListFile.MAX_LINE];
        java.util.Arrays.fill(fits, (byte) 'a');
        assertThat(ListFile.read(file(fits))).hasSize(1);
    }

    @Test
    void controlCharactersAreRefusedAndQuotedEscaped() throws IOException {
        Path file = file("ok\nevil\u001b[2Jname\u0000\n".getBytes(UTF_8));
        assertThatThrownBy(() -> ListFile.read(file))
                .hasMessage(file + ":2: control character in \"evil\\x1b[2Jname\\x00\"");
    }

    @Test
    void bytesThatAreNotUtf8NameTheirLine() throws IOException {
        Path file = file(new byte[] {'a', '\n', (byte) 0xff, '\n'});
        assertThatThrownBy(() -> ListFile.read(file)).hasMessage(file + ":2: not UTF-8 text");
    }

    @Test
    void aQuotedValueIsCutToAShortExcerpt() {
        String quoted = ListFile.quote("x".repeat(100_000));
        assertThat(quoted).hasSizeLessThan(100).startsWith("x".repeat(ListFile.EXCERPT) + "... (");
    }
}
