package dev.baton.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.baton.cli.Cli;
import dev.baton.cli.ExitCodes;
import dev.baton.server.BatonServer;
import dev.baton.server.config.BatonConfig;
import dev.baton.server.testing.TestCertificates;

/** batonctl against a real Baton serving TLS only, with a certificate made at test time. */
class TlsCommandsTest {

    @TempDir
    static Path dir;
    static TestCertificates.Files certs;
    static BatonServer server;

    @BeforeAll
    static void start() {
        certs = TestCertificates.create(dir.resolve("certs"));
        server = BatonServer.start(BatonConfig.builder().port(0).dataDir(dir.resolve("data")).agentToken("t")
                                              .dockerEnabled(false).shutdownGrace(Duration.ofSeconds(1))
                                              .tlsCertFile(certs.serverCert()).tlsKeyFile(certs.serverKey()).build());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void httpsAddressWithTheCaFileWorks() {
        Cli.Result result = Cli.run("status", "--server", "https://127.0.0.1:" + server.port(),
                                    "--ca-file", certs.caCert().toString());
        assertThat(result.exitCode()).as(result.toString()).isZero();
    }

    @Test
    void caFileAloneTurnsTlsOnForAHostPortAddress() {
        Cli.Result result = Cli.run("agents", "list", "--server", "127.0.0.1:" + server.port(),
                                    "--ca-file", certs.caCert().toString(), "-o", "json");
        assertThat(result.exitCode()).as(result.toString()).isZero();
    }

    @Test
    void aCertificateTheClientDoesNotTrustIsUnavailableNotAHang() {
        Cli.Result result = Cli.run("agents", "list", "--server", "https://127.0.0.1:" + server.port(),
                                    "--ca-file", certs.otherCaCert().toString(), "--timeout", "5s");
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(result.err()).startsWith("error: UNAVAILABLE");
    }

    @Test
    void plaintextToTheTlsPortFails() {
        Cli.Result result = Cli.run("agents", "list", "--server", "127.0.0.1:" + server.port(), "--timeout", "5s");
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.UNAVAILABLE);
    }

    @Test
    void unreadableCaFileIsAUsageError() {
        Cli.Result result = Cli.run("agents", "list", "--server", "127.0.0.1:" + server.port(),
                                    "--ca-file", dir.resolve("nope.pem").toString());
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).contains("--ca-file: cannot read " + dir.resolve("nope.pem"));
    }
}
