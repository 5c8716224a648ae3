package dev.baton.server.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates made at test time (BouncyCastle, test scope): nothing checked in, nothing to expire.
 * {@link #create} writes PEM files for a CA, a server certificate for 127.0.0.1/localhost, a client
 * certificate signed by the CA, and a second CA with its own client certificate (the wrong one).
 */
public final class TestCertificates {

    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    /** The PEM files in {@code dir}. Keys are PKCS#8. */
    public record Files(Path caCert, Path serverCert, Path serverKey, Path clientCert, Path clientKey,
                        Path otherCaCert, Path otherClientCert, Path otherClientKey) {}

    private TestCertificates() {}

    /**
     * A key manager that presents this certificate whatever CAs the server names: what a client that
     * ignores the server's CertificateRequest would do (a JDK client would otherwise send nothing).
     */
    public static javax.net.ssl.X509KeyManager alwaysPresenting(Path certFile, Path keyFile) {
        try {
            java.security.cert.X509Certificate certificate;
            try (var in = java.nio.file.Files.newInputStream(certFile)) {
                certificate = (java.security.cert.X509Certificate)
                        java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in);
            }
            String pem = java.nio.file.Files.readString(keyFile).replaceAll("-----[A-Z ]+-----", "");
            java.security.PrivateKey key = java.security.KeyFactory.getInstance("EC").generatePrivate(
                    new java.security.spec.PKCS8EncodedKeySpec(java.util.Base64.getMimeDecoder().decode(pem)));
            return new javax.net.ssl.X509ExtendedKeyManager() {
                @Override public String[] getClientAliases(String type, java.security.Principal[] issuers) {
                    return new String[] {"it"};
                }
                @Override public String chooseClientAlias(String[] types, java.security.Principal[] issuers,
                                                          java.net.Socket socket) {
                    return "it";
                }
                @Override public String chooseEngineClientAlias(String[] types, java.security.Principal[] issuers,
                                                                javax.net.ssl.SSLEngine engine) {
                    return "it";
                }
                @Override public String[] getServerAliases(String type, java.security.Principal[] issuers) {
                    return null;
                }
                @Override public String chooseServerAlias(String type, java.security.Principal[] issuers,
                                                          java.net.Socket socket) {
                    return null;
                }
                @Override public java.security.cert.X509Certificate[] getCertificateChain(String alias) {
                    return new java.security.cert.X509Certificate[] {certificate};
                }
                @Override public java.security.PrivateKey getPrivateKey(String alias) {
                    return key;
                }
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A JDK SSL context trusting only the PEM certificates of {@code caFile} (for HttpClient). */
    public static javax.net.ssl.SSLContext trusting(Path caFile) {
        try (var in = java.nio.file.Files.newInputStream(caFile)) {
            java.security.KeyStore store = java.security.KeyStore.getInstance(java.security.KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (var certificate : java.security.cert.CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca-" + i++, certificate);
            }
            javax.net.ssl.TrustManagerFactory trust = javax.net.ssl.TrustManagerFactory.getInstance(
                    javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Files create(Path dir) {
        try {
            java.nio.file.Files.createDirectories(dir);
            KeyPair ca = keyPair();
            X509CertificateHolder caCert = sign("CN=Baton Test CA", ca, "CN=Baton Test CA", ca, true, false);
            KeyPair server = keyPair();
            X509CertificateHolder serverCert = sign("CN=127.0.0.1", server, "CN=Baton Test CA", ca, false, true);
            KeyPair client = keyPair();
            X509CertificateHolder clientCert = sign("CN=agent-1", client, "CN=Baton Test CA", ca, false, false);
            KeyPair otherCa = keyPair();
            X509CertificateHolder otherCaCert = sign("CN=Other CA", otherCa, "CN=Other CA", otherCa, true, false);
            KeyPair otherClient = keyPair();
            X509CertificateHolder otherClientCert = sign("CN=intruder", otherClient, "CN=Other CA", otherCa, false,
                                                         false);
            return new Files(write(dir.resolve("ca.pem"), caCert),
                             write(dir.resolve("server.pem"), serverCert),
                             writeKey(dir.resolve("server-key.pem"), server),
                             write(dir.resolve("client.pem"), clientCert),
                             writeKey(dir.resolve("client-key.pem"), client),
                             write(dir.resolve("other-ca.pem"), otherCaCert),
                             write(dir.resolve("other-client.pem"), otherClientCert),
                             writeKey(dir.resolve("other-client-key.pem"), otherClient));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException("cannot make test certificates", e);
        }
    }

    private static KeyPair keyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static X509CertificateHolder sign(String subject, KeyPair subjectKeys, String issuer, KeyPair issuerKeys,
                                              boolean ca, boolean server)
            throws IOException, org.bouncycastle.operator.OperatorCreationException {
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                new X500Name(issuer), BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(2))),
                new X500Name(subject), subjectKeys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        if (ca) {
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        }
        if (server) {
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                    new GeneralName(GeneralName.dNSName, "localhost")}));
        }
        return builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate()));
    }

    private static Path write(Path file, X509CertificateHolder certificate) throws IOException {
        return pem(file, new JcaMiscPEMGenerator(certificate));
    }

    private static Path writeKey(Path file, KeyPair keys) throws IOException {
        return pem(file, new JcaPKCS8Generator(keys.getPrivate(), null));
    }

    private static Path pem(Path file, org.bouncycastle.util.io.pem.PemObjectGenerator object) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        }
        java.nio.file.Files.writeString(file, text.toString(), StandardCharsets.US_ASCII);
        return file;
    }
}
