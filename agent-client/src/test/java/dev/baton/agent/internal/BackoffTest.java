package dev.baton.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.agent.ReconnectPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private static final double NO_SPREAD = 0.5; // uniform 0.5 maps to a jitter of exactly 0

    @Test
    void standardPolicyGrowsBy1point6FromOneSecondAndCapsAt120() {
        Backoff backoff = new Backoff(ReconnectPolicy.standard(), () -> NO_SPREAD);

        List<Long> millis = new ArrayList<>(); // whole milliseconds, truncated
        for (int i = 0; i < 14; i++) {
            millis.add(backoff.nextDelay().toMillis());
        }

        assertThat(millis).containsExactly(1000L, 1600L, 2560L, 4096L, 6553L, 10485L, 16777L, 26843L,
                                           42949L, 68719L, 109951L, 120000L, 120000L, 120000L);
        assertThat(backoff.exhausted()).isFalse();
    }

    @Test
    void jitterSpreadsEachDelayByPlusOrMinusTwentyPercent() {
        Backoff low = new Backoff(ReconnectPolicy.standard(), () -> 0.0);
        Backoff high = new Backoff(ReconnectPolicy.standard(), () -> Math.nextDown(1.0));

        assertThat(low.nextDelay()).isEqualTo(Duration.ofMillis(800));
        assertThat(low.nextDelay()).isEqualTo(Duration.ofMillis(1280));
        assertThat(high.nextDelay().toMillis()).isEqualTo(1200);
        assertThat(high.nextDelay().toMillis()).isEqualTo(1920);
    }

    @Test
    void jitterAppliesAroundTheCap() {
        Backoff backoff = new Backoff(ReconnectPolicy.standard(), () -> 0.0);
        Duration last = Duration.ZERO;
        for (int i = 0; i < 20; i++) {
            last = backoff.nextDelay();
        }
        assertThat(last).isEqualTo(Duration.ofSeconds(96)); // 120 s - 20 %
    }

    @Test
    void resetStartsAgainFromTheInitialDelay() {
        Backoff backoff = new Backoff(ReconnectPolicy.standard(), () -> NO_SPREAD);
        backoff.nextDelay();
        backoff.nextDelay();

        backoff.reset();

        assertThat(backoff.failures()).isZero();
        assertThat(backoff.nextDelay()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void boundedPolicyIsExhaustedAfterItsAttempts() {
        ReconnectPolicy three = ReconnectPolicy.of(Duration.ofMillis(10), 2, 0, Duration.ofSeconds(1), 3);
        Backoff backoff = new Backoff(three, () -> NO_SPREAD);

        backoff.nextDelay();
        backoff.nextDelay();
        assertThat(backoff.exhausted()).isFalse();
        backoff.nextDelay();
        assertThat(backoff.exhausted()).isTrue();
    }

    @Test
    void invalidPolicyNamesTheArgumentAndWhatWasExpected() {
        assertThatThrownBy(() -> ReconnectPolicy.of(Duration.ZERO, 1.6, 0.2, Duration.ofSeconds(1), 0))
                .hasMessage("initialDelay: PT0S (expected: > 0)");
        assertThatThrownBy(() -> ReconnectPolicy.of(Duration.ofSeconds(1), 0.5, 0.2, Duration.ofSeconds(1), 0))
                .hasMessage("multiplier: 0.5 (expected: >= 1)");
        assertThatThrownBy(() -> ReconnectPolicy.of(Duration.ofSeconds(1), 1.6, 1, Duration.ofSeconds(1), 0))
                .hasMessage("jitter: 1.0 (expected: >= 0 and < 1)");
    }
}
