package dev.baton.server.config;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * TLS on the one port: the server's key and certificate chain (TLS_CERT_FILE, TLS_KEY_FILE), read and
 * checked at start-up, and optionally the CA that agents' client certificates must chain to
 * (TLS_CLIENT_CA_FILE) with whether agents must present one (AGENT_CLIENT_CERT).
 *
 * @param clientCas empty when TLS_CLIENT_CA_FILE is unset: no client certificate is asked for
 */
public record TlsConfig(Path certFile, Path keyFile, PrivateKey key, List<X509Certificate> chain,
                        Path clientCaFile, List<X509Certificate> clientCas, AgentClientCert agentClientCert) {

    /** Whether AgentService.Connect needs a client certificate chained to TLS_CLIENT_CA_FILE. */
    public enum AgentClientCert {
        /** Agents may present one (it is then verified); the agent token alone admits them. */
        OPTIONAL,
        /** Connect without a verified client certificate is refused with UNAUTHENTICATED. */
        REQUIRED
    }

    public TlsConfig {
        requireNonNull(certFile, "certFile");
        requireNonNull(keyFile, "keyFile");
        requireNonNull(key, "key");
        chain = List.copyOf(chain);
        clientCas = List.copyOf(clientCas);
        requireNonNull(agentClientCert, "agentClientCert");
    }

    /** True when the TLS handshake asks clients for a certificate. */
    public boolean asksForClientCertificates() {
        return !clientCas.isEmpty();
    }
}
