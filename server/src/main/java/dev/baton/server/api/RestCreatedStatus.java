package dev.baton.server.api;

import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.DecoratingHttpServiceFunction;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;

import io.netty.util.AttributeKey;

/**
 * REST callers of POST /v1/jobs get 201 Created for a new job and 200 OK for an idempotent replay
 * (gRPC callers read {@code replayed}). Transcoding always answers 200, so this decorator upgrades it.
 */
final class RestCreatedStatus implements DecoratingHttpServiceFunction {

    private static final AttributeKey<Boolean> CREATED = AttributeKey.valueOf(RestCreatedStatus.class, "created");

    static void markCreated(ServiceRequestContext ctx) {
        ctx.setAttr(CREATED, Boolean.TRUE);
    }

    @Override
    public HttpResponse serve(HttpService delegate, ServiceRequestContext ctx, HttpRequest req) throws Exception {
        return delegate.serve(ctx, req).mapHeaders(headers -> {
            if (headers.status() == HttpStatus.OK && Boolean.TRUE.equals(ctx.attr(CREATED))) {
                return headers.toBuilder().status(HttpStatus.CREATED).build();
            }
            return headers;
        });
    }
}
