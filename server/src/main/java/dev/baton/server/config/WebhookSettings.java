package dev.baton.server.config;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * How webhooks are delivered (the WEBHOOK_* settings), validated once at start-up. Part of
 * {@link BatonConfig}; built through {@link BatonConfig.Builder#webhooks()}.
 */
public record WebhookSettings(List<String> allowedHosts, Duration attemptTimeout, Duration retryBase,
                              Duration retryMax, Duration giveUpAfter, int maxConsecutiveFailures, int historySize,
                              String callbackSecret) {

    /** Loopback only: a new server calls nothing but this machine until an operator widens it. */
    public static final List<String> DEFAULT_ALLOWED_HOSTS = List.of("127.0.0.1", "::1", "localhost");

    public WebhookSettings {
        allowedHosts = allowedHosts.stream().map(WebhookSettings::normalizeHost).toList();
    }

    /** A host as the allow-list compares it: lower case, without IPv6 brackets or a trailing dot. */
    public static String normalizeHost(String host) {
        String h = host.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    /** Mutable while the configuration is read; {@link BatonConfig.Builder#build()} builds and checks it. */
    public static final class Builder {
        private List<String> allowedHosts = DEFAULT_ALLOWED_HOSTS;
        private Duration attemptTimeout = Duration.ofSeconds(10);
        private Duration retryBase = Duration.ofSeconds(5);
        private Duration retryMax = Duration.ofHours(1);
        private Duration giveUpAfter = Duration.ofHours(24);
        private int maxConsecutiveFailures = 20;
        private int historySize = 50;
        private String callbackSecret = "";

        Builder() {}

        public Builder allowedHosts(List<String> v) { allowedHosts = List.copyOf(v); return this; }
        public Builder attemptTimeout(Duration v) { attemptTimeout = v; return this; }
        public Builder retryBase(Duration v) { retryBase = v; return this; }
        public Builder retryMax(Duration v) { retryMax = v; return this; }
        public Builder giveUpAfter(Duration v) { giveUpAfter = v; return this; }
        public Builder maxConsecutiveFailures(int v) { maxConsecutiveFailures = v; return this; }
        public Builder historySize(int v) { historySize = v; return this; }
        public Builder callbackSecret(String v) { callbackSecret = v; return this; }

        WebhookSettings build() {
            check(!allowedHosts.isEmpty() && allowedHosts.stream().noneMatch(String::isBlank),
                  "WEBHOOK_ALLOWED_HOSTS", String.join(",", allowedHosts), "host names or IP addresses separated by ','");
            check(positive(attemptTimeout), "WEBHOOK_TIMEOUT_MS", attemptTimeout.toMillis(), "an integer > 0");
            check(positive(retryBase), "WEBHOOK_RETRY_BASE_MS", retryBase.toMillis(), "an integer > 0");
            check(retryMax.compareTo(retryBase) >= 0, "WEBHOOK_RETRY_MAX_MS", retryMax.toMillis(),
                  ">= WEBHOOK_RETRY_BASE_MS (" + retryBase.toMillis() + ")");
            check(positive(giveUpAfter), "WEBHOOK_GIVE_UP_AFTER_S", giveUpAfter.toSeconds(), "an integer > 0");
            check(maxConsecutiveFailures >= 1, "WEBHOOK_MAX_FAILURES", maxConsecutiveFailures, "an integer >= 1");
            check(historySize >= 1, "WEBHOOK_HISTORY_SIZE", historySize, "an integer >= 1");
            return new WebhookSettings(allowedHosts, attemptTimeout, retryBase, retryMax, giveUpAfter,
                                       maxConsecutiveFailures, historySize, callbackSecret);
        }

        private static boolean positive(Duration d) {
            return d != null && !d.isNegative() && !d.isZero();
        }

        private static void check(boolean ok, String name, Object value, String expected) {
            if (!ok) {
                throw new ConfigException(name, String.valueOf(value), expected);
            }
        }
    }

    @Override
    public String toString() {
        return "WebhookSettings[allowedHosts=" + allowedHosts + ", attemptTimeout=" + attemptTimeout
               + ", retryBase=" + retryBase + ", retryMax=" + retryMax + ", giveUpAfter=" + giveUpAfter
               + ", maxConsecutiveFailures=" + maxConsecutiveFailures + ", historySize=" + historySize
               + ", callbackSecret=" + (callbackSecret.isEmpty() ? "(none)" : "(set)") + "]";
    }
}
