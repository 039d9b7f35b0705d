// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.postal.ctl.protocol.Response;
import org.postal.daemon.config.ConfigError;
import org.postal.daemon.config.ConfigLoader.Loaded;

class ConfigReloadTest {

    record Inner(int port, String name) {
    }

    record Outer(Inner inner, double rate, long seed) {
    }

    private final Outer running = new Outer(new Inner(25, "a"), 1.0, 7);

    @Test
    void differencesAreLeafNamesInOrder() {
        assertThat(ConfigReload.differences(running, new Outer(new Inner(26, "a"), 2.0, 7), ""))
                .containsExactly("inner.port", "rate");
        assertThat(ConfigReload.differences(running, running, "")).isEmpty();
    }

    @Test
    void appliesWhatItCanNamesTheRestAndIgnoresWhatItWasTold() {
        List<String> applied = new ArrayList<>();
        ConfigReload<Outer> reload = new ConfigReload<>(() -> new Loaded.Ok<>(new Outer(new Inner(26, "a"), 2.0, 8)),
                running, (name, next) -> {
                    if (name.equals("rate")) {
                        applied.add(name);
                        return "rate=" + next.rate();
                    }
                    return null;
                }, "seed");
        Response response = reload.reload();
        assertThat(response.ok()).isTrue();
        assertThat(response.result().get("message")).isEqualTo("reloaded: applied rate=2.0; needs a restart: inner.port");
        assertThat(applied).containsExactly("rate");
    }

    @Test
    void aFailedLoadChangesNothing() {
        ConfigReload<Outer> reload = new ConfigReload<>(
                () -> new Loaded.Failed<>(ConfigError.at(Path.of("x.conf"), 3, "bad value")), running,
                (name, next) -> {
                    throw new AssertionError("nothing may be applied");
                });
        Response response = reload.reload();
        assertThat(response.ok()).isFalse();
        assertThat(response.error()).contains("settings unchanged").contains("x.conf:3");
    }
}
