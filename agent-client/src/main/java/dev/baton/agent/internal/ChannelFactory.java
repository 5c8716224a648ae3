package dev.baton.agent.internal;

import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioIoHandler;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Makes one channel per connection attempt, so the agent's own backoff alone decides when to
 * retry (a long-lived channel would add its own, hidden, reconnect backoff). All channels share
 * one I/O thread and run callbacks on the agent's executors: after {@link #close()} no thread of
 * gRPC's shared pools is left behind.
 */
final class ChannelFactory implements AutoCloseable {

    private static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

    private final AgentSettings settings;
    private final Executor callbacks;
    private final Executor blocking;
    private final EventLoopGroup io;
    private final ChannelCredentials credentials;

    ChannelFactory(AgentSettings settings, Executor callbacks, Executor blocking) {
        this.settings = settings;
        this.callbacks = callbacks;
        this.blocking = blocking;
        this.credentials = credentials(settings);
        this.io = new MultiThreadIoEventLoopGroup(
                1, NamedThreads.factory("baton-agent-io", true), NioIoHandler.newFactory());
    }

    private static ChannelCredentials credentials(AgentSettings settings) {
        if (!settings.tls()) {
            return InsecureChannelCredentials.create();
        }
        if (settings.caFile() == null) {
            return TlsChannelCredentials.create();
        }
        try {
            return TlsChannelCredentials.newBuilder().trustManager(settings.caFile().toFile()).build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the CA file " + settings.caFile(), e);
        }
    }

    ManagedChannel newChannel(String target) {
        return NettyChannelBuilder.forTarget(target, credentials)
                                  .eventLoopGroup(io)
                                  .channelType(NioSocketChannel.class)
                                  .executor(callbacks)
                                  .offloadExecutor(blocking)
                                  .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                                  // Notices a dead server the TCP stack would not report for minutes.
                                  .keepAliveTime(60, TimeUnit.SECONDS)
                                  .keepAliveTimeout(20, TimeUnit.SECONDS)
                                  .disableRetry()
                                  .userAgent("baton-agent/" + settings.version())
                                  .build();
    }

    @Override
    public void close() {
        io.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
