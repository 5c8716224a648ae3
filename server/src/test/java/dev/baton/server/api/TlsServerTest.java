package dev.baton.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.baton.proto.v1.AgentMessage;
import dev.baton.proto.v1.FleetServiceGrpc;
import dev.baton.proto.v1.ListAgentsRequest;
import dev.baton.server.BatonServer;
import dev.baton.server.config.BatonConfig;
import dev.baton.server.config.TlsConfig;
import dev.baton.server.testing.Rest;
import dev.baton.server.testing.SimulatedAgent;
import dev.baton.server.testing.TestCertificates;
import dev.baton.server.time.VirtualTimeSource;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.TlsChannelCredentials;

/**
 * TLS on the one port with AGENT_CLIENT_CERT=required: REST, gRPC, unframed gRPC (gRPC-Web's JSON
 * sibling), SSE and the dashboard over HTTPS; no plaintext; agents need a client certificate chained to
 * TLS_CLIENT_CA_FILE, admin calls do not.
 */
class TlsServerTest {

    private static final String TOKEN = "tls-agent-token";

    @TempDir
    static Path dir;
    static TestCertificates.Files certs;
    static BatonServer server;
    static Rest rest;

    @BeforeAll
    static void start() {
        certs = TestCertificates.create(dir.resolve("certs"));
        server = BatonServer.start(BatonConfig.builder().port(0).dataDir(dir.resolve("data")).agentToken(TOKEN)
                                              .dockerEnabled(false).shutdownGrace(Duration.ZERO)
                                              .tlsCertFile(certs.serverCert()).tlsKeyFile(certs.serverKey())
                                              .tlsClientCaFile(certs.caCert())
                                              .agentClientCert(TlsConfig.AgentClientCert.REQUIRED).build(),
                                   new VirtualTimeSource());
        rest = new Rest("https://127.0.0.1:" + server.port(), TestCertificates.trusting(certs.caCert()));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void restHealthAndDashboardAnswerOverHttps() {
        assertThat(rest.get("/healthz").status()).isEqualTo(200);
        Rest.Response submitted = rest.post("/v1/jobs", "{\"inlineConfig\": {\"command\": [\"true\"]}}");
        assertThat(submitted.status()).isEqualTo(201);
        assertThat(rest.get("/v1/jobs/" + submitted.json().get("id").asText()).status()).isEqualTo(200);
        assertThat(rest.get("/").body()).contains("<html");
        // The unframed gRPC route (what gRPC-Web clients reach) is on the same TLS port.
        assertThat(rest.post("/baton.v1.FleetService/ListAgents", "{}").status()).isEqualTo(200);
    }

    @Test
    void serverSentEventsStreamOverHttps() throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(TestCertificates.trusting(certs.caCert())).build();
        HttpResponse<java.io.InputStream> response = client.send(
                HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + "/v1/watch?kinds=job"))
                           .header("accept", "text/event-stream").timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (java.io.InputStream body = response.body()) {
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/event-stream"));
            assertThat(new String(body.readNBytes(16))).isNotEmpty();
        }
    }

    @Test
    void plaintextIsNotServedOnTheTlsPort() {
        Rest plain = new Rest("http://127.0.0.1:" + server.port());
        assertThatThrownBy(() -> plain.get("/healthz")).isInstanceOf(java.io.UncheckedIOException.class);
    }

    @Test
    void adminCallsNeedNoClientCertificate() throws IOException, InterruptedException {
        ManagedChannel channel = channel(TlsChannelCredentials.newBuilder().trustManager(certs.caCert().toFile()));
        try {
            assertThat(FleetServiceGrpc.newBlockingStub(channel).listAgents(ListAgentsRequest.getDefaultInstance()))
                    .isNotNull();
        } finally {
            close(channel);
        }
    }

    @Test
    void agentWithoutClientCertificateIsRefusedAndNothingIsRegistered() throws IOException, InterruptedException {
        ManagedChannel channel = channel(TlsChannelCredentials.newBuilder().trustManager(certs.caCert().toFile()));
        try {
            SimulatedAgent agent = SimulatedAgent.open(channel, "no-cert");
            agent.send(AgentMessage.newBuilder()
                                   .setHello(SimulatedAgent.hello(TOKEN, "no-cert", 1, Map.of())).build());
            Status status = agent.awaitClosed();
            assertThat(status.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(status.getDescription()).contains("client certificate").contains("TLS_CLIENT_CA_FILE");
            assertThat(FleetServiceGrpc.newBlockingStub(channel).listAgents(ListAgentsRequest.getDefaultInstance())
                                       .getAgentsList()).noneMatch(a -> a.getId().equals("no-cert"));
        } finally {
            close(channel);
        }
    }

    @Test
    void agentWithClientCertificateFromTheCaIsWelcomed() throws Exception {
        ManagedChannel channel = channel(TlsChannelCredentials.newBuilder().trustManager(certs.caCert().toFile())
                                                              .keyManager(certs.clientCert().toFile(),
                                                                          certs.clientKey().toFile()));
        try (SimulatedAgent agent = SimulatedAgent.connect(channel, TOKEN, "with-cert", 1, Map.of())) {
            assertThat(agent.welcome().getSessionId()).isNotEmpty();
        } finally {
            close(channel);
        }
    }

    @Test
    void agentWithCertificateFromAnotherCaIsRefused() throws Exception {
        // A well-behaved TLS client sends no certificate the server's CA list does not name.
        assertRefused(TlsChannelCredentials.newBuilder().trustManager(certs.caCert().toFile())
                                           .keyManager(certs.otherClientCert().toFile(), certs.otherClientKey().toFile()),
                      "intruder-1", "none was presented");
        // One that sends it anyway fails the handshake: a certificate that is sent is verified against the CA.
        ManagedChannel forcing = channel(TlsChannelCredentials.newBuilder().trustManager(certs.caCert().toFile())
                .keyManager(TestCertificates.alwaysPresenting(certs.otherClientCert(), certs.otherClientKey())));
        try {
            SimulatedAgent agent = SimulatedAgent.open(forcing, "intruder-2");
            agent.send(AgentMessage.newBuilder()
                                   .setHello(SimulatedAgent.hello(TOKEN, "intruder-2", 1, Map.of())).build());
            assertThat(agent.awaitClosed().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        } finally {
            close(forcing);
        }
        ManagedChannel admin = channel(TlsChannelCredentials.newBuilder().trustManager(certs.caCert().toFile()));
        try {
            assertThat(FleetServiceGrpc.newBlockingStub(admin).listAgents(ListAgentsRequest.getDefaultInstance())
                                       .getAgentsList()).noneMatch(a -> a.getId().startsWith("intruder"));
        } finally {
            close(admin);
        }
    }

    private static void assertRefused(TlsChannelCredentials.Builder credentials, String agentId, String why)
            throws InterruptedException {
        ManagedChannel channel = channel(credentials);
        try {
            SimulatedAgent agent = SimulatedAgent.open(channel, agentId);
            agent.send(AgentMessage.newBuilder().setHello(SimulatedAgent.hello(TOKEN, agentId, 1, Map.of())).build());
            Status status = agent.awaitClosed();
            assertThat(status.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(status.getDescription()).contains(why);
            assertThat(FleetServiceGrpc.newBlockingStub(channel).listAgents(ListAgentsRequest.getDefaultInstance())
                                       .getAgentsList()).noneMatch(a -> a.getId().equals(agentId));
        } finally {
            close(channel);
        }
    }

    private static ManagedChannel channel(TlsChannelCredentials.Builder credentials) {
        ChannelCredentials built = credentials.build();
        return Grpc.newChannelBuilderForAddress("127.0.0.1", server.port(), built).build();
    }

    private static void close(ManagedChannel channel) throws InterruptedException {
        channel.shutdownNow();
        channel.awaitTermination(5, TimeUnit.SECONDS);
    }
}
