package dev.baton.server.api;

import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;

import dev.baton.proto.v1.ComponentStatus;
import dev.baton.server.BatonVersion;

/** GET /healthz (the seed's path): overall status and each component's, 503 when DOWN. */
final class HealthzService implements HttpService {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HealthComponents health;

    HealthzService(HealthComponents health) {
        this.health = health;
    }

    @Override
    public HttpResponse serve(ServiceRequestContext ctx, HttpRequest req) {
        List<ComponentStatus> components = health.components();
        String overall = health.overall(components);
        ObjectNode body = JSON.createObjectNode();
        body.put("status", overall);
        body.put("version", BatonVersion.VERSION);
        ArrayNode list = body.putArray("components");
        for (ComponentStatus c : components) {
            ObjectNode node = list.addObject();
            node.put("name", c.getName());
            node.put("status", c.getStatus());
            if (!c.getMessage().isEmpty()) {
                node.put("message", c.getMessage());
            }
        }
        HttpStatus status = overall.equals("DOWN") ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.OK;
        return HttpResponse.of(status, MediaType.JSON_UTF_8, body.toString());
    }
}
