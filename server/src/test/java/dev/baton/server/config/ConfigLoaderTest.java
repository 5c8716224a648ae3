package dev.baton.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ConfigLoaderTest {

    @Test
    void seedNamesAndDefaults() {
        BatonConfig config = ConfigLoader.load(Map.of("AGENT_TOKEN", "t"), Map.of());
        assertThat(config.port()).isEqualTo(8080);
        assertThat(config.heartbeatInterval()).isEqualTo(Duration.ofMillis(3000));
        assertThat(config.heartbeatTimeout()).isEqualTo(Duration.ofMillis(10000));
        assertThat(config.stopGrace()).isEqualTo(Duration.ofMillis(10000));
        assertThat(config.killAfter()).isEqualTo(Duration.ofMillis(5000));
        assertThat(config.monitorInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.engineGracePeriod()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.autoscaleInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.agentTokenGenerated()).isFalse();
    }

    @Test
    void flagsOverrideEnvironment() {
        BatonConfig config = ConfigLoader.load(Map.of("PORT", "9000", "AGENT_TOKEN", "t"), Map.of("PORT", "9100"));
        assertThat(config.port()).isEqualTo(9100);
    }

    @Test
    void missingAgentTokenIsGeneratedNeverADefault() {
        BatonConfig first = ConfigLoader.load(Map.of(), Map.of());
        BatonConfig second = ConfigLoader.load(Map.of(), Map.of());
        assertThat(first.agentTokenGenerated()).isTrue();
        assertThat(first.agentToken()).hasSizeGreaterThanOrEqualTo(40).isNotEqualTo(second.agentToken());
    }

    @Test
    void badValueNamesVariableValueAndExpectation() {
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("HEARTBEAT_INTERVAL_MS", "abc"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("invalid configuration: HEARTBEAT_INTERVAL_MS=abc (expected: a whole number of "
                            + "milliseconds >= 0)");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("PORT", "70000"), Map.of()))
                .hasMessageContaining("PORT=70000").hasMessageContaining("0 to 65535");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("HEARTBEAT_INTERVAL_MS", "20000"), Map.of()))
                .hasMessageContaining("HEARTBEAT_TIMEOUT_MS=10000").hasMessageContaining("HEARTBEAT_INTERVAL_MS");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("ENGINES_ENABLED", "maybe"), Map.of()))
                .hasMessageContaining("ENGINES_ENABLED=maybe").hasMessageContaining("true or false");
    }

    @Test
    void enginePortRangeIsParsedAndChecked() {
        assertThat(ConfigLoader.load(Map.of("AGENT_TOKEN", "t"), Map.of()).enginePortRange())
                .isEqualTo(new PortRange(19000, 19999));
        assertThat(ConfigLoader.load(Map.of("AGENT_TOKEN", "t", "ENGINE_PORT_RANGE", "20000-20099"), Map.of())
                               .enginePortRange()).isEqualTo(new PortRange(20000, 20099));
        for (String bad : new String[] {"abc", "20000-19000", "0-10", "1-70000", "1-2-3"}) {
            assertThatThrownBy(() -> ConfigLoader.load(Map.of("ENGINE_PORT_RANGE", bad), Map.of()))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("invalid configuration: ENGINE_PORT_RANGE=" + bad + " (expected: FIRST-LAST with "
                                + "1 <= FIRST <= LAST <= 65535, e.g. 19000-19999)");
        }
    }

    @Test
    void logLevelIsOneOfLogbacksLevelsInAnyCase() {
        assertThat(ConfigLoader.load(Map.of("AGENT_TOKEN", "t"), Map.of()).logLevel()).isEqualTo("INFO");
        assertThat(ConfigLoader.load(Map.of("AGENT_TOKEN", "t", "LOG_LEVEL", "debug"), Map.of()).logLevel())
                .isEqualTo("DEBUG");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("LOG_LEVEL", "verbose"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("invalid configuration: LOG_LEVEL=verbose (expected: ERROR, WARN, INFO, DEBUG or TRACE)");
    }
}
