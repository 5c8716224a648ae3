package dev.baton.server.api;

import com.linecorp.armeria.common.sse.ServerSentEvent;
import com.linecorp.armeria.common.stream.StreamWriter;

import io.netty.channel.EventLoop;

/**
 * Paces an SSE response on its consumption: up to a few events may wait in the writer, then the
 * producer is told to wait and is woken (on its event loop) once the connection took them. Armeria
 * would otherwise queue events without bound behind a slow client.
 */
final class SsePacer {

    private final StreamWriter<ServerSentEvent> writer;
    private final EventLoop eventLoop;
    private final int maxUnconsumed;
    private int unconsumed;
    private boolean awaitingConsumption;

    SsePacer(StreamWriter<ServerSentEvent> writer, EventLoop eventLoop, int maxUnconsumed) {
        this.writer = writer;
        this.eventLoop = eventLoop;
        this.maxUnconsumed = maxUnconsumed;
    }

    /** True when another event may be written now; otherwise {@code wake} runs once the writer drained. */
    boolean isReady(Runnable wake) {
        if (!writer.isOpen()) {
            return false;
        }
        if (unconsumed < maxUnconsumed) {
            return true;
        }
        if (!awaitingConsumption) {
            awaitingConsumption = true;
            writer.whenConsumed().thenRun(() -> eventLoop.execute(() -> {
                awaitingConsumption = false;
                unconsumed = 0;
                wake.run();
            }));
        }
        return false;
    }

    void write(ServerSentEvent event) {
        if (writer.tryWrite(event)) {
            unconsumed++;
        }
    }
}
