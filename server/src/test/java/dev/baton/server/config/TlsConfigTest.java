package dev.baton.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.baton.server.testing.TestCertificates;

/** TLS settings are read and checked at start-up; each bad value is one message naming it. */
class TlsConfigTest {

    @TempDir
    static Path dir;
    static TestCertificates.Files certs;

    @BeforeAll
    static void makeCertificates() {
        certs = TestCertificates.create(dir);
    }

    @Test
    void certificateAndKeyTurnTlsOnAndTheCaAsksForClientCertificates() {
        BatonConfig config = load(Map.of("TLS_CERT_FILE", certs.serverCert().toString(),
                                          "TLS_KEY_FILE", certs.serverKey().toString(),
                                          "TLS_CLIENT_CA_FILE", certs.caCert().toString(),
                                          "AGENT_CLIENT_CERT", "required"));
        assertThat(config.tls().chain()).hasSize(1);
        assertThat(config.tls().asksForClientCertificates()).isTrue();
        assertThat(config.tls().agentClientCert()).isEqualTo(TlsConfig.AgentClientCert.REQUIRED);
        assertThat(load(Map.of()).tls()).isNull();
    }

    @Test
    void missingFileIsNamedWithItsSetting() {
        assertThatThrownBy(() -> load(Map.of("TLS_CERT_FILE", dir.resolve("nope.pem").toString(),
                                             "TLS_KEY_FILE", certs.serverKey().toString())))
                .isInstanceOf(ConfigException.class)
                .hasMessage("invalid configuration: TLS_CERT_FILE=" + dir.resolve("nope.pem")
                            + ": no such file (expected: a PEM file with the server's certificate chain)");
    }

