package dev.baton.server.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/** Job ids are version-7 UUIDs: time first, so later ids sort later, as text too. */
class JobIdsTest {

    @Test
    void anIdIsAVersion7UuidThatCarriesItsMillisecond() {
        Instant now = Instant.parse("2026-11-29T02:30:00.123Z");

        UUID id = UUID.fromString(JobIds.next(now));

        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(now.toEpochMilli());
    }

    @Test
    void idsOfLaterMillisecondsSortAfterEarlierOnesAsText() {
        Instant start = Instant.parse("2026-11-29T02:30:00Z");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            ids.add(JobIds.next(start.plusMillis(i * 37L)));
        }

        assertThat(ids).isSorted();
    }

    @Test
    void idsOfOneMillisecondAreStillDistinct() {
        Instant now = Instant.parse("2026-11-29T02:30:00Z");
        HashSet<String> ids = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            ids.add(JobIds.next(now));
        }

        assertThat(ids).hasSize(100_000);
    }
}
