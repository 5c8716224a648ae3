package dev.baton.agent.internal;

import java.time.Duration;

/** Conversions between protobuf's time types and java.time. */
final class ProtoTime {

    private ProtoTime() {}

    /** The duration, or {@code fallback} when unset or not positive. */
    static Duration positiveOr(boolean isSet, com.google.protobuf.Duration value, Duration fallback) {
        if (!isSet) {
            return fallback;
        }
        Duration duration = Duration.ofSeconds(value.getSeconds(), value.getNanos());
        return duration.isNegative() || duration.isZero() ? fallback : duration;
    }
}
