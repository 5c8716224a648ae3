package dev.baton.server.jobs;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import dev.baton.proto.v1.RestartPolicy;
import dev.baton.proto.v1.StreamMetadata;
import dev.baton.server.error.BatonException;

/** Checks of user input shared by the job, template and fleet APIs. Messages name the field. */
public final class Validation {

    private static final Pattern LABEL_KEY = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._/-]{0,126}[A-Za-z0-9])?");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final int MAX_LABELS = 64;
    private static final int MAX_LABEL_VALUE = 256;
    private static final int MAX_TEXT = 4096;
    private static final int MAX_METADATA_BYTES = 16 * 1024;

    private Validation() {}

    /** Label maps: at most 64 entries; keys like "gpu" or "example.com/zone"; values without control characters. */
    public static void labels(String field, Map<String, String> labels) {
        if (labels.size() > MAX_LABELS) {
            throw BatonException.invalidArgument("%s: %d labels (expected: at most %d)", field, labels.size(), MAX_LABELS);
        }
        for (Map.Entry<String, String> e : labels.entrySet()) {
            if (!LABEL_KEY.matcher(e.getKey()).matches()) {
                throw BatonException.invalidArgument(
                        "%s: invalid label key \"%s\" (expected: 1-128 letters, digits, '.', '_', '/', '-', "
                        + "starting and ending with a letter or digit)", field, printable(e.getKey()));
            }
            String value = e.getValue();
            if (value.length() > MAX_LABEL_VALUE || hasControl(value)) {
                throw BatonException.invalidArgument(
                        "%s: invalid value for label \"%s\" (expected: at most %d characters, no control characters)",
                        field, e.getKey(), MAX_LABEL_VALUE);
            }
        }
    }

    /** Ids chosen by users (templates): letters, digits, '.', '_', '-'. */
    public static void id(String field, String id) {
        if (!ID.matcher(id).matches()) {
            throw BatonException.invalidArgument(
                    "%s: \"%s\" is not a valid id (expected: 1-128 letters, digits, '.', '_', '-', starting with a "
                    + "letter or digit)", field, printable(id));
        }
    }

    /** "never", "onFailure", "always" and their enum spellings; empty gives {@code fallback}. */
    public static RestartPolicy restartPolicy(String value, RestartPolicy fallback) {
        if (value.isEmpty()) {
            return fallback;
        }
        String normalized = value.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "")
                                 .replace("restartpolicy", "");
        return switch (normalized) {
            case "never", "no" -> RestartPolicy.RESTART_POLICY_NEVER;
            case "onfailure" -> RestartPolicy.RESTART_POLICY_ON_FAILURE;
            case "always" -> RestartPolicy.RESTART_POLICY_ALWAYS;
            default -> throw BatonException.invalidArgument(
                    "restartPolicy: \"%s\" is not a restart policy (expected: never, onFailure or always)",
                    printable(value));
        };
    }

    /** Metadata a user may set: sizes, URLs, viewers >= 0; isMuted only changes through mute/unmute. */
    public static void metadata(StreamMetadata metadata) {
        if (metadata.hasIsMuted()) {
            throw BatonException.invalidArgument(
                    "metadata.isMuted: cannot be set directly (expected: use POST /v1/jobs/{id}/mute or /unmute)");
        }
        if (metadata.hasViewers() && metadata.getViewers() < 0) {
            throw BatonException.invalidArgument("metadata.viewers: %d (expected: >= 0)", metadata.getViewers());
        }
        text("metadata.title", metadata.getTitle());
        text("metadata.description", metadata.getDescription());
        text("metadata.streamId", metadata.getStreamId());
        text("metadata.platform", metadata.getPlatform());
        if (metadata.hasPublicUrl()) {
            url("metadata.publicUrl", metadata.getPublicUrl());
        }
        if (metadata.hasAdminUrl()) {
            url("metadata.adminUrl", metadata.getAdminUrl());
        }
        if (metadata.getSerializedSize() > MAX_METADATA_BYTES) {
            throw BatonException.invalidArgument("metadata: %d bytes (expected: at most %d)",
                                                 metadata.getSerializedSize(), MAX_METADATA_BYTES);
        }
    }

    private static void text(String field, String value) {
        if (value.length() > MAX_TEXT) {
            throw BatonException.invalidArgument("%s: %d characters (expected: at most %d)", field, value.length(),
                                                 MAX_TEXT);
        }
    }

    private static void url(String field, String value) {
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return;
            }
        } catch (URISyntaxException ignored) {
            // reported below
        }
        throw BatonException.invalidArgument("%s: \"%s\" is not a valid URL (expected: an absolute http or https URL)",
                                             field, printable(value));
    }

    /** "k=v,k2=v2" into a map. */
    public static Map<String, String> labelSelector(String selector) {
        Map<String, String> result = new LinkedHashMap<>();
        if (selector.isBlank()) {
            return result;
        }
        for (String part : selector.split(",")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw BatonException.invalidArgument(
                        "labelSelector: \"%s\" is not key=value (expected: e.g. gpu=true,zone=a)", printable(part));
            }
            result.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
        }
        return result;
    }

    /** Page size: 0 → default 100, above 1000 → 1000, negative → error. */
    public static int pageSize(int requested) {
        if (requested < 0) {
            throw BatonException.invalidArgument("pageSize: %d (expected: 0 to 1000)", requested);
        }
        return requested == 0 ? 100 : Math.min(requested, 1000);
    }

    public static String encodePageToken(String position) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("p:" + position).getBytes());
    }

    /** The position in a page token, or null for the first page. */
    public static String decodePageToken(String token) {
        if (token.isEmpty()) {
            return null;
        }
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(token));
            if (decoded.startsWith("p:")) {
                return decoded.substring(2);
            }
        } catch (IllegalArgumentException ignored) {
            // reported below
        }
        throw BatonException.invalidArgument("pageToken: \"%s\" is not a page token from a previous response",
                                             printable(token));
    }

    private static boolean hasControl(String value) {
        return value.chars().anyMatch(c -> c < 0x20 || c == 0x7f);
    }

    /** Shortens and escapes a user value for an error message. */
    public static String printable(String value) {
        String shown = value.length() > 64 ? value.substring(0, 64) + "…" : value;
        StringBuilder sb = new StringBuilder();
        shown.chars().forEach(c -> {
            if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\u%04x", c));
            } else {
                sb.append((char) c);
            }
        });
        return sb.toString();
    }
}
