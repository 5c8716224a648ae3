package dev.baton.bench.harness;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a process's CPU goes, by kind of thread: the JVM's garbage collector and JIT compilers
 * against the server's own threads, read from /proc/PID/task (Linux). A missed target is first a
 * question of which of these grew: a saturated two-core machine looks the same from outside whether
 * the collector, the compiler or the code is eating it (docs/benchmarks.md, session 9).
 */
public final class ThreadCpu {

    /** The groups reported, in the order of {@link #GROUPS}; a thread that matches none counts as {@link #OTHER}. */
    public static final String GC = "GC";
    public static final String JIT = "JIT compilers";
    public static final String EVENT_LOOPS = "Armeria event loops";
    public static final String CONTROL_LOOP = "control loop";
    public static final String STORE_WRITER = "store writer";
    public static final String OTHER = "other";
    public static final List<String> GROUPS = List.of(GC, JIT, EVENT_LOOPS, CONTROL_LOOP, STORE_WRITER, OTHER);

    private ThreadCpu() {}

    /** The group of a thread by its name as the kernel shows it (15 characters at most). */
    public static String groupOf(String threadName) {
        if (threadName.startsWith("GC Thread") || threadName.startsWith("G1 ")) {
            return GC;
        }
        if (threadName.startsWith("C1 Compiler") || threadName.startsWith("C2 Compiler")) {
            return JIT;
        }
        if (threadName.startsWith("armeria-common")) {
            return EVENT_LOOPS;
        }
        if (threadName.equals("baton-control")) {
            return CONTROL_LOOP;
        }
        if (threadName.startsWith("baton-store-wri")) {
            return STORE_WRITER;
        }
        return OTHER;
    }

    /** CPU time (user + system, nanoseconds) per thread id of {@code pid}, with each thread's group. */
    private static Map<Long, Sample> sample(long pid) {
        Map<Long, Sample> result = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    result.put(Long.parseLong(task.getFileName().toString()),
                               new Sample(groupOf(name), ProcessStats.cpuNanosOf(stat)));
                } catch (NoSuchFileException e) {
                    // the thread ended between the listing and the read
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the threads of process " + pid + ": " + e.getMessage(), e);
        }
        return result;
    }

    private record Sample(String group, long cpuNanos) {}

    /** Per-group CPU of a process between two points in time, as shares of one core. */
    public static final class Window {

        private final long pid;
        private final Map<Long, Sample> start;
        private final long startWall;

        private Window(long pid) {
            this.pid = pid;
            this.start = sample(pid);
            this.startWall = System.nanoTime();
        }

        public static Window start(long pid) {
            return new Window(pid);
        }

        /** Percent of one core per group since {@link #start}, every group present (0 when idle), in report order. */
        public Map<String, Double> percentOfOneCore() {
            long wall = System.nanoTime() - startWall;
            Map<String, Double> result = new LinkedHashMap<>();
            GROUPS.forEach(group -> result.put(group, 0.0));
            sample(pid).forEach((tid, now) -> {
                Sample before = start.get(tid); // a thread started meanwhile counts from zero
                long cpu = now.cpuNanos() - (before == null ? 0 : before.cpuNanos());
                result.merge(now.group(), 100.0 * cpu / wall, Double::sum);
            });
            return result;
        }
    }
}
