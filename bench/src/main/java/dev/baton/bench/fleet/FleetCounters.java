package dev.baton.bench.fleet;

import java.util.concurrent.atomic.LongAdder;

/** What the simulated agents did and saw, summed over the fleet. */
public final class FleetCounters {
    public final LongAdder welcomes = new LongAdder();
    public final LongAdder assigns = new LongAdder();
    public final LongAdder running = new LongAdder();
    public final LongAdder stopped = new LongAdder();
    public final LongAdder heartbeats = new LongAdder();
    public final LongAdder stopsReceived = new LongAdder();
    public final LongAdder errors = new LongAdder();
    /** Running jobs a Welcome rejected (recent ends the server already had do not count). */
    public final LongAdder rejectedJobs = new LongAdder();
    /** Streams of welcomed agents that the server ended, or that broke, while the agent meant to stay. */
    public final LongAdder sessionsLost = new LongAdder();
    public final LongAdder reconnects = new LongAdder();
    /** Assigns for a job the fleet had already started (counted only with {@code trackRepeatedStarts}). */
    public final LongAdder repeatedStarts = new LongAdder();
}
