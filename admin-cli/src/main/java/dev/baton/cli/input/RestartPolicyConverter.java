package dev.baton.cli.input;

import java.util.Iterator;
import java.util.List;
import java.util.Locale;

import dev.baton.proto.v1.RestartPolicy;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Restart policies in the spellings the server accepts for jobs: {@code never}, {@code onFailure},
 * {@code always}, also {@code ON_FAILURE}, {@code on_failure} and {@code RESTART_POLICY_ON_FAILURE}.
 */
public final class RestartPolicyConverter implements ITypeConverter<RestartPolicy> {

    @Override
    public RestartPolicy convert(String value) {
        String key = value.trim().toUpperCase(Locale.ROOT).replace("-", "_");
        if (key.startsWith("RESTART_POLICY_")) {
            key = key.substring("RESTART_POLICY_".length());
        }
        switch (key) {
            case "NEVER":
                return RestartPolicy.RESTART_POLICY_NEVER;
            case "ONFAILURE":
            case "ON_FAILURE":
                return RestartPolicy.RESTART_POLICY_ON_FAILURE;
            case "ALWAYS":
                return RestartPolicy.RESTART_POLICY_ALWAYS;
            default:
                throw new TypeConversionException(
                        "'" + value + "' is not a restart policy (expected: never, onFailure, always)");
        }
    }

    /** The spellings offered by shell completion. */
    public static final class Names implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of("never", "onFailure", "always").iterator();
        }
    }
}
