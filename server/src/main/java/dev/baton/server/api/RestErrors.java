package dev.baton.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpHeaders;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.grpc.UnframedGrpcErrorHandler;

import io.grpc.Status;

/**
 * REST errors: the HTTP status that matches the gRPC code (FAILED_PRECONDITION is 409 Conflict, as
 * the API promises, not the 400 of the generic mapping) and a JSON body with the same message.
 */
public final class RestErrors implements UnframedGrpcErrorHandler {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static HttpStatus httpStatus(Status.Code code) {
        return switch (code) {
            case OK -> HttpStatus.OK;
            case INVALID_ARGUMENT, OUT_OF_RANGE -> HttpStatus.BAD_REQUEST;
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case ALREADY_EXISTS, FAILED_PRECONDITION, ABORTED -> HttpStatus.CONFLICT;
            case UNAUTHENTICATED -> HttpStatus.UNAUTHORIZED;
            case PERMISSION_DENIED -> HttpStatus.FORBIDDEN;
            case RESOURCE_EXHAUSTED -> HttpStatus.TOO_MANY_REQUESTS;
            case UNIMPLEMENTED -> HttpStatus.NOT_IMPLEMENTED;
            case UNAVAILABLE -> HttpStatus.SERVICE_UNAVAILABLE;
            case DEADLINE_EXCEEDED -> HttpStatus.GATEWAY_TIMEOUT;
            case CANCELLED -> HttpStatus.valueOf(499);
            default -> HttpStatus.INTERNAL_SERVER_ERROR;
        };
    }

    /** {"code": "NOT_FOUND", "message": "...", "status": 404}. */
    public static HttpResponse response(Status.Code code, String message) {
        return response(code, message, HttpHeaders.of());
    }

    /** The same, with extra response headers (www-authenticate, retry-after). */
    public static HttpResponse response(Status.Code code, String message, HttpHeaders extra) {
        HttpStatus http = httpStatus(code);
        ObjectNode body = JSON.createObjectNode();
        body.put("code", code.name());
        body.put("message", message);
        body.put("status", http.code());
        ResponseHeaders headers = ResponseHeaders.builder(http).contentType(MediaType.JSON_UTF_8).add(extra).build();
        return HttpResponse.of(headers, HttpData.ofUtf8(body.toString()));
    }

    @Override
    public HttpResponse handle(ServiceRequestContext ctx, Status status, AggregatedHttpResponse response) {
        String message = status.getDescription();
        if (message == null || message.isBlank()) {
            Throwable cause = status.getCause();
            message = cause != null && cause.getMessage() != null ? cause.getMessage() : status.getCode().name();
        }
        return response(status.getCode(), message, DeniedHeaders.from(response));
    }
}
