package dev.baton.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BacklogPeaksTest {

    @Test
    void keepsTheLargestValueOfEachGauge() {
        BacklogPeaks peaks = new BacklogPeaks();

        peaks.record("baton_control_queue 12.0\nbaton_store_queue 3.0\nbaton_jobs{status=\"RUNNING\"} 900.0\n");
        peaks.record("# HELP baton_control_queue commands waiting\nbaton_control_queue 4.0\nbaton_store_queue 7.0\n");

        assertThat(peaks.peaks()).isEqualTo(new BacklogPeaks.Peaks(12, 7));
    }

    @Test
    void aGaugeTheServerDoesNotPublishIsUnknown() {
        BacklogPeaks peaks = new BacklogPeaks();

        peaks.record("baton_store_queue 5.0\n");

        assertThat(peaks.peaks().controlLoop()).isNaN();
        assertThat(peaks.peaks().store()).isEqualTo(5);
    }
}
