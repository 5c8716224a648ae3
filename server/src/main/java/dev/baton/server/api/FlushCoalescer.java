package dev.baton.server.api;

import java.util.concurrent.RejectedExecutionException;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.concurrent.SingleThreadEventExecutor;

/**
 * Folds the flushes of a burst of sends on one connection into one system call. Armeria flushes
 * every message it writes: a watch event for twenty streams on one connection was twenty writes,
 * each a system call. When a flush finds other tasks queued on its event loop (the other streams'
 * sends), it goes out and opens a turn: the flushes that follow wait for one flush at the turn's
 * end, a task queued behind those. A flush with nothing queued behind it goes out alone, after one
 * look at the loop's queue: Netty's {@code FlushConsolidationHandler}, which holds back every flush
 * by a task, made one job submitted at a time 0.4–0.7 ms slower on this machine; this one measured
 * 0.18 ms in one pair of runs, within the spread (docs/benchmarks.md, session 10).
 *
 * <p>One per channel (not sharable); everything runs on the channel's event loop.
 */
final class FlushCoalescer extends ChannelDuplexHandler {

    private boolean turnOpen;
    private boolean flushPending;

    @Override
    public void flush(ChannelHandlerContext ctx) {
        if (turnOpen) {
            flushPending = true;
            return;
        }
        ctx.flush();
        if (!(ctx.channel().eventLoop() instanceof SingleThreadEventExecutor loop) || loop.pendingTasks() == 0) {
            return;
        }
        turnOpen = true;
        try {
            // Queued behind what is already waiting on the loop: the turn ends after it has run.
            loop.execute(() -> endTurn(ctx));
        } catch (RejectedExecutionException e) {
            turnOpen = false; // the loop is shutting down: no more turns, every flush goes through
        }
    }

    private void endTurn(ChannelHandlerContext ctx) {
        turnOpen = false;
        if (flushPending) {
            flushPending = false;
            ctx.flush();
        }
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        flushNowIfPending(ctx);
        ctx.close(promise);
    }

    @Override
    public void disconnect(ChannelHandlerContext ctx, ChannelPromise promise) {
        flushNowIfPending(ctx);
        ctx.disconnect(promise);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        // The outbound buffer filled up: what is held back must go, or the writer waits for nothing.
        flushNowIfPending(ctx);
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        flushNowIfPending(ctx);
    }

    private void flushNowIfPending(ChannelHandlerContext ctx) {
        if (flushPending) {
            flushPending = false;
            ctx.flush();
        }
    }
}
