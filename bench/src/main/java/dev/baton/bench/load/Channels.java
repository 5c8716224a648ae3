package dev.baton.bench.load;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;

/**
 * A set of gRPC connections to 127.0.0.1 that share a few event-loop threads. Callbacks run on
 * those threads (direct executor), so everything a simulated client does on a message must be
 * short and must never block.
 */
public final class Channels implements AutoCloseable {

    private final EventLoopGroup group;
    private final List<ManagedChannel> channels;

    private Channels(EventLoopGroup group, List<ManagedChannel> channels) {
        this.group = group;
        this.channels = channels;
    }

    /** {@code count} connections to {@code 127.0.0.1:port} on {@code threads} event-loop threads. */
    public static Channels open(int port, int count, int threads, String name) {
        if (count < 1 || threads < 1) {
            throw new IllegalArgumentException("count: " + count + ", threads: " + threads + " (expected: >= 1)");
        }
        boolean epoll = Epoll.isAvailable();
        DefaultThreadFactory factory = new DefaultThreadFactory(name, true);
        EventLoopGroup group = epoll ? new EpollEventLoopGroup(threads, factory) : new NioEventLoopGroup(threads, factory);
        List<ManagedChannel> channels = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            channels.add(NettyChannelBuilder.forAddress("127.0.0.1", port)
                                            .usePlaintext()
                                            .eventLoopGroup(group)
                                            .channelType(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                                            .directExecutor()
                                            .maxInboundMessageSize(16 * 1024 * 1024)
                                            .build());
        }
        return new Channels(group, channels);
    }

    /** The {@code i}-th channel, round robin. */
    public ManagedChannel get(int i) {
        return channels.get(Math.floorMod(i, channels.size()));
    }

    public int size() {
        return channels.size();
    }

    public List<ManagedChannel> all() {
        return channels;
    }

    @Override
    public void close() {
        channels.forEach(ManagedChannel::shutdownNow);
        for (ManagedChannel channel : channels) {
            try {
                channel.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
