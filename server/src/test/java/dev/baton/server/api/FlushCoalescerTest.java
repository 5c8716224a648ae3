package dev.baton.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.local.LocalAddress;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalServerChannel;

/**
 * On a real event loop (Netty's in-memory transport): sends queued together go out in two flushes
 * (the first at once, the rest when the queued tasks have run), a flush with nothing queued behind it
 * goes out at once, and nothing written is left unsent.
 */
class FlushCoalescerTest {

    /** Counts the flushes that reach the transport. */
    private static final class FlushCounter extends ChannelOutboundHandlerAdapter {
        volatile int flushes;

        @Override
        public void flush(ChannelHandlerContext ctx) {
            flushes++;
            ctx.flush();
        }
    }

    private final DefaultEventLoopGroup loops = new DefaultEventLoopGroup(1);
    private final FlushCounter transport = new FlushCounter();
    private final List<Object> received = new ArrayList<>();
    private Channel server;
    private Channel client;

    @BeforeEach
    void connect() throws InterruptedException {
        LocalAddress address = new LocalAddress("flush-coalescer-test-" + System.nanoTime());
        server = new ServerBootstrap().group(loops).channel(LocalServerChannel.class)
                .childHandler(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object message) {
                        synchronized (received) {
                            received.add(message);
                            received.notifyAll();
                        }
                    }
                }).bind(address).sync().channel();
        client = new Bootstrap().group(loops).channel(LocalChannel.class)
                .handler(new ChannelInitializer<LocalChannel>() {
                    @Override
                    protected void initChannel(LocalChannel channel) {
                        // Flushes travel from the last handler to the first: the counter sees only the
                        // flushes the coalescer lets through.
                        channel.pipeline().addLast(transport, new FlushCoalescer());
                    }
                }).connect(address).sync().channel();
    }

    @AfterEach
    void close() throws InterruptedException {
        client.close().sync();
        server.close().sync();
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    @Test
    void aLoneFlushGoesOutAtOnce() throws Exception {
        int flushesRightAfter = onLoop(() -> {
            client.writeAndFlush("a");
            return transport.flushes;
        });

        assertThat(flushesRightAfter).isEqualTo(1);
        awaitReceived(1);
        assertThat(received).containsExactly("a");
    }

    @Test
    void sendsQueuedTogetherOnTheLoopGoOutInTwoFlushes() throws Exception {
        // Three tasks queued at once, as the sends of three watch streams of one connection are.
        int[] flushesSeenByTheLastSend = new int[1];
        CountDownLatch queued = new CountDownLatch(1);
        client.eventLoop().execute(() -> await(queued));
        client.eventLoop().execute(() -> client.writeAndFlush("a"));
        client.eventLoop().execute(() -> client.writeAndFlush("b"));
        client.eventLoop().execute(() -> {
            client.writeAndFlush("c");
            flushesSeenByTheLastSend[0] = transport.flushes;
        });
        queued.countDown();
        onLoop(() -> null); // runs after the sends; the turn's end is queued behind it by then
        int flushesAfterTheTurn = onLoop(() -> transport.flushes);

        assertThat(flushesSeenByTheLastSend[0]).as("only the first went out during the turn").isEqualTo(1);
        assertThat(flushesAfterTheTurn).isEqualTo(2);
        awaitReceived(3);
        assertThat(received).containsExactly("a", "b", "c");
    }

    @Test
    void flushesWithNothingQueuedBehindThemEachGoOutAtOnce() throws Exception {
        int flushes = onLoop(() -> {
            client.writeAndFlush("a");
            client.writeAndFlush("b");
            return transport.flushes;
        });

        assertThat(flushes).isEqualTo(2);
        awaitReceived(2);
        assertThat(received).containsExactly("a", "b");
    }

    @Test
    void aFullOutboundBufferSendsWhatWasHeldBackAtOnce() throws Exception {
        int[] flushes = new int[1];
        CountDownLatch queued = new CountDownLatch(1);
        client.eventLoop().execute(() -> await(queued));
        client.eventLoop().execute(() -> client.writeAndFlush("a"));
        client.eventLoop().execute(() -> {
            client.writeAndFlush("b");
            client.pipeline().fireChannelWritabilityChanged();
            flushes[0] = transport.flushes;
        });
        client.eventLoop().execute(() -> { });
        queued.countDown();
        onLoop(() -> null);

        assertThat(flushes[0]).isEqualTo(2);
        awaitReceived(2);
        assertThat(received).containsExactly("a", "b");
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private <T> T onLoop(Callable<T> task) throws Exception {
        return client.eventLoop().submit(task).get(5, TimeUnit.SECONDS);
    }

    private void awaitReceived(int count) throws InterruptedException {
        synchronized (received) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (received.size() < count && System.nanoTime() < deadline) {
                received.wait(100);
            }
        }
    }
}
