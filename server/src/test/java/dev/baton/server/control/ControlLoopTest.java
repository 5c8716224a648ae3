package dev.baton.server.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;

import dev.baton.server.time.VirtualTimeSource;

class ControlLoopTest {

    @Test
    void countsTheCommandsWaitingBehindTheOneRunning() throws Exception {
        try (ControlLoop loop = new ControlLoop(new VirtualTimeSource())) {
            CountDownLatch running = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            loop.execute(() -> {
                running.countDown();
                awaitQuietly(release);
            });
            running.await();
            loop.execute(() -> {});
            loop.execute(() -> {});

            assertThat(loop.queued()).isEqualTo(2);

            release.countDown();
            loop.sync();
            assertThat(loop.queued()).isZero();
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
