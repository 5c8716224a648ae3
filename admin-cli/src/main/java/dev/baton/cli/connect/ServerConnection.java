package dev.baton.cli.connect;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

import dev.baton.cli.VersionProvider;
import dev.baton.cli.input.InvalidInputException;
import dev.baton.proto.v1.EngineServiceGrpc;
import dev.baton.proto.v1.EngineServiceGrpc.EngineServiceBlockingStub;
import dev.baton.proto.v1.FleetServiceGrpc;
import dev.baton.proto.v1.FleetServiceGrpc.FleetServiceBlockingStub;
import dev.baton.proto.v1.JobServiceGrpc;
import dev.baton.proto.v1.JobServiceGrpc.JobServiceBlockingStub;
import dev.baton.proto.v1.RouteServiceGrpc;
import dev.baton.proto.v1.RouteServiceGrpc.RouteServiceBlockingStub;
import dev.baton.proto.v1.SystemServiceGrpc;
import dev.baton.proto.v1.SystemServiceGrpc.SystemServiceBlockingStub;
import dev.baton.proto.v1.TemplateServiceGrpc;
import dev.baton.proto.v1.TemplateServiceGrpc.TemplateServiceBlockingStub;
import dev.baton.proto.v1.WatchServiceGrpc;
import dev.baton.proto.v1.WatchServiceGrpc.WatchServiceBlockingStub;
import dev.baton.proto.v1.WebhookServiceGrpc;
import dev.baton.proto.v1.WebhookServiceGrpc.WebhookServiceBlockingStub;
import io.grpc.Channel;
import io.grpc.ChannelCredentials;
import io.grpc.ClientInterceptors;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.MetadataUtils;

/**
 * One channel to the server for the life of a command, with the bearer token attached to every call.
 * Unary stubs get a fresh deadline of {@code --timeout} each time they are asked for, because a stub's
 * deadline is fixed when the stub is made.
 */
public final class ServerConnection implements AutoCloseable {

    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final ConnectionOptions options;
    private final LeaderFollowingChannel servers;
    private final Channel channel;
    private final LastMethodInterceptor lastMethod;

    private ServerConnection(ConnectionOptions options, LeaderFollowingChannel servers, Channel channel,
                             LastMethodInterceptor lastMethod) {
        this.options = options;
        this.servers = servers;
        this.channel = channel;
        this.lastMethod = lastMethod;
    }

    /**
     * Makes the channel; nothing is dialled until the first call. With several servers (HA), unary
     * calls follow a standby's leader hint or move on to the next server.
     */
    public static ServerConnection open(ConnectionOptions options) {
        requireNonNull(options, "options");
        ChannelCredentials credentials = credentials(options);
        LeaderFollowingChannel servers = new LeaderFollowingChannel(options.servers(), address ->
                Grpc.newChannelBuilderForAddress(address.host(), address.port(), credentials)
                    .userAgent("batonctl/" + VersionProvider.version())
                    .build());
        LastMethodInterceptor lastMethod = new LastMethodInterceptor();
        Channel channel = ClientInterceptors.intercept(servers, lastMethod);
        if (options.token() != null) {
            Metadata headers = new Metadata();
            headers.put(AUTHORIZATION, "Bearer " + options.token());
            channel = ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers));
        }
        return new ServerConnection(options, servers, channel, lastMethod);
    }

    private static ChannelCredentials credentials(ConnectionOptions options) {
        if (!options.tls()) {
            return InsecureChannelCredentials.create();
        }
        if (options.caFile() == null) {
            return TlsChannelCredentials.create();
        }
        try {
            return TlsChannelCredentials.newBuilder().trustManager(options.caFile().toFile()).build();
        } catch (IOException e) {
            throw new InvalidInputException("--ca-file: cannot read " + options.caFile() + ": " + e.getMessage());
        }
    }

    /** The address this connection dials, for messages. */
    public ServerAddress address() {
        return options.address();
    }

    /** The full name of the last method called ({@code baton.v1.JobService/GetJob}), "" before any call. */
    public String lastMethod() {
        return lastMethod.lastMethod();
    }

    /** Jobs, with a fresh deadline. */
    public JobServiceBlockingStub jobs() {
        return JobServiceGrpc.newBlockingStub(channel).withDeadlineAfter(timeoutMillis(), TimeUnit.MILLISECONDS);
    }

    /** Templates, with a fresh deadline. */
    public TemplateServiceBlockingStub templates() {
        return TemplateServiceGrpc.newBlockingStub(channel)
                                  .withDeadlineAfter(timeoutMillis(), TimeUnit.MILLISECONDS);
    }

    /** Webhook subscriptions and deliveries, with a fresh deadline. */
    public WebhookServiceBlockingStub webhooks() {
        return WebhookServiceGrpc.newBlockingStub(channel).withDeadlineAfter(timeoutMillis(), TimeUnit.MILLISECONDS);
    }

    /** Agents, with a fresh deadline. */
    public FleetServiceBlockingStub fleet() {
        return FleetServiceGrpc.newBlockingStub(channel).withDeadlineAfter(timeoutMillis(), TimeUnit.MILLISECONDS);
    }

    /** Engines and pools, with a fresh deadline. */
    public EngineServiceBlockingStub engines() {
        return EngineServiceGrpc.newBlockingStub(channel)
                                .withDeadlineAfter(timeoutMillis(), TimeUnit.MILLISECONDS);
    }

    /** Where jobs are served, with a fresh deadline. */
    public RouteServiceBlockingStub routes() {
        return RouteServiceGrpc.newBlockingStub(channel).withDeadlineAfter(timeoutMillis(), TimeUnit.MILLISECONDS);
    }

    /** Server status, with a fresh deadline. */
    public SystemServiceBlockingStub system() {
        return SystemServiceGrpc.newBlockingStub(channel).withDeadlineAfter(timeoutMillis(), TimeUnit.MILLISECONDS);
    }

    /** The watch stream, without a deadline: a watch lasts as long as the caller wants. */
    public WatchServiceBlockingStub watch() {
        return WatchServiceGrpc.newBlockingStub(channel);
    }

    /** Job logs; a follow ({@code follow}) has no deadline: it lasts as long as the attempt. */
    public dev.baton.proto.v1.LogServiceGrpc.LogServiceBlockingStub logs(boolean follow) {
        var stub = dev.baton.proto.v1.LogServiceGrpc.newBlockingStub(channel);
        return follow ? stub : stub.withDeadlineAfter(timeoutMillis(), TimeUnit.MILLISECONDS);
    }

    private long timeoutMillis() {
        return options.timeout().toMillis();
    }

    @Override
    public void close() {
        servers.shutdown();
    }
}
