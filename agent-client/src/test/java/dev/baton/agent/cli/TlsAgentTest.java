package dev.baton.agent.cli;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.baton.agent.BatonAgent;
import dev.baton.agent.testing.Await;
import dev.baton.proto.v1.GetJobRequest;
import dev.baton.proto.v1.Job;
import dev.baton.proto.v1.JobServiceGrpc;
import dev.baton.proto.v1.SubmitJobRequest;
import dev.baton.server.BatonServer;
import dev.baton.server.config.BatonConfig;
import dev.baton.server.config.TlsConfig;
import dev.baton.server.testing.TestCertificates;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The reference agent's TLS flags (and through them the SDK's caFile and clientCertificate) against a
 * real Baton that serves TLS only and requires agents' client certificates, all made at test time.
 */
class TlsAgentTest {

    private static final String TOKEN = "tls-token";

    @TempDir
    static Path dir;
    static TestCertificates.Files certs;
    static BatonServer server;
    static ManagedChannel admin;

    @BeforeAll
    static void start() throws Exception {
        certs = TestCertificates.create(dir.resolve("certs"));
        server = BatonServer.start(BatonConfig.builder().port(0).dataDir(dir.resolve("data")).agentToken(TOKEN)
                                              .dockerEnabled(false).shutdownGrace(Duration.ZERO)
                                              .heartbeatInterval(Duration.ofMillis(500))
                                              .tlsCertFile(certs.serverCert()).tlsKeyFile(certs.serverKey())
                                              .tlsClientCaFile(certs.caCert())
                                              .agentClientCert(TlsConfig.AgentClientCert.REQUIRED).build());
        admin = Grpc.newChannelBuilderForAddress("127.0.0.1", server.port(), TlsChannelCredentials.newBuilder()
                .trustManager(certs.caCert().toFile()).build()).build();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (admin != null) {
            admin.shutdownNow();
            admin.awaitTermination(5, TimeUnit.SECONDS);
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void referenceAgentWithCaFileAndClientCertificateRunsAJobOverTls() throws Exception {
        BatonAgent agent = command("--server", "127.0.0.1:" + server.port(), "--token", TOKEN,
                                   "--agent-id", "tls-agent", "--ca-file", certs.caCert().toString(),
                                   "--client-cert", certs.clientCert().toString(),
                                   "--client-key", certs.clientKey().toString()).builder().build().start();
        try {
            Await.until("agent connected over TLS", Duration.ofSeconds(20), agent::isConnected);
            var jobs = JobServiceGrpc.newBlockingStub(admin).withDeadlineAfter(10, TimeUnit.SECONDS);
            String id = jobs.submitJob(SubmitJobRequest.newBuilder().setInlineConfig(
                    com.google.protobuf.Struct.newBuilder().putFields("command", com.google.protobuf.Value.newBuilder()
                            .setListValue(com.google.protobuf.ListValue.newBuilder()
                                    .addValues(com.google.protobuf.Value.newBuilder().setStringValue("true")))
                            .build())).build()).getJob().getId();
            Await.until("job STOPPED on tls-agent", Duration.ofSeconds(20), () -> {
                Job job = JobServiceGrpc.newBlockingStub(admin).getJob(GetJobRequest.newBuilder().setId(id).build());
                return job.getStatus() == Job.Status.STOPPED && job.getAgentId().equals("tls-agent");
            });
        } finally {
            agent.close();
        }
    }

    @Test
    void clientCertificateWithoutItsKeyIsAFlagError() {
        assertThatThrownBy(() -> command("--token", TOKEN, "--client-cert", certs.clientCert().toString()).builder())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--client-cert: set without --client-key (expected: both, or neither)");
        assertThatThrownBy(() -> BatonAgent.builder().clientCertificate(dir.resolve("nope.pem"), certs.clientKey()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nope.pem");
    }

    private static BatonAgentCommand command(String... args) {
        BatonAgentCommand command = new BatonAgentCommand();
        new CommandLine(command).parseArgs(args);
        return command;
    }
}
