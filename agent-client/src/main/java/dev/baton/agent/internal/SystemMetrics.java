package dev.baton.agent.internal;

import dev.baton.agent.HeartbeatMetrics;
import dev.baton.proto.v1.AgentMetrics;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** Host CPU use and this process's resident memory, from the JVM and /proc. */
public final class SystemMetrics implements HeartbeatMetrics {

    private static final Path PROC_STATUS = Path.of("/proc/self/status");

    @Override
    public AgentMetrics collect() {
        AgentMetrics.Builder metrics = AgentMetrics.newBuilder().setMemoryBytes(residentBytes());
        if (ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            double load = os.getCpuLoad(); // 0..1 of all cores; negative when not available yet
            if (load >= 0) {
                metrics.setCpuPercent(load * 100 * os.getAvailableProcessors());
            }
        }
        return metrics.build();
    }

    private static long residentBytes() {
        try {
            for (String line : Files.readAllLines(PROC_STATUS)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // Not Linux: fall back to the heap in use, the best the JVM tells portably.
        }
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
