package dev.baton.server.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
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

    @Test
    void intakeCommandsRunInOrderAFewAtATimeBetweenTheOtherCommands() throws Exception {
        try (ControlLoop loop = new ControlLoop(new VirtualTimeSource())) {
            CountDownLatch running = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            loop.execute(() -> {
                running.countDown();
                awaitQuietly(release);
            });
            running.await();
            List<String> ran = new ArrayList<>();
            int round = ControlLoop.INTAKE_PER_ROUND;
            for (int i = 1; i <= round + 4; i++) {
                String name = "submit-" + i;
                loop.intake(() -> ran.add(name));
            }
            loop.execute(() -> ran.add("ack"));
            loop.intake(() -> {
                throw new IllegalStateException("a failing intake command");
            });
            loop.intake(() -> ran.add("submit-" + (round + 5)));

            release.countDown();
            loop.sync();
            while (loop.queued() > 0) {
                loop.sync();
            }

            List<String> expected = new ArrayList<>();
            for (int i = 1; i <= round; i++) {
                expected.add("submit-" + i);
            }
            expected.add("ack");
            for (int i = round + 1; i <= round + 5; i++) {
                expected.add("submit-" + i);
            }
            assertThat(ran).containsExactlyElementsOf(expected);
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
