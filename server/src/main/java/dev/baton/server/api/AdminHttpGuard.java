package dev.baton.server.api;

import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.QueryParams;
import com.linecorp.armeria.server.DecoratingHttpServiceFunction;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;

import dev.baton.server.security.AccessDenied;
import dev.baton.server.security.AdminGate;
import dev.baton.server.security.Role;

/**
 * Admin auth for the plain HTTP routes that are not gRPC methods: the SSE watch stream, /docs and,
 * when configured, /healthz and /metrics. Refusals use the REST error body.
 */
public final class AdminHttpGuard implements DecoratingHttpServiceFunction {

    /** The query parameter the dashboard's EventSource, which cannot set headers, carries its token in. */
    public static final String ACCESS_TOKEN = "access_token";

    private final AdminGate gate;
    private final String operation;
    private final Role needed;
    private final boolean acceptQueryToken;

    private AdminHttpGuard(AdminGate gate, String operation, Role needed, boolean acceptQueryToken) {
        this.gate = gate;
        this.operation = operation;
        this.needed = needed;
        this.acceptQueryToken = acceptQueryToken;
    }

    /** Needs {@code needed}; the token comes from the authorization header only. */
    public static AdminHttpGuard of(AdminGate gate, String operation, Role needed) {
        return new AdminHttpGuard(gate, operation, needed, false);
    }

    /** Also accepts {@code ?access_token=}: only for the SSE stream, which EventSource opens. */
    public static AdminHttpGuard acceptingQueryToken(AdminGate gate, String operation, Role needed) {
        return new AdminHttpGuard(gate, operation, needed, true);
    }

    @Override
    public HttpResponse serve(HttpService delegate, ServiceRequestContext ctx, HttpRequest req) throws Exception {
        String authorization = req.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (authorization == null && acceptQueryToken) {
            String token = QueryParams.fromQueryString(ctx.query()).get(ACCESS_TOKEN);
            authorization = token == null || token.isBlank() ? null : "Bearer " + token;
        }
        try {
            gate.admit(operation, needed, authorization, ctx.remoteAddress().getAddress());
        } catch (AccessDenied denied) {
            return RestErrors.response(denied.code(), denied.getMessage(), DeniedHeaders.headers(denied));
        }
        return delegate.serve(ctx, req);
    }
}
