package dev.baton.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ThreadCpuTest {

    /** Where the busy loop below puts its result, so that the JIT cannot drop the loop. */
    private static volatile long sink;

    @Test
    void threadsAreGroupedByTheNamesTheKernelShows() {
        assertThat(ThreadCpu.groupOf("GC Thread#1")).isEqualTo(ThreadCpu.GC);
        assertThat(ThreadCpu.groupOf("G1 Conc#0")).isEqualTo(ThreadCpu.GC);
        assertThat(ThreadCpu.groupOf("C2 CompilerThre")).isEqualTo(ThreadCpu.JIT);
        assertThat(ThreadCpu.groupOf("C1 CompilerThre")).isEqualTo(ThreadCpu.JIT);
        assertThat(ThreadCpu.groupOf("armeria-common-")).isEqualTo(ThreadCpu.EVENT_LOOPS);
        assertThat(ThreadCpu.groupOf("baton-control")).isEqualTo(ThreadCpu.CONTROL_LOOP);
        assertThat(ThreadCpu.groupOf("baton-store-wri")).isEqualTo(ThreadCpu.STORE_WRITER);
        assertThat(ThreadCpu.groupOf("baton-timers")).isEqualTo(ThreadCpu.OTHER);
    }

    @Test
    void aWindowCountsTheCpuThisProcessSpentInItsOwnThreads() {
        ThreadCpu.Window window = ThreadCpu.Window.start(ProcessStats.selfPid());
        // Spins on this thread (group "other") until the kernel's 10 ms ticks show it, or gives up.
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Map<String, Double> shares = window.percentOfOneCore();
        while (shares.get(ThreadCpu.OTHER) == 0 && System.nanoTime() < deadline) {
            long sum = 0;
            for (int i = 0; i < 1_000_000; i++) {
                sum += i ^ sum;
            }
            sink = sum;
            shares = window.percentOfOneCore();
        }

        assertThat(shares.keySet()).containsExactlyElementsOf(ThreadCpu.GROUPS);
        assertThat(shares.get(ThreadCpu.OTHER)).isPositive();
        assertThat(shares.values()).allSatisfy(share -> assertThat(share).isNotNegative());
    }
}
