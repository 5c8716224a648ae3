package dev.baton.server;

/**
 * How long each step of a server's start took, logged with {@code event=server-started}: where
 * start-up time goes, measured on every start rather than in a profiler. Steps are recorded by the
 * starting thread and, with a shared PostgreSQL store, by the election thread when it elects this
 * server (possibly after the line was logged, which then lacks those steps): hence the locks.
 */
final class StartupTimeline {

    private final long origin = System.nanoTime();
    private long last = origin;
    private final StringBuilder steps = new StringBuilder();

    /** Ends step {@code name}, which began where the previous one ended. */
    synchronized void step(String name) {
        long now = System.nanoTime();
        steps.append(name).append('=').append((now - last) / 1_000_000).append(' ');
        last = now;
    }

    /** "store_open=412 api_build=830 … total=2140", in milliseconds. */
    synchronized String summary() {
        return steps + "total=" + (last - origin) / 1_000_000;
    }
}
