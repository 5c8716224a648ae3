package dev.baton.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LabelsAndDurationsTest {

    @Test
    void labelsParseCommaSeparatedPairsKeepingOrder() {
        assertThat(Labels.parse("gpu=true, zone = a,,empty="))
                .containsExactly(entry("gpu", "true"), entry("zone", "a"), entry("empty", ""));
        assertThat(Labels.parse(null)).isEmpty();
        assertThat(Labels.parse("  ")).isEmpty();
    }

    @Test
    void labelWithoutKeyIsRefusedWithTheOffendingEntry() {
        assertThatThrownBy(() -> Labels.parse("gpu=true,oops"))
                .hasMessage("labels: 'oops' in 'gpu=true,oops' (expected: key=value,key2=value2)");
    }

    @Test
    void endpointsUseTheSameFormatAndKeepTheUrlWhole() {
        assertThat(Labels.parse("endpoints", "http=http://10.0.0.5:8080/live?a=b"))
                .containsExactly(java.util.Map.entry("http", "http://10.0.0.5:8080/live?a=b"));
        assertThatThrownBy(() -> Labels.parse("endpoints", "http://10.0.0.5"))
                .hasMessageStartingWith("endpoints: 'http://10.0.0.5'");
    }

    @Test
    void durationsAcceptUnitsAndIso() {
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Durations.parse("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(Durations.parse("PT1.5S")).isEqualTo(Duration.ofMillis(1500));
        assertThatThrownBy(() -> Durations.parse("soon"))
                .hasMessage("duration: 'soon' (expected: e.g. 500ms, 30s, 2m, 1h or PT30S)");
    }

    private static java.util.Map.Entry<String, String> entry(String key, String value) {
        return java.util.Map.entry(key, value);
    }
}
