package dev.baton.server.api;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.api.AnnotationsProto;
import com.google.api.HttpRule;
import com.google.protobuf.Descriptors;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import com.linecorp.armeria.common.HttpData;
import com.linecorp.armeria.common.HttpMethod;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.RequestHeaders;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.server.DecoratingHttpServiceFunction;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;

import io.grpc.Status;

/**
 * Checks REST request bodies before transcoding, because the transcoder answers a bare 400 that
 * names nothing. Malformed JSON, a non-object body, an unknown field or a value of the wrong type
 * gets 400 with the field and the problem named, e.g. {@code priority: expected an int32, got "abc"}.
 * The routes and body types come from the services' own {@code google.api.http} rules.
 */
final class JsonBodyValidator implements DecoratingHttpServiceFunction {

    private static final ObjectMapper JSON = new ObjectMapper();

    private record BodyRule(HttpMethod method, Pattern path, Descriptors.Descriptor body) {}

    private final List<BodyRule> rules = new ArrayList<>();
    private final long maxBodyBytes;

    JsonBodyValidator(List<Descriptors.ServiceDescriptor> services, long maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
        for (Descriptors.ServiceDescriptor service : services) {
            for (Descriptors.MethodDescriptor method : service.getMethods()) {
                if (!method.getOptions().hasExtension(AnnotationsProto.http)) {
                    continue;
                }
                HttpRule rule = method.getOptions().getExtension(AnnotationsProto.http);
                if (rule.getBody().isEmpty()) {
                    continue;
                }
                HttpMethod httpMethod;
                String template;
                switch (rule.getPatternCase()) {
                    case POST -> { httpMethod = HttpMethod.POST; template = rule.getPost(); }
                    case PUT -> { httpMethod = HttpMethod.PUT; template = rule.getPut(); }
                    case PATCH -> { httpMethod = HttpMethod.PATCH; template = rule.getPatch(); }
                    default -> { continue; }
                }
                Descriptors.Descriptor body = rule.getBody().equals("*")
                        ? method.getInputType()
                        : method.getInputType().findFieldByName(rule.getBody()).getMessageType();
                rules.add(new BodyRule(httpMethod, Pattern.compile(template.replaceAll("\\{[^}]+}", "[^/]+")), body));
            }
        }
    }

    @Override
    public HttpResponse serve(HttpService delegate, ServiceRequestContext ctx, HttpRequest req) throws Exception {
        String contentType = req.contentType() == null ? "" : req.contentType().subtype();
        if (contentType.contains("grpc") || contentType.contains("proto")) {
            return delegate.serve(ctx, req);
        }
        // The server allows unlimited requests for the long-lived streams; a REST body is one message.
        ctx.setMaxRequestLength(maxBodyBytes);
        BodyRule rule = find(req.method(), ctx.path());
        if (rule == null) {
            return delegate.serve(ctx, req);
        }
        return HttpResponse.of(req.aggregate().thenApply(aggregated -> {
            String body = aggregated.contentUtf8();
            String problem = body.isBlank() ? null : problem(rule.body(), body);
            if (problem != null) {
                return RestErrors.response(Status.Code.INVALID_ARGUMENT, problem);
            }
            // The body is JSON whatever the client called it (curl -d says form-urlencoded, a bare
            // POST says nothing): hand the transcoder JSON with the type it insists on.
            RequestHeaders headers = req.headers().toBuilder().contentType(MediaType.JSON_UTF_8).build();
            HttpData content = body.isBlank() ? HttpData.ofUtf8("{}") : aggregated.content();
            try {
                return delegate.serve(ctx, HttpRequest.of(headers, content));
            } catch (Exception e) {
                return HttpResponse.ofFailure(e);
            }
        }));
    }

    private BodyRule find(HttpMethod method, String path) {
        for (BodyRule rule : rules) {
            if (rule.method() == method && rule.path().matcher(path).matches()) {
                return rule;
            }
        }
        return null;
    }

    /** Null when {@code body} parses as {@code type}; otherwise what is wrong, field first. */
    static String problem(Descriptors.Descriptor type, String body) {
        JsonNode tree;
        try {
            tree = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return "malformed JSON: " + e.getOriginalMessage() + " (line " + e.getLocation().getLineNr()
                   + ", column " + e.getLocation().getColumnNr() + ")";
        }
        if (!tree.isObject()) {
            return "request body: expected a JSON object, got " + kind(tree);
        }
        return locate(type, (ObjectNode) tree, "");
    }

