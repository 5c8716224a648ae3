package dev.baton.cli.output;

import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.stream.Collectors;

import com.google.protobuf.ProtocolMessageEnum;

import dev.baton.proto.v1.Endpoint;
import dev.baton.proto.v1.JobRequirements;

/** Short display names of the contract's enums and maps. */
public final class Names {

    /**
     * The enum value without its type prefix: {@code RESTART_POLICY_ON_FAILURE} becomes {@code ON_FAILURE},
     * {@code ENTITY_KIND_JOB} becomes {@code JOB}; the zero ("unspecified") value becomes "".
     */
    public static String of(ProtocolMessageEnum value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Enum && "UNRECOGNIZED".equals(((Enum<?>) value).name())) {
            return "UNRECOGNIZED";
        }
        if (value.getNumber() == 0 && value.getValueDescriptor().getName().endsWith("UNSPECIFIED")) {
            return "";
        }
        String name = value.getValueDescriptor().getName();
        String type = value.getDescriptorForType().getName();
        String prefix = snakeUpper(type) + '_';
        return name.startsWith(prefix) ? name.substring(prefix.length()) : name;
    }

    /** {@code a=1,b=2}, sorted by key; "" when empty. */
    public static String labels(Map<String, String> labels) {
        return new TreeMap<>(labels).entrySet().stream()
                                    .map(e -> e.getKey() + '=' + e.getValue())
                                    .collect(Collectors.joining(","));
    }

    /** {@code PENDING=1 RUNNING=2}, sorted by key; "" when empty. */
    public static String counts(Map<String, Integer> counts) {
        return new TreeMap<>(counts).entrySet().stream()
                                    .map(e -> e.getKey() + '=' + e.getValue())
                                    .collect(Collectors.joining(" "));
    }

    /** {@code gpu=true,zone=a slots=2 pool=encoders}; "" when nothing is required. */
    public static String requirements(JobRequirements requirements) {
        StringJoiner text = new StringJoiner(" ");
        if (requirements.getLabelsCount() > 0) {
            text.add(labels(requirements.getLabelsMap()));
        }
        if (requirements.getSlots() > 0) {
            text.add("slots=" + requirements.getSlots());
        }
        if (!requirements.getPool().isEmpty()) {
            text.add("pool=" + requirements.getPool());
        }
        return text.toString();
    }

    private static String snakeUpper(String camel) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < camel.length(); i++) {
            char c = camel.charAt(i);
            if (Character.isUpperCase(c) && i > 0) {
                text.append('_');
            }
            text.append(Character.toUpperCase(c));
        }
        return text.toString();
    }

    /** "http=http://127.0.0.1:19400 (UNHEALTHY)", space-separated; health only when probed. */
    public static String endpoints(List<Endpoint> endpoints) {
        StringBuilder sb = new StringBuilder();
        for (Endpoint e : endpoints) {
            sb.append(sb.length() == 0 ? "" : " ").append(e.getName()).append('=').append(e.getUrl());
            if (e.getHealth() == Endpoint.Health.UNHEALTHY) {
                sb.append(" (UNHEALTHY)");
            }
        }
        return sb.toString();
    }

    private Names() {}
}
