package dev.baton.server.api;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpHeaders;
import com.linecorp.armeria.common.HttpHeadersBuilder;

import dev.baton.server.security.AccessDenied;
import io.grpc.Metadata;
import io.grpc.Status;

/**
 * The headers a refused admin call carries: {@code www-authenticate: Bearer} with a 401 and
 * {@code retry-after: <seconds>} with a 429. gRPC callers get them as trailers, REST callers as headers.
 */
final class DeniedHeaders {

    static final String WWW_AUTHENTICATE = "www-authenticate";
    static final String RETRY_AFTER = "retry-after";
    private static final String CHALLENGE = "Bearer realm=\"baton\"";

    private DeniedHeaders() {}

    static Metadata trailers(AccessDenied denied) {
        Metadata trailers = new Metadata();
        if (denied.code() == Status.Code.UNAUTHENTICATED) {
            trailers.put(Metadata.Key.of(WWW_AUTHENTICATE, Metadata.ASCII_STRING_MARSHALLER), CHALLENGE);
        }
        if (denied.retryAfterSeconds() > 0) {
            trailers.put(Metadata.Key.of(RETRY_AFTER, Metadata.ASCII_STRING_MARSHALLER),
                         Long.toString(denied.retryAfterSeconds()));
        }
        return trailers;
    }

    static HttpHeaders headers(AccessDenied denied) {
        HttpHeadersBuilder headers = HttpHeaders.builder();
        if (denied.code() == Status.Code.UNAUTHENTICATED) {
            headers.add(WWW_AUTHENTICATE, CHALLENGE);
        }
        if (denied.retryAfterSeconds() > 0) {
            headers.add(RETRY_AFTER, Long.toString(denied.retryAfterSeconds()));
        }
        return headers.build();
    }

    /** The same headers picked out of a failed gRPC response (trailers-only puts them in the headers). */
    static HttpHeaders from(AggregatedHttpResponse grpcResponse) {
        HttpHeadersBuilder headers = HttpHeaders.builder();
        for (String name : new String[] {WWW_AUTHENTICATE, RETRY_AFTER}) {
            String value = grpcResponse.headers().contains(name) ? grpcResponse.headers().get(name)
                                                                 : grpcResponse.trailers().get(name);
            if (value != null) {
                headers.add(name, value);
            }
        }
        return headers.build();
    }
}
