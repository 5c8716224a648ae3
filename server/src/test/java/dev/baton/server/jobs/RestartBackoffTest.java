package dev.baton.server.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.SplittableRandom;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RestartBackoffTest {

    @ParameterizedTest(name = "restart {0}: {1}..{2} ms")
    @CsvSource({"1, 800, 1200", "2, 1600, 2400", "3, 3200, 4800", "6, 25600, 38400", "7, 48000, 60000",
                "30, 48000, 60000"})
    void doublesWithTwentyPercentJitterUpToTheCap(int restart, long min, long max) {
        RestartBackoff backoff = new RestartBackoff(Duration.ofSeconds(1), Duration.ofSeconds(60),
                                                    new SplittableRandom(7));
        for (int i = 0; i < 200; i++) {
            assertThat(backoff.delay(restart).toMillis()).isBetween(min, max);
        }
    }
}