    @Test
    void unreadableOrNonPemFilesAreRefused() throws Exception {
        assertThatThrownBy(() -> load(Map.of("TLS_CERT_FILE", dir.toString(),
                                             "TLS_KEY_FILE", certs.serverKey().toString())))
                .hasMessageContaining("TLS_CERT_FILE=" + dir + ": not a regular file");
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "hello");
        assertThatThrownBy(() -> load(Map.of("TLS_CERT_FILE", garbage.toString(),
                                             "TLS_KEY_FILE", certs.serverKey().toString())))
                .hasMessageStartingWith("invalid configuration: TLS_CERT_FILE=" + garbage + ": ");
        assertThatThrownBy(() -> load(Map.of("TLS_CERT_FILE", certs.serverCert().toString(),
                                             "TLS_KEY_FILE", certs.serverCert().toString())))
                .hasMessage("invalid configuration: TLS_KEY_FILE=" + certs.serverCert() + ": no PEM private key in it "
                            + "(expected: a PEM file (PKCS#8) with the private key of TLS_CERT_FILE's certificate)");
    }

    @Test
    void keyThatDoesNotMatchTheCertificateIsRefused() {
        assertThatThrownBy(() -> load(Map.of("TLS_CERT_FILE", certs.serverCert().toString(),
                                             "TLS_KEY_FILE", certs.clientKey().toString())))
                .hasMessageContaining("TLS_KEY_FILE=" + certs.clientKey() + ": the key does not match the certificate "
                                      + "in TLS_CERT_FILE");
    }

    @Test
    void incompleteCombinationsNameWhatIsMissing() {
        assertThatThrownBy(() -> load(Map.of("TLS_CERT_FILE", certs.serverCert().toString())))
                .hasMessage("invalid configuration: TLS_KEY_FILE= (expected: set together with TLS_CERT_FILE)");
        assertThatThrownBy(() -> load(Map.of("TLS_CLIENT_CA_FILE", certs.caCert().toString())))
                .hasMessageContaining("TLS_CLIENT_CA_FILE=").hasMessageContaining("client certificates need TLS");
        assertThatThrownBy(() -> load(Map.of("TLS_CERT_FILE", certs.serverCert().toString(),
                                             "TLS_KEY_FILE", certs.serverKey().toString(),
                                             "AGENT_CLIENT_CERT", "required")))
                .hasMessageContaining("AGENT_CLIENT_CERT=required").hasMessageContaining("TLS_CLIENT_CA_FILE");
        assertThatThrownBy(() -> load(Map.of("AGENT_CLIENT_CERT", "always")))
                .hasMessage("invalid configuration: AGENT_CLIENT_CERT=always (expected: optional or required)");
        assertThatThrownBy(() -> load(Map.of("ENGINE_CA_FILE", certs.caCert().toString())))
                .hasMessageContaining("ENGINE_CA_FILE=").hasMessageContaining("only when the port serves TLS");
    }

    @Test
    void enginesTrustTheServerCertificateUnlessEngineCaFileSaysOtherwise() {
        Map<String, String> tls = Map.of("TLS_CERT_FILE", certs.serverCert().toString(),
                                         "TLS_KEY_FILE", certs.serverKey().toString());
        assertThat(load(tls).engineTrustFile()).isEqualTo(certs.serverCert());
        java.util.Map<String, String> withCa = new java.util.HashMap<>(tls);
        withCa.put("ENGINE_CA_FILE", certs.caCert().toString());
        assertThat(load(withCa).engineTrustFile()).isEqualTo(certs.caCert());
        assertThat(load(Map.of()).engineTrustFile()).isNull();
        withCa.put("ENGINE_CA_FILE", certs.serverKey().toString());
        assertThatThrownBy(() -> load(withCa)).hasMessageContaining("ENGINE_CA_FILE=")
                                              .hasMessageContaining("not a PEM certificate");
    }

    @Test
    void engineClientCertificateComesWithItsKeyAndNeedsTls() {
        Map<String, String> tls = new HashMap<>(Map.of("TLS_CERT_FILE", certs.serverCert().toString(),
                                                        "TLS_KEY_FILE", certs.serverKey().toString(),
                                                        "ENGINE_CLIENT_CERT_FILE", certs.clientCert().toString(),
                                                        "ENGINE_CLIENT_KEY_FILE", certs.clientKey().toString()));
        BatonConfig config = load(tls);
        assertThat(config.engineClientCertFile()).isEqualTo(certs.clientCert());
        assertThat(config.engineClientKeyFile()).isEqualTo(certs.clientKey());

        tls.put("ENGINE_CLIENT_KEY_FILE", certs.serverKey().toString());
        assertThatThrownBy(() -> load(tls)).hasMessage(
                "invalid configuration: ENGINE_CLIENT_KEY_FILE=" + certs.serverKey() + ": the key does not match the "
                + "certificate in ENGINE_CLIENT_CERT_FILE (" + certs.clientCert() + ") (expected: a PEM file (PKCS#8) "
                + "with the private key of ENGINE_CLIENT_CERT_FILE's certificate)");
        tls.remove("ENGINE_CLIENT_KEY_FILE");
        assertThatThrownBy(() -> load(tls)).hasMessageContaining("ENGINE_CLIENT_KEY_FILE=")
                                           .hasMessageContaining("set together with ENGINE_CLIENT_CERT_FILE");
        assertThatThrownBy(() -> load(Map.of("ENGINE_CLIENT_CERT_FILE", certs.clientCert().toString(),
                                             "ENGINE_CLIENT_KEY_FILE", certs.clientKey().toString())))
                .hasMessageContaining("ENGINE_CLIENT_CERT_FILE=").hasMessageContaining("client certificates need TLS");
    }

    @Test
    void engineHostAccessListsWhatPoolsMayAsk() {
        EngineHostAccess access = load(Map.of("ENGINE_HOST_ACCESS", "privileged, cap:net_admin,device:/dev/fuse"))
                .engineHostAccess();
        assertThat(access.privileged()).isTrue();
        assertThat(access.hostPid()).isFalse();
        assertThat(access.capabilities()).containsExactly("NET_ADMIN");
        assertThat(access.devices()).containsExactly("/dev/fuse");
        assertThat(load(Map.of()).engineHostAccess()).isEqualTo(EngineHostAccess.none());
        assertThatThrownBy(() -> load(Map.of("ENGINE_HOST_ACCESS", "root")))
                .hasMessageContaining("ENGINE_HOST_ACCESS=root").hasMessageContaining("\"root\" is none of them");
    }

    private static BatonConfig load(Map<String, String> env) {
        Map<String, String> withToken = new HashMap<>(env);
        withToken.put("AGENT_TOKEN", "t");
        return ConfigLoader.load(withToken, Map.of());
    }
}
