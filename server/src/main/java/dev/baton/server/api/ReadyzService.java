package dev.baton.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;

import dev.baton.server.ha.StandbyGate;
import io.grpc.Status;

/**
 * GET /readyz: 200 once this server serves the API (it leads and has recovered the stored state),
 * 503 with the reason before that and on a standby. /healthz says whether the process is healthy
 * and answers as soon as the port opens, while the store may still be loading; a load balancer or
 * a start-up script that wants to send calls waits for /readyz.
 */
final class ReadyzService implements HttpService {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final StandbyGate standby;

    ReadyzService(StandbyGate standby) {
        this.standby = standby;
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
        Status refusal = standby.refusalNow();
        ObjectNode body = JSON.createObjectNode();
        body.put("status", refusal == null ? "SERVING" : "NOT_SERVING");
        if (refusal != null) {
            body.put("message", refusal.getDescription());
        }
        return HttpResponse.of(refusal == null ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE, MediaType.JSON_UTF_8,
                               body.toString());
    }
}
