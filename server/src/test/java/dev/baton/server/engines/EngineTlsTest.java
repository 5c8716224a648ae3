package dev.baton.server.engines;

import static dev.baton.server.engines.EngineDocker.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.baton.proto.v1.Engine;
import dev.baton.server.config.TlsConfig;
import dev.baton.server.testing.TestCertificates;

/**
 * With TLS on the port, pool engines dial back over TLS: Baton hands each container BATON_TLS and
 * BATON_CA_FILE and mounts the certificates it trusts (ENGINE_CA_FILE) read-only. Real Docker, a real
 * TLS server, the engine's agent running in the container.
 */
class EngineTlsTest {

    private static final String POOL = "tls-engines";

    @TempDir
    Path dataDir;
    @TempDir
    Path certDir;
    private EngineDocker docker;
    private EngineTestServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            String instance = server.instanceId();
            server.close();
            docker.removeAll(instance);
        }
    }

    @Test
    void poolEnginesJoinATlsServerTrustingTheConfiguredCa() throws Exception {
        docker = EngineDocker.require();
        TestCertificates.Files certs = TestCertificates.create(certDir);
        server = EngineTestServer.startTls(EngineTestServer.config(dataDir, 0).tlsCertFile(certs.serverCert())
                                                           .tlsKeyFile(certs.serverKey())
                                                           .engineCaFile(certs.caCert()).build(),
                                           docker, certs.caCert());
        server.createPool(POOL, docker.agentSpec().setMinFree(1).setMaxEngines(1).build());

        await("a FREE engine whose agent connected over TLS", Duration.ofSeconds(90),
              () -> server.count(POOL, Engine.State.FREE) == 1);
        Engine engine = server.engines(POOL).get(0);
        List<String> env = List.of(docker.client.inspectContainerCmd(engine.getContainerId()).exec().getConfig().getEnv());
        assertThat(env).contains("BATON_TLS=true", "BATON_CA_FILE=" + EngineContainers.CA_PATH);
    }

    @Test
    void withClientCertificatesRequiredPoolEnginesPresentTheConfiguredOne() throws Exception {
        docker = EngineDocker.require();
        TestCertificates.Files certs = TestCertificates.create(certDir);
        server = EngineTestServer.startTls(EngineTestServer.config(dataDir, 0).tlsCertFile(certs.serverCert())
                                                           .tlsKeyFile(certs.serverKey())
                                                           .engineCaFile(certs.caCert())
                                                           .tlsClientCaFile(certs.caCert())
                                                           .agentClientCert(TlsConfig.AgentClientCert.REQUIRED)
                                                           .engineClientCertFile(certs.clientCert())
                                                           .engineClientKeyFile(certs.clientKey()).build(),
                                           docker, certs.caCert());
        server.createPool(POOL, docker.agentSpec().setMinFree(1).setMaxEngines(1).build());

        await("a FREE engine whose agent presented its client certificate", Duration.ofSeconds(90),
              () -> server.count(POOL, Engine.State.FREE) == 1);
        Engine engine = server.engines(POOL).get(0);
        List<String> env = List.of(docker.client.inspectContainerCmd(engine.getContainerId()).exec().getConfig().getEnv());
        assertThat(env).contains("BATON_CLIENT_CERT=" + EngineContainers.CLIENT_CERT_PATH,
                                 "BATON_CLIENT_KEY=" + EngineContainers.CLIENT_KEY_PATH);
    }
}
