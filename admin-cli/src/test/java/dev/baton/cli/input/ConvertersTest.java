package dev.baton.cli.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.baton.proto.v1.RestartPolicy;
import picocli.CommandLine.TypeConversionException;

class ConvertersTest {

    @Test
    void durationsAsPeopleTypeThem() {
        assertThat(DurationConverter.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(DurationConverter.parse("10s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(DurationConverter.parse("1m30s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(DurationConverter.parse("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(DurationConverter.parse("1d")).isEqualTo(Duration.ofDays(1));
        assertThat(DurationConverter.parse("45")).isEqualTo(Duration.ofSeconds(45));
        assertThat(DurationConverter.parse("PT5M")).isEqualTo(Duration.ofMinutes(5));
        assertThat(DurationConverter.parse("0s")).isEqualTo(Duration.ZERO);
    }

    @Test
    void durationsWithJunkAreRefused() {
        for (String bad : new String[] {"", "s", "10x", "1m30", "-5s", "PT-5S", "10s5"}) {
            assertThatThrownBy(() -> DurationConverter.parse(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is not a duration");
        }
    }

    @Test
    void sizesArePowersOf1024LikeDocker() {
        ByteSizeConverter sizes = new ByteSizeConverter();
        assertThat(sizes.convert("1024")).isEqualTo(1024L);
        assertThat(sizes.convert("512MiB")).isEqualTo(512L << 20);
        assertThat(sizes.convert("2g")).isEqualTo(2L << 30);
        assertThat(sizes.convert("2GB")).isEqualTo(2L << 30);
        assertThatThrownBy(() -> sizes.convert("lots")).isInstanceOf(TypeConversionException.class);
    }

    @Test
    void restartPoliciesInEverySpellingTheServerAccepts() {
        RestartPolicyConverter policies = new RestartPolicyConverter();
        assertThat(policies.convert("onFailure")).isEqualTo(RestartPolicy.RESTART_POLICY_ON_FAILURE);
        assertThat(policies.convert("on_failure")).isEqualTo(RestartPolicy.RESTART_POLICY_ON_FAILURE);
        assertThat(policies.convert("RESTART_POLICY_ON_FAILURE")).isEqualTo(RestartPolicy.RESTART_POLICY_ON_FAILURE);
        assertThat(policies.convert("always")).isEqualTo(RestartPolicy.RESTART_POLICY_ALWAYS);
        assertThat(policies.convert("NEVER")).isEqualTo(RestartPolicy.RESTART_POLICY_NEVER);
        assertThatThrownBy(() -> policies.convert("sometimes"))
                .hasMessage("'sometimes' is not a restart policy (expected: never, onFailure, always)");
    }

    @Test
    void keyValuesKeepOrderAndNameTheOption() {
        assertThat(KeyValues.parse("--require", List.of("gpu=true", "zone=a=b")))
                .containsExactly(Map.entry("gpu", "true"), Map.entry("zone", "a=b"));
        assertThatThrownBy(() -> KeyValues.parse("--require", List.of("gpu")))
                .hasMessage("--require 'gpu': expected key=value");
    }
}
