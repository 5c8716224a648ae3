package dev.baton.server.config;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Reads the PEM files of {@link TlsConfig} and checks them before the server binds its port: each
 * problem (missing, unreadable, not PEM, key not matching the certificate) is a {@link ConfigException}
 * naming the setting, the value and what is wrong.
 */
final class TlsFiles {

    private static final String CERT_EXPECTED = "a PEM file with the server's certificate chain";
    private static final String KEY_EXPECTED = "a PEM file (PKCS#8) with the private key of TLS_CERT_FILE's certificate";
    private static final String PKCS8_BEGIN = "-----BEGIN PRIVATE KEY-----";
    private static final String PKCS8_END = "-----END PRIVATE KEY-----";
    private static final String ENGINE_CERT_EXPECTED = "a PEM file with the client certificate pool engines present";
    private static final String ENGINE_KEY_EXPECTED = "a PEM file (PKCS#8) with the private key of ENGINE_CLIENT_CERT_FILE's certificate";
    private static final String CA_EXPECTED = "a PEM file with the CA certificates agents' client certificates chain to";

    private TlsFiles() {}

    /** Null when neither TLS_CERT_FILE nor TLS_KEY_FILE is set (plaintext). */
    static TlsConfig load(Path certFile, Path keyFile, Path clientCaFile, TlsConfig.AgentClientCert mode) {
        if (certFile == null && keyFile == null) {
            if (clientCaFile != null) {
                throw new ConfigException("TLS_CLIENT_CA_FILE", clientCaFile.toString(), "TLS_CERT_FILE and "
                                          + "TLS_KEY_FILE set too (client certificates need TLS)");
            }
            if (mode == TlsConfig.AgentClientCert.REQUIRED) {
                throw new ConfigException("AGENT_CLIENT_CERT", "required", "TLS_CERT_FILE, TLS_KEY_FILE and "
                                          + "TLS_CLIENT_CA_FILE set too");
            }
            return null;
        }
        if (certFile == null) {
            throw new ConfigException("TLS_CERT_FILE", "", "set together with TLS_KEY_FILE");
        }
        if (keyFile == null) {
            throw new ConfigException("TLS_KEY_FILE", "", "set together with TLS_CERT_FILE");
        }
        if (mode == TlsConfig.AgentClientCert.REQUIRED && clientCaFile == null) {
            throw new ConfigException("AGENT_CLIENT_CERT", "required", "TLS_CLIENT_CA_FILE set too (the CA that "
                                      + "agents' client certificates chain to)");
        }
        List<X509Certificate> chain = certificates("TLS_CERT_FILE", certFile, CERT_EXPECTED);
        PrivateKey key = privateKey("TLS_KEY_FILE", keyFile, KEY_EXPECTED);
        if (!matches(key, chain.get(0).getPublicKey())) {
            throw new ConfigException("TLS_KEY_FILE", keyFile.toString(), "the key does not match the certificate "
                                      + "in TLS_CERT_FILE (" + certFile + ")", KEY_EXPECTED);
        }
        List<X509Certificate> clientCas = clientCaFile == null ? List.of()
                                          : certificates("TLS_CLIENT_CA_FILE", clientCaFile, CA_EXPECTED);
        return new TlsConfig(certFile, keyFile, key, chain, clientCaFile, clientCas, mode);
    }

    /** ENGINE_CA_FILE: PEM certificates, and only with TLS on (plaintext engines need no trust). */
    static void checkEngineCa(Path file, boolean tlsOn) {
        if (!tlsOn) {
            throw new ConfigException("ENGINE_CA_FILE", file.toString(), "TLS_CERT_FILE and TLS_KEY_FILE set too "
                                      + "(engines dial back over TLS only when the port serves TLS)");
        }
        certificates("ENGINE_CA_FILE", file, "a PEM file with the CA certificates engines trust for the server");
    }

