package dev.baton.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time and resident memory of a process, read from /proc (Linux): the same numbers as
 * {@code ps -o rss=,cputime= -p PID}, but with the kernel's tick resolution.
 */
public final class ProcessStats {

    /** USER_HZ: 100 on every Linux the JDK runs on here ({@code getconf CLK_TCK}). */
    private static final long NANOS_PER_TICK = 10_000_000L;

    private ProcessStats() {}

    /** User + system CPU time of {@code pid} (all threads), in nanoseconds. */
    public static long cpuNanos(long pid) {
        return cpuNanosOf(read(Path.of("/proc", Long.toString(pid), "stat")));
    }

    /** User + system CPU time in a /proc stat line (of a process or of one of its threads), in nanoseconds. */
    static long cpuNanosOf(String stat) {
        // The command name (field 2) may contain spaces: fields are counted after its closing ')'.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long utime = Long.parseLong(fields[11]);
        long stime = Long.parseLong(fields[12]);
        return (utime + stime) * NANOS_PER_TICK;
    }

    /** Resident set size of {@code pid} in KiB (VmRSS). */
    public static long rssKiB(long pid) {
        for (String line : read(Path.of("/proc", Long.toString(pid), "status")).split("\n")) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/" + pid + "/status");
    }

    public static long selfPid() {
        return ProcessHandle.current().pid();
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /** CPU used by a process between two points in time, as a share of one core. */
    public record CpuWindow(long pid, long startCpu, long startWall) {
        public static CpuWindow start(long pid) {
            return new CpuWindow(pid, cpuNanos(pid), System.nanoTime());
        }

        /** Percent of one core since {@link #start}. */
        public double percentOfOneCore() {
            long wall = System.nanoTime() - startWall;
            return wall <= 0 ? Double.NaN : 100.0 * (cpuNanos(pid) - startCpu) / wall;
        }
    }
}
