// SPDX-License-Identifier: GPL-3.0-or-later
package org.postal.daemon.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The run-time rules: one key at a time as postalctl set gives them, or a config's whole map. */
class SinkRulesTest {

    @Test
    void eachKeyChangesItsRuleOnly() {
        SinkRules rules = SinkRules.NONE.with("greet-delay", "2s").with("greet-teaser", "yes")
                .with("pregreet", "Count").with("bounce-percent", "12.5%").with("fault.rcpt", "450:10%");
        assertThat(rules.greeting()).isEqualTo(new SinkRules.Greeting(Duration.ofSeconds(2), true,
                GreetingGate.Pregreet.COUNT));
        assertThat(rules.bouncePercent()).isEqualTo(12.5);
        assertThat(rules.faults().describe()).containsExactly(Map.entry("rcpt", "450:10%"));
        assertThat(rules.describe("greet-delay")).isEqualTo("greet-delay = 2s");
        assertThat(rules.describe("pregreet")).isEqualTo("pregreet = count");
        assertThat(rules.with("greet-delay", "0s").greeting().gate(new SinkStats())).isNull();
    }

    @Test
    void dropReplyIsForTheDataCommandsOnly() {
        assertThat(SinkRules.NONE.with("fault.data", "drop-reply:25%").with("fault.bdat", "Drop-Reply").faults().describe())
                .containsExactly(Map.entry("data", "drop-reply:25%"), Map.entry("bdat", "drop-reply"));
        assertThatThrownBy(() -> SinkRules.NONE.with("fault.rcpt", "drop-reply"))
                .hasMessageContaining("drop-reply is for fault.data and fault.bdat, not fault.rcpt");
    }

    @Test
    void badValuesAreRefusedWithTheKey() {
        assertThatThrownBy(() -> SinkRules.NONE.with("pregreet", "drop")).hasMessageContaining("reject or count");
        assertThatThrownBy(() -> SinkRules.NONE.with("greet-delay", "11m")).hasMessageContaining("0..10m");
        assertThatThrownBy(() -> SinkRules.NONE.with("bounce-percent", "101")).hasMessageContaining("0..100");
        assertThatThrownBy(() -> SinkRules.NONE.with("greet-teaser", "maybe")).hasMessageContaining("yes or no");
        Map<String, String> file = new LinkedHashMap<>();
        file.put("fault.rcpt", "450");
        file.put("bounce-percent", "x");
        assertThatThrownBy(() -> SinkRules.of(file)).hasMessageStartingWith("bounce-percent: ");
    }
}
