// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** LogSpace: the fullest log folder is reported, with a warning before it runs out. */
class LogSpaceTest {

    private static final long MIB = 1 << 20;
    private static final long GIB = 1L << 30;

    /** /log has 50% free, /full 5%, /gone cannot be asked. */
    private static final LogSpace.Probe PROBE = dir -> switch (dir.toString()) {
        case "/log" -> new LogSpace.Volume(dir, 50 * GIB, 100 * GIB);
        case "/full" -> new LogSpace.Volume(dir, 5 * GIB, 100 * GIB);
        default -> throw new IOException("No such file or directory");
    };

    @Test
    void theFolderWithTheLeastRoomIsTheOneReported() {
        var v = LogSpace.tightest(List.of(Path.of("/log/bhm.csv"), Path.of("/full/bhm.log"),
                Path.of("/gone/postal.log"), Path.of("/log/bhm.log")), PROBE).orElseThrow();
        assertThat(v.dir()).isEqualTo(Path.of("/full"));
        Map<String, Object> said = LogSpace.describe(v);
        assertThat(said).containsEntry("dir", "/full").containsEntry("free_mib", 5 * 1024L)
                .containsEntry("free_percent", 5.0);
        assertThat(said.get("warning")).asString().isEqualTo("log file system nearly full: 5120 MiB (5%) free in /full");
    }

    @Test
    void plentyOfRoomHasNoWarning() {
        var v = LogSpace.tightest(List.of(Path.of("/log/bhm.csv")), PROBE).orElseThrow();
        assertThat(LogSpace.describe(v)).containsEntry("free_percent", 50.0).doesNotContainKey("warning");
    }

    @Test
    void aSmallDiskWarnsBelow256MibWhateverThePercentage() {
        assertThat(new LogSpace.Volume(Path.of("/small"), 255 * MIB, 512 * MIB).low()).isTrue();
        assertThat(new LogSpace.Volume(Path.of("/small"), 300 * MIB, 512 * MIB).low()).isFalse();
        assertThat(new LogSpace.Volume(Path.of("/big"), 9 * GIB, 100 * GIB).low()).isTrue();
    }

    @Test
    void noLogOrNoFolderThatAnswersMeansNothingToSay() {
        assertThat(LogSpace.tightest(List.of(), PROBE)).isEmpty();
        assertThat(LogSpace.tightest(List.of(Path.of("/gone/x")), PROBE)).isEmpty();
        assertThatThrownBy(() -> new LogSpace.Volume(Path.of("/"), -1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
