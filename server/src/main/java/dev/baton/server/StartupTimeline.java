package dev.baton.server;

/**
 * How long each step of a server's start took, logged with {@code event=server-started}: where
 * start-up time goes, measured on every start rather than in a profiler. Not thread-safe: the
 * starting thread alone records steps.
 */
final class StartupTimeline {

    private final long origin = System.nanoTime();
    private long last = origin;
    private final StringBuilder steps = new StringBuilder();

    /** Ends step {@code name}, which began where the previous one ended. */
    void step(String name) {
        long now = System.nanoTime();
        steps.append(name).append('=').append((now - last) / 1_000_000).append(' ');
        last = now;
    }

    /** "store_open=412 api_build=830 … total=2140", in milliseconds. */
    String summary() {
        return steps + "total=" + (last - origin) / 1_000_000;
    }
}
