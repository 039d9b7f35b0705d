// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postal.ctl.protocol.ControlCodec;
import org.postal.ctl.protocol.Response;

/**
 * postalctl --ssh against stand-ins: an "ssh" that runs the remote command line with sh (so the
 * quoting is what a remote shell would see) and a "postalctl" that answers per host as a daemon
 * would, or fails, or hangs. The real ssh and daemons are tests/ctl/fleet's.
 */
class FleetCallTest {

    @TempDir
    Path dir;

    private Map<String, String> environment;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private Path script(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, "#!/bin/sh\n" + text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
        return file;
    }

    @BeforeEach
    void standIns() throws IOException {
        Path ssh = script("ssh", """
                while [ "$1" != "--" ]; do shift; done
                HOST=$2 exec sh -c "$3"
                """);
        Path remote = script("postalctl", """
                printf '%s\\n' "$@" > "$0.$HOST.args"
                case $HOST in
                  a) echo '{"v":1,"ok":true,"result":{"uptime_s":5,"messages":10,"rate_per_s":1.5,"state":"running","rejects":{"450":1},"clients":3,"clients_exact":true}}' ;;
                  b) echo '{"v":1,"ok":true,"result":{"uptime_s":9,"messages":32,"rate_per_s":2.0,"state":"paused","rejects":{"450":2,"550":1},"clients":4,"clients_exact":true}}' ;;
                  down) echo "postalctl: postal is not running (no socket /run/postal/postal-status.sock)" >&2; exit 1 ;;
                  slow) sleep 30 ;;
                esac
                """);
        environment = Map.of("POSTALCTL_SSH", ssh.toString(), "POSTALCTL_REMOTE", remote.toString());
    }

    private int run(String... args) {
        return FleetCall.run(PostalCtl.parse(args), new Fleet(environment, 1000), 1000,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String args(String host) throws IOException {
        return Files.readString(dir.resolve("postalctl." + host + ".args"));
    }

    @Test
    void statsOfTwoHostsArePrintedEachThenSummed() throws IOException {
        assertThat(run("--ssh", "a", "--ssh", "b", "postal", "stats")).isZero();
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("== a\n", "== b\n", "== all 2 hosts answering\n");
        String merged = text.substring(text.indexOf("== all"));
        assertThat(merged).containsPattern("messages: +42\n").containsPattern("rate_per_s: +3.500\n")
                .containsPattern("state: +running/paused\n").containsPattern("rejects.450: +3\n")
                .containsPattern("rejects.550: +1\n").containsPattern("clients: +7\n")
                .containsPattern("clients_exact: +false").doesNotContain("uptime_s");
        assertThat(args("a")).isEqualTo("--json\npostal\nstats\n");
    }

    @Test
    void jsonIsOneLineWithEachHostAndTheMerge() throws Exception {
        assertThat(run("--json", "--ssh", "a", "--ssh", "down", "postal", "stats")).isEqualTo(PostalCtl.REFUSED);
        String line = out.toString(StandardCharsets.UTF_8).strip();
        assertThat(line).doesNotContain("\n");
        Response response = ControlCodec.decodeResponse(line);
        Map<?, ?> hosts = (Map<?, ?>) response.result().get("hosts");
        assertThat(((Map<?, ?>) hosts.get("a")).get("ok")).isEqualTo(true);
        assertThat(((Map<?, ?>) hosts.get("down")).get("error").toString()).contains("postal is not running", "(exit 1)");
        assertThat(((Map<?, ?>) response.result().get("merged")).get("messages")).isEqualTo(10L);
        assertThat(new JsonFactory().createParser(line).nextToken()).isNotNull();
    }

    @Test
    void aHostThatFailsIsNamedAndTheExitSaysSo() {
        assertThat(run("--ssh", "a", "--ssh", "down", "postal", "pause")).isEqualTo(PostalCtl.REFUSED);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("postalctl: down: postalctl: postal is not running");
    }

    @Test
    void aHostThatNeverAnswersIsCutOffAtTheDeadline() {
        long start = System.nanoTime();
        assertThat(run("--ssh", "slow", "--ssh", "a", "postal", "status")).isEqualTo(PostalCtl.REFUSED);
        assertThat(System.nanoTime() - start).isLessThan(20_000_000_000L);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("postalctl: slow: no answer within 2 s");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("== a", "== all 1 hosts answering");
    }

    @Test
    void atGoesToEachHostAsOneAbsoluteTime() throws IOException {
        assertThat(run("--ssh", "a", "--ssh", "b", "--at", "+0", "postal", "resume")).isZero();
        String a = args("a");
        assertThat(a).matches("--json\n--at\n\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z\npostal\nresume\n");
        assertThat(args("b")).isEqualTo(a);
    }

    @Test
    void splitGivesEachHostItsShareInTheSameUnit() throws IOException {
        assertThat(run("--ssh", "a", "--ssh", "b", "--split", "--control-dir", "/srv/x", "postal", "rate", "3000/s"))
                .isZero();
        assertThat(args("a")).isEqualTo("--json\n--control-dir\n/srv/x\npostal\nrate\n1500/s\n");
        assertThat(args("b")).isEqualTo(args("a"));
    }

    @Test
    void argumentsReachTheRemoteShellAsOneWordEach() throws IOException {
        run("--ssh", "a", "bhm", "set", "fault.rcpt=450 it's $(touch x); `id`");
        assertThat(args("a")).isEqualTo("--json\nbhm\nset\nfault.rcpt=450 it's $(touch x); `id`\n");
        assertThat(dir.resolve("x")).doesNotExist();
    }

    @Test
    void sharesAndBadInput() {
        assertThat(Merge.share("1000/s", 3)).isEqualTo("333.333/s");
        assertThat(Merge.share("600", 4)).isEqualTo("150");
        assertThat(Merge.share("90/min", 2)).isEqualTo("45/min");
        for (List<String> bad : List.of(List.of("--ssh", "-oProxyCommand=x", "bhm", "status"),
                List.of("--ssh", "a b", "bhm", "status"), List.of("--split", "bhm", "status"),
                List.of("--ssh", "a", "--split", "postal", "pause"), List.of("--ssh", "a", "bhm", "watch"),
                List.of("--ssh", "a", "--split", "postal", "rate", "fast"))) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> PostalCtl.parse(bad.toArray(String[]::new)))
                    .as("%s", bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
