package dev.baton.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The server's pauses are read from its Prometheus text, every kind of collection summed. */
class GcPausesTest {

    @Test
    void sumsThePauseCountsAndSecondsOfEveryKindOfCollection() {
        String text = """
                # HELP jvm_gc_pause_seconds Time spent in GC pause
                # TYPE jvm_gc_pause_seconds summary
                jvm_gc_pause_seconds_count{action="end of minor GC",cause="G1 Evacuation Pause",gc="G1 Young Generation"} 12
                jvm_gc_pause_seconds_sum{action="end of minor GC",cause="G1 Evacuation Pause",gc="G1 Young Generation"} 0.25
                jvm_gc_pause_seconds_count{action="end of major GC",cause="System.gc()",gc="G1 Old Generation"} 1.0
                jvm_gc_pause_seconds_sum{action="end of major GC",cause="System.gc()",gc="G1 Old Generation"} 0.05
                # TYPE jvm_gc_pause_seconds_max gauge
                jvm_gc_pause_seconds_max{action="end of minor GC",cause="G1 Evacuation Pause",gc="G1 Young Generation"} 0.03
                """;

        GcPauses.Totals totals = GcPauses.parse(text);

        assertThat(totals.count()).isEqualTo(13);
        assertThat(totals.seconds()).isCloseTo(0.30, within(1e-9));
    }

    @Test
    void aServerWithoutTheMeterHasNoTotals() {
        assertThat(GcPauses.parse("baton_jobs{status=\"RUNNING\"} 3\n")).isNull();
    }

    @Test
    void theLoadGeneratorCountsItsOwnCollections() {
        GcPauses.Totals before = GcPauses.generatorTotals();

        System.gc();

        assertThat(GcPauses.generatorTotals().count()).isGreaterThan(before.count());
    }
}
