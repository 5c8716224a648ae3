package dev.baton.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobClockTest {

    @Test
    void theTimelineHasOneLinePerSubmittedJobWithItsLatenciesInMicroseconds(@TempDir Path dir) throws Exception {
        JobClock clock = new JobClock(4);
        long start = System.nanoTime();
        clock.submitted(1, start);
        clock.acked(1, start + 700_000);
        clock.runningSent(1, start + 1_500_000);
        clock.runningSeen(1, start + 2_250_000);
        clock.submitted(2, start + 5_000_000); // never answered
        long before = System.currentTimeMillis();

        Path file = dir.resolve("timeline.csv");
        clock.writeTimeline(file, 0, 4);

        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).isEqualTo("seq,submitted_epoch_us,ack_us,running_sent_us,running_seen_us");
        String[] first = lines.get(1).split(",");
        assertThat(first[0]).isEqualTo("1");
        assertThat(Long.parseLong(first[1]) / 1000).as("submitted, on the wall clock").isBetween(before - 1000, before);
        assertThat(List.of(first).subList(2, 5)).containsExactly("700", "1500", "2250");
        assertThat(lines.get(2)).startsWith("2,").endsWith(",-1,-1,-1");
    }
}
