package dev.baton.agent.internal;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Thread factories whose threads say whose they are, so a thread dump (or a leak) is readable. */
final class NamedThreads {

    private NamedThreads() {}

    static ThreadFactory factory(String prefix, boolean daemon) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + '-' + count.incrementAndGet());
            thread.setDaemon(daemon);
            return thread;
        };
    }
}