    private static String locate(Descriptors.Descriptor type, ObjectNode object, String prefix) {
        // The protobuf parser reads a one-element array as a scalar; REST callers get told instead.
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            Descriptors.FieldDescriptor field = findField(type, entry.getKey());
            if (field == null || field.isRepeated()) {
                continue;
            }
            if (field.getType() != Descriptors.FieldDescriptor.Type.MESSAGE && entry.getValue().isContainerNode()) {
                return prefix + entry.getKey() + ": " + expected(field) + ", got " + kind(entry.getValue()) + " "
                       + abbreviate(entry.getValue().toString());
            }
            if (field.getType() == Descriptors.FieldDescriptor.Type.MESSAGE && entry.getValue().isObject()
                && !field.getMessageType().getFullName().startsWith("google.protobuf.")) {
                String nested = locate(field.getMessageType(), (ObjectNode) entry.getValue(),
                                       prefix + entry.getKey() + ".");
                if (nested != null) {
                    return nested;
                }
            }
        }
        try {
            JsonFormat.parser().merge(object.toString(), DynamicMessage.newBuilder(type));
            return null;
        } catch (InvalidProtocolBufferException whole) {
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                String name = entry.getKey();
                Descriptors.FieldDescriptor field = findField(type, name);
                if (field == null) {
                    return prefix + name + ": unknown field (expected one of: " + fieldNames(type) + ")";
                }
                ObjectNode single = JSON.createObjectNode();
                single.set(name, entry.getValue());
                try {
                    JsonFormat.parser().merge(single.toString(), DynamicMessage.newBuilder(type));
                } catch (InvalidProtocolBufferException e) {
                    if (field.getType() == Descriptors.FieldDescriptor.Type.MESSAGE && !field.isMapField()
                        && !field.isRepeated() && entry.getValue().isObject()
                        && !field.getMessageType().getFullName().startsWith("google.protobuf.")) {
                        String nested = locate(field.getMessageType(), (ObjectNode) entry.getValue(),
                                               prefix + name + ".");
                        if (nested != null) {
                            return nested;
                        }
                    }
                    return prefix + name + ": " + expected(field) + ", got " + kind(entry.getValue())
                           + " " + abbreviate(entry.getValue().toString());
                }
            }
            return "request body: " + whole.getMessage();
        }
    }

    private static Descriptors.FieldDescriptor findField(Descriptors.Descriptor type, String name) {
        for (Descriptors.FieldDescriptor field : type.getFields()) {
            if (field.getJsonName().equals(name) || field.getName().equals(name)) {
                return field;
            }
        }
        return null;
    }

    private static String fieldNames(Descriptors.Descriptor type) {
        return type.getFields().stream().map(Descriptors.FieldDescriptor::getJsonName).collect(Collectors.joining(", "));
    }

    private static String expected(Descriptors.FieldDescriptor field) {
        String what;
        if (field.isMapField()) {
            what = "an object of key/value pairs";
        } else if (field.getType() == Descriptors.FieldDescriptor.Type.ENUM) {
            what = "one of " + field.getEnumType().getValues().stream()
                                    .map(Descriptors.EnumValueDescriptor::getName).collect(Collectors.joining(", "));
        } else if (field.getType() == Descriptors.FieldDescriptor.Type.MESSAGE) {
            what = switch (field.getMessageType().getFullName()) {
                case "google.protobuf.Struct" -> "a JSON object";
                case "google.protobuf.Duration" -> "a duration like \"30s\"";
                case "google.protobuf.Timestamp" -> "an RFC 3339 time like \"2026-01-01T00:00:00Z\"";
                default -> "an object";
            };
        } else {
            what = switch (field.getJavaType()) {
                case INT -> "an integer (int32)";
                case LONG -> "an integer (int64)";
                case FLOAT, DOUBLE -> "a number";
                case BOOLEAN -> "true or false";
                case STRING -> "a string";
                default -> field.getType().name().toLowerCase();
            };
        }
        return "expected " + (field.isRepeated() && !field.isMapField() ? "an array of " + what : what);
    }

    private static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "an array";
            case BOOLEAN -> "a boolean";
            case NUMBER -> "a number";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NULL, MISSING -> "null";
            default -> node.getNodeType().name().toLowerCase();
        };
    }

    private static String abbreviate(String text) {
        return text.length() > 60 ? text.substring(0, 60) + "…" : text;
    }
}
