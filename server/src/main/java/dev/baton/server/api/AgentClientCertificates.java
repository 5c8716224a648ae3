package dev.baton.server.api;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.List;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.linecorp.armeria.server.ServiceRequestContext;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

/**
 * AGENT_CLIENT_CERT=required: AgentService.Connect is refused with UNAUTHENTICATED unless the agent
 * presented a client certificate that chains to TLS_CLIENT_CA_FILE. The handshake only asks for a
 * certificate (admin clients need none) and, in that optional mode, lets an unverifiable one through,
 * so the chain is verified here, with the JDK's PKIX trust manager over the configured CAs. The refusal
 * happens before the endpoint sees a message: nothing is registered.
 */
final class AgentClientCertificates implements ServerInterceptor {

    private static final Logger log = LoggerFactory.getLogger(AgentClientCertificates.class);

    private final X509TrustManager trust;

    AgentClientCertificates(List<X509Certificate> cas) {
        this.trust = trustManager(cas);
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                       ServerCallHandler<Q, R> next) {
        String problem = problem(ServiceRequestContext.current().sslSession());
        if (problem == null) {
            return next.startCall(call, headers);
        }
        log.info("event=agent-refused reason=client-certificate remote={} problem=\"{}\"",
                 ServiceRequestContext.current().remoteAddress(), problem);
        call.close(Status.UNAUTHENTICATED.withDescription(
                "agents must present a client certificate signed by the server's TLS_CLIENT_CA_FILE "
                + "(AGENT_CLIENT_CERT=required): " + problem), new Metadata());
        return new ServerCall.Listener<>() { };
    }

    /** Null when the session carries a certificate chain to one of the CAs; otherwise what is wrong. */
    private String problem(SSLSession session) {
        if (session == null) {
            return "the connection is not TLS";
        }
        Certificate[] presented;
        try {
            presented = session.getPeerCertificates();
        } catch (SSLPeerUnverifiedException none) {
            return "none was presented";
        }
        if (presented.length == 0 || !(presented[0] instanceof X509Certificate)) {
            return "none was presented";
        }
        X509Certificate[] chain = new X509Certificate[presented.length];
        for (int i = 0; i < presented.length; i++) {
            chain[i] = (X509Certificate) presented[i];
        }
        try {
            trust.checkClientTrusted(chain, chain[0].getPublicKey().getAlgorithm());
            return null;
        } catch (CertificateException e) {
            return "\"" + chain[0].getSubjectX500Principal().getName() + "\" does not chain to it ("
                   + e.getMessage() + ")";
        }
    }

    private static X509TrustManager trustManager(List<X509Certificate> cas) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            for (int i = 0; i < cas.size(); i++) {
                store.setCertificateEntry("client-ca-" + i, cas.get(i));
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            factory.init(store);
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    return x509;
                }
            }
            throw new IllegalStateException("the JDK's PKIX trust manager factory made no X509TrustManager");
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot build a trust manager over TLS_CLIENT_CA_FILE", e);
        }
    }
}
