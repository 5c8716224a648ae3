package dev.baton.server.engines;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.baton.proto.v1.CreateHostRequest;
import dev.baton.proto.v1.DockerHost;
import dev.baton.proto.v1.Engine;
import dev.baton.proto.v1.GetHostRequest;
import dev.baton.server.config.BatonConfig;
import dev.baton.server.testing.Eventually;
import dev.baton.server.testing.TestCertificates;

/**
 * A Docker host reached over tcp:// with TLS client certificates: a second real dockerd that listens on
 * 127.0.0.1 with --tlsverify. With the certificates Baton places a pool's engine there; without them the
 * same daemon refuses Baton, and the host says so.
 */
class EngineTlsHostTest {

    private static final Duration WAIT = Duration.ofSeconds(120);

    @TempDir
    static Path dataDir;
    @TempDir
    static Path certs;
    static EngineDocker docker;
    static ExtraDockerDaemon daemon;
    static EngineTestServer server;
    static int port;

    @BeforeAll
    static void start() throws Exception {
        docker = EngineDocker.require();
        TestCertificates.Files files = TestCertificates.create(certs.resolve("pki"));
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        daemon = ExtraDockerDaemon.start(docker, EngineDocker.IMAGE, "--host", "tcp://127.0.0.1:" + port,
                                         "--tlsverify", "--tlscacert", files.caCert().toString(), "--tlscert",
                                         files.serverCert().toString(), "--tlskey", files.serverKey().toString());
        // Docker's client layout: ca.pem, cert.pem, key.pem in one directory.
        Path client = Files.createDirectories(certs.resolve("client"));
        Files.copy(files.caCert(), client.resolve("ca.pem"));
        Files.copy(files.clientCert(), client.resolve("cert.pem"));
        Files.copy(files.clientKey(), client.resolve("key.pem"));

        BatonConfig config = EngineTestServer.config(dataDir, 0).build();
        server = EngineTestServer.startWith(config, EngineSettings.defaults(docker.mountRoots()));
        server.engines.createHost(CreateHostRequest.newBuilder().setHost(
                DockerHost.newBuilder().setName("tls").setEndpoint("tcp://127.0.0.1:" + port)
                          .setTlsCertDir(client.toString()).putLabels("via", "tls")).build());
        // The same daemon by another name and without certificates: it must refuse.
        server.engines.createHost(CreateHostRequest.newBuilder().setHost(
                DockerHost.newBuilder().setName("plain").setEndpoint("tcp://localhost:" + port)
                          .putLabels("via", "plain")).build());
    }

    @AfterAll
    static void cleanUp() throws Exception {
        ExtraDockerDaemon.closeAll(server, daemon, docker);
    }

    @Test
    void withClientCertificatesEnginesArePlacedOnTheTlsHost() {
        Eventually.await("the TLS host answers", WAIT, () -> host("tls").getStatus().getReachable());
        assertThat(host("tls").getStatus().getEngineVersion()).isNotEmpty();

        server.createPool("over-tls", docker.agentSpec().setMinFree(1).setMaxEngines(2).putHostLabels("via", "tls")
                                           .build());
        Eventually.await("a free engine on the TLS host", WAIT, () -> {
            List<Engine> engines = server.engines("over-tls");
            return engines.size() == 1 && engines.get(0).getState() == Engine.State.FREE;
        });
        assertThat(server.engines("over-tls").get(0).getHost()).isEqualTo("tls");
        assertThat(daemon.client.listContainersCmd().exec()).hasSize(1);
    }

    @Test
    void withoutCertificatesTheDaemonRefusesAndTheHostSaysSo() {
        Eventually.await("the plain host has been tried", WAIT,
                         () -> !host("plain").getStatus().getLastError().isEmpty());
        DockerHost plain = host("plain");
        assertThat(plain.getStatus().getReachable()).isFalse();
        assertThat(plain.getStatus().getLastError()).contains("tcp://localhost:" + port);
    }

    private static DockerHost host(String name) {
        return server.engines.getHost(GetHostRequest.newBuilder().setName(name).build());
    }
}
