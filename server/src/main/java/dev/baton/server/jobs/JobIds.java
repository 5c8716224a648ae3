package dev.baton.server.jobs;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.UUID;

/**
 * New job ids: UUIDs of version 7 (RFC 9562), whose first 48 bits are the submit time in
 * milliseconds and the other 74 random. They read and parse like any UUID, and an id made in a
 * later millisecond sorts after one made earlier (as text too; within one millisecond the order is
 * random), so the store's index on job ids grows at one end: a
 * commit writes the few index pages of recent jobs. With random (version 4) ids every job in a
 * commit sat on a page of its own among the thousands of the index, and each of those pages went to
 * the write-ahead log, the disk sync and the next checkpoint (docs/benchmarks.md, session 11).
 */
final class JobIds {

    private static final SecureRandom RANDOM = new SecureRandom();

    private JobIds() {
    }

    static String next(Instant now) {
        long millis = now.toEpochMilli() & 0xFFFF_FFFF_FFFFL;
        long high = (millis << 16) | 0x7000L | (RANDOM.nextInt() & 0x0FFFL);
        long low = (RANDOM.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(high, low).toString();
    }
}
