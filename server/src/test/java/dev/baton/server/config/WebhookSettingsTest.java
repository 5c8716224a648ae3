package dev.baton.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The WEBHOOK_* settings: defaults, parsing, and a clear refusal of bad values at start-up. */
class WebhookSettingsTest {

    private static WebhookSettings load(Map<String, String> env) {
        return ConfigLoader.load(env, Map.of()).webhooks();
    }

    @Test
    void defaultsAllowOnlyLoopbackAndRetryForADay() {
        WebhookSettings settings = load(Map.of());
        assertThat(settings.allowedHosts()).containsExactly("127.0.0.1", "::1", "localhost");
        assertThat(settings.giveUpAfter()).isEqualTo(Duration.ofHours(24));
        assertThat(settings.retryMax()).isEqualTo(Duration.ofHours(1));
        assertThat(settings.callbackSecret()).isEmpty();
    }

    @Test
    void hostsAreComparedInLowerCaseWithoutBrackets() {
        WebhookSettings settings = load(Map.of("WEBHOOK_ALLOWED_HOSTS", "Hooks.Example.COM, [::1] ,127.0.0.1",
                                               "WEBHOOK_MAX_FAILURES", "3", "WEBHOOK_CALLBACK_SECRET", "s3cret-value"));
        assertThat(settings.allowedHosts()).containsExactly("hooks.example.com", "::1", "127.0.0.1");
        assertThat(settings.maxConsecutiveFailures()).isEqualTo(3);
        assertThat(settings.toString()).doesNotContain("s3cret-value");
    }

    @Test
    void badValuesStopStartUpNamingTheSetting() {
        assertThatThrownBy(() -> load(Map.of("WEBHOOK_ALLOWED_HOSTS", "a,,b")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("invalid configuration: WEBHOOK_ALLOWED_HOSTS=a,,b (expected: host names or IP addresses "
                            + "separated by ',')");
        assertThatThrownBy(() -> load(Map.of("WEBHOOK_RETRY_BASE_MS", "10000", "WEBHOOK_RETRY_MAX_MS", "5000")))
                .hasMessage("invalid configuration: WEBHOOK_RETRY_MAX_MS=5000 (expected: >= WEBHOOK_RETRY_BASE_MS (10000))");
        assertThatThrownBy(() -> load(Map.of("WEBHOOK_MAX_FAILURES", "0")))
                .hasMessageContaining("WEBHOOK_MAX_FAILURES=0");
        assertThatThrownBy(() -> load(Map.of("WEBHOOK_TIMEOUT_MS", "soon")))
                .hasMessageContaining("WEBHOOK_TIMEOUT_MS=soon");
    }
}
