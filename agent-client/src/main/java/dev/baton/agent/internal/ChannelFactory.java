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
        TlsChannelCredentials.Builder tls = TlsChannelCredentials.newBuilder();
        try {
            if (settings.caFile() != null) {
                tls.trustManager(settings.caFile().toFile());
            }
            if (settings.clientCertFile() != null) {
                tls.keyManager(settings.clientCertFile().toFile(), settings.clientKeyFile().toFile());
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot use the TLS files (caFile " + settings.caFile()
                                               + ", clientCertificate " + settings.clientCertFile() + ", clientKey "
                                               + settings.clientKeyFile() + "): " + e.getMessage(), e);
        }
        return tls.build();
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
