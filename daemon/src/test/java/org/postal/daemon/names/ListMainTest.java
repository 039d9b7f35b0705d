// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.names;

import org.postal.daemon.service.Sysexits;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** postal-list end to end through {@link ListMain#run}: output, diagnostics and exit status. */
class ListMainTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private String file(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text).toString();
    }

    private int run(String... args) {
        return run(new ByteArrayInputStream(new byte[0]), args);
    }

    private int run(InputStream stdin, String... args) {
        return ListMain.run(args, stdin, out, new PrintStream(err, true, UTF_8));
    }

    private String out() {
        return out.toString(UTF_8);
    }

    private String err() {
        return err.toString(UTF_8);
    }

    @Test
    void theReferenceExampleInOrder() throws IOException {
        assertThat(run(file("in", "abc@example.com\n"), file("conv", "^a .[0-2][xy]\n"))).isZero();
        assertThat(out()).isEqualTo("""
                a0x@example.com
                a0y@example.com
                a1x@example.com
                a1y@example.com
                a2x@example.com
                a2y@example.com
                """);
        assertThat(err()).isEmpty();
    }

    @Test
    void unmatchedNamesAndCommentLinesArePrintedInPlace() throws IOException {
        String in = file("in", "first@x\n\n#a comment\nab@x pass\r\nzz@x\nlast@x");
        assertThat(run(in, file("conv", "# rules\n^a .[01]\n"))).isZero();
        assertThat(out()).isEqualTo("first@x\n#a comment\na0@x pass\na1@x pass\nzz@x\nlast@x\n");
    }

    @Test
    void conversionDashEchoesEveryNameTheFirstToo() throws IOException {
        assertThat(run(file("in", "one@x\ntwo@x\n"), "-")).isZero();
        assertThat(out()).isEqualTo("one@x\ntwo@x\n");
    }

    @Test
    void inputDashIsStandardInput() throws IOException {
        InputStream stdin = new ByteArrayInputStream("éa@x\n".getBytes(UTF_8));
        assertThat(run(stdin, "-", file("conv", "^é [ü\\-]\n"))).isZero();
        assertThat(out()).isEqualTo("üa@x\n-a@x\n");
    }

    @Test
    void aNameShorterThanItsRuleIsReportedAndSkipped() throws IOException {
        String in = file("in", "ab\nabcd\n");
        String conv = file("conv", "\n^a ..[xy]\n");
        assertThat(run(in, conv)).isEqualTo(Sysexits.EX_DATAERR);
        assertThat(out()).isEqualTo("abxd\nabyd\n");
        assertThat(err()).isEqualTo("postal-list: " + in + ":1: \"ab\" is shorter than the 3 positions of the rule at "
                + conv + ":2; skipped\n");
    }

    @Test
    void aBadConversionFilePrintsNothing() throws IOException {
        String conv = file("conv", "^a .\n# fine\n^b .[0-2\n");
        assertThat(run(file("in", "abc\n"), conv)).isEqualTo(Sysexits.EX_DATAERR);
        assertThat(out()).isEmpty();
        assertThat(err()).isEqualTo("postal-list: " + conv + ":3: Unmatched brackets in \".[0-2\"\n");
    }

    @Test
    void aBadInputLineStopsAfterTheNamesBeforeIt() throws IOException {
        Path in = dir.resolve("in");
        Files.write(in, new byte[] {'o', 'k', '\n', 'b', (byte) 0xff, '\n', 'c', '\n'});
        assertThat(run(in.toString(), "-")).isEqualTo(Sysexits.EX_DATAERR);
        assertThat(out()).isEqualTo("ok\n");
        assertThat(err()).isEqualTo("postal-list: " + in + ":2: not UTF-8 text\n");
    }

    @Test
    void filesThatCannotBeOpened() throws IOException {
        String in = file("in", "a\n");
        assertThat(run(dir.resolve("none").toString(), "-")).isEqualTo(Sysexits.EX_NOINPUT);
        assertThat(run(in, dir.resolve("none").toString())).isEqualTo(Sysexits.EX_NOINPUT);
        assertThat(run(in, dir.toString())).isEqualTo(Sysexits.EX_NOINPUT);
        assertThat(out()).isEmpty();
        assertThat(err()).contains("postal-list: Can't open \"" + dir.resolve("none") + "\": no such file\n")
                .contains("\": is a directory\n");
    }

    @Test
    void usageErrors() throws IOException {
        String in = file("in", "a\n");
        assertThat(run()).isEqualTo(Sysexits.EX_USAGE);
        assertThat(run(in)).isEqualTo(Sysexits.EX_USAGE);
        assertThat(run(in, "-", "extra")).isEqualTo(Sysexits.EX_USAGE);
        assertThat(run("--max", "0", in, "-")).isEqualTo(Sysexits.EX_USAGE);
        assertThat(run("--max", "lots", in, "-")).isEqualTo(Sysexits.EX_USAGE);
        assertThat(run("--bogus", in, "-")).isEqualTo(Sysexits.EX_USAGE);
        assertThat(out()).isEmpty();
        assertThat(err()).contains("postal-list: --max must be at least 1, not 0\n")
                .contains("Usage: postal-list [--max N] input-file conversion-file");
    }

    @Test
    void maxRaisesTheLimit() throws IOException {
        String conv = file("conv", "^ [ab][ab][ab]\n");
        assertThat(run("--max", "4", file("in", "xyz\n"), conv)).isEqualTo(Sysexits.EX_DATAERR);
        assertThat(err()).contains(":1: \"[ab][ab][ab]\" makes 8 names of each name, more than --max 4");
        assertThat(run("--max=8", file("in", "xyz\n"), conv)).isZero();
        assertThat(out().lines()).hasSize(8).startsWith("aaa").endsWith("bbb");
    }

    @Test
    void helpAndVersionGoToStandardOutput() {
        assertThat(run("--help")).isZero();
        assertThat(out()).startsWith("Usage: postal-list").contains("--max=N");
        out.reset();
        assertThat(run("--version")).isZero();
        assertThat(out()).isEqualTo("postal-list (Postal) 1.0.0\n");
    }
}