    /**
     * ENGINE_CLIENT_CERT_FILE and ENGINE_CLIENT_KEY_FILE: set together, only with TLS on, a certificate and
     * the PKCS#8 key that matches it (pool engines present them when agents must show a client certificate).
     */
    static void checkEngineClientCertificate(Path certFile, Path keyFile, boolean tlsOn) {
        if (certFile == null && keyFile == null) {
            return;
        }
        if (certFile == null) {
            throw new ConfigException("ENGINE_CLIENT_CERT_FILE", "", "set together with ENGINE_CLIENT_KEY_FILE");
        }
        if (keyFile == null) {
            throw new ConfigException("ENGINE_CLIENT_KEY_FILE", "", "set together with ENGINE_CLIENT_CERT_FILE");
        }
        if (!tlsOn) {
            throw new ConfigException("ENGINE_CLIENT_CERT_FILE", certFile.toString(), "TLS_CERT_FILE and TLS_KEY_FILE "
                                      + "set too (client certificates need TLS)");
        }
        List<X509Certificate> chain = certificates("ENGINE_CLIENT_CERT_FILE", certFile, ENGINE_CERT_EXPECTED);
        PrivateKey key = privateKey("ENGINE_CLIENT_KEY_FILE", keyFile, ENGINE_KEY_EXPECTED);
        if (!matches(key, chain.get(0).getPublicKey())) {
            throw new ConfigException("ENGINE_CLIENT_KEY_FILE", keyFile.toString(), "the key does not match the "
                                      + "certificate in ENGINE_CLIENT_CERT_FILE (" + certFile + ")", ENGINE_KEY_EXPECTED);
        }
    }

    private static List<X509Certificate> certificates(String name, Path file, String expected) {
        byte[] bytes = read(name, file, expected);
        List<X509Certificate> certificates = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            factory.generateCertificates(new ByteArrayInputStream(bytes))
                   .forEach(c -> certificates.add((X509Certificate) c));
        } catch (CertificateException e) {
            throw new ConfigException(name, file.toString(), "not a PEM certificate (" + e.getMessage() + ")", expected);
        }
        if (certificates.isEmpty()) {
            throw new ConfigException(name, file.toString(), "no certificate in it", expected);
        }
        return certificates;
    }

    /** PKCS#8 ("BEGIN PRIVATE KEY") with the JDK's own key factories: RSA, EC or EdDSA. */
    private static PrivateKey privateKey(String name, Path keyFile, String expected) {
        String text = new String(read(name, keyFile, expected), StandardCharsets.US_ASCII);
        int begin = text.indexOf(PKCS8_BEGIN);
        int end = text.indexOf(PKCS8_END);
        if (begin < 0 || end < begin) {
            String problem = text.contains("PRIVATE KEY-----")
                             ? "not a PKCS#8 key (convert it: openssl pkcs8 -topk8 -nocrypt -in KEY)"
                             : "no PEM private key in it";
            throw new ConfigException(name, keyFile.toString(), problem, expected);
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(text.substring(begin + PKCS8_BEGIN.length(), end));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(name, keyFile.toString(), "bad base64 in the PEM block", expected);
        }
        for (String algorithm : List.of("RSA", "EC", "Ed25519", "Ed448")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException notThisType) {
                // try the next
            }
        }
        throw new ConfigException(name, keyFile.toString(), "not an RSA, EC or EdDSA private key",
                                  expected);
    }

    private static byte[] read(String name, Path file, String expected) {
        if (!Files.exists(file)) {
            throw new ConfigException(name, file.toString(), "no such file", expected);
        }
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(name, file.toString(), "not a regular file", expected);
        }
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ConfigException(name, file.toString(), "cannot be read (" + e.getClass().getSimpleName() + ": "
                                      + e.getMessage() + ")", expected);
        }
    }

    /** Signs a nonce with the key and verifies it with the certificate's public key. */
    private static boolean matches(PrivateKey key, PublicKey certificateKey) {
        String family = family(key.getAlgorithm());
        if (!family.equals(family(certificateKey.getAlgorithm()))) {
            return false;
        }
        String algorithm = switch (family) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "EdDSA" -> "EdDSA";
            default -> null;
        };
        if (algorithm == null) {
            return true; // a key type the JDK cannot sign with here: the TLS handshake is the judge
        }
        try {
            byte[] nonce = "baton-tls-key-check".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(nonce);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificateKey);
            verifier.update(nonce);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** Providers name the same key type differently (BouncyCastle: "ECDSA", the JDK: "EC"). */
    private static String family(String algorithm) {
        return switch (algorithm) {
            case "RSA", "RSASSA-PSS" -> "RSA";
            case "EC", "ECDSA" -> "EC";
            case "Ed25519", "Ed448", "EdDSA" -> "EdDSA";
            default -> algorithm;
        };
    }

}
