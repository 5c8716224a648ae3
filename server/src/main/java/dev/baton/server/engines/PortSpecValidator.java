package dev.baton.server.engines;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

import com.google.protobuf.util.Durations;

import dev.baton.proto.v1.HealthProbe;
import dev.baton.proto.v1.PoolSpec;
import dev.baton.proto.v1.PortSpec;
import dev.baton.server.error.BatonException;
import dev.baton.server.jobs.Validation;

/** Checks a pool's named ports and their probes (defaults applied); each message names the field. */
final class PortSpecValidator {

    static final int MAX_PORTS = 16;
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,31}");
    private static final Pattern SCHEME = Pattern.compile("[a-z][a-z0-9+.-]{0,15}");
    /** A path (and query) only: the probe's host is always 127.0.0.1 and cannot be steered elsewhere. */
    private static final Pattern PATH = Pattern.compile("/[\\x21-\\x22\\x24-\\x7e]{0,255}");

    private PortSpecValidator() {}

    static void check(PoolSpec spec) {
        if (spec.getPortsCount() > MAX_PORTS) {
            throw BatonException.invalidArgument("pool.spec.ports: %d ports (expected: at most %d)",
                                                 spec.getPortsCount(), MAX_PORTS);
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < spec.getPortsCount(); i++) {
            port("pool.spec.ports[" + i + "]", spec.getPorts(i), names);
        }
        com.google.protobuf.Duration after = spec.getReplaceUnhealthyAfter();
        if (!Durations.isValid(after) || Durations.isNegative(after)) {
            throw BatonException.invalidArgument("pool.spec.replaceUnhealthyAfter: %s (expected: zero or a positive "
                                                 + "duration)", Durations.isValid(after) ? Durations.toString(after)
                                                                                         : "invalid");
        }
    }

    private static void port(String field, PortSpec port, Set<String> names) {
        if (!NAME.matcher(port.getName()).matches()) {
            throw BatonException.invalidArgument("%s.name: \"%s\" (expected: lower-case letters, digits and '_', "
                                                 + "starting with a letter, at most 32; it becomes BATON_PORT_<NAME>)",
                                                 field, Validation.printable(port.getName()));
        }
        if (!names.add(port.getName())) {
            throw BatonException.invalidArgument("%s.name: \"%s\" is declared twice (expected: unique port names)",
                                                 field, port.getName());
        }
        int first = port.getFirstPort();
        int last = port.getLastPort();
        if (!(first == 0 && last == 0) && !(first >= 1 && first <= last && last <= 65535)) {
            throw BatonException.invalidArgument("%s: range %d-%d (expected: firstPort <= lastPort within 1-65535, or "
                                                 + "both 0 for the server's ENGINE_PORT_RANGE)", field, first, last);
        }
        if (!SCHEME.matcher(port.getScheme()).matches()) {
            throw BatonException.invalidArgument("%s.scheme: \"%s\" (expected: a URL scheme such as http or https)",
                                                 field, Validation.printable(port.getScheme()));
        }
        if (port.hasProbe()) {
            probe(field + ".probe", port.getProbe());
        }
    }

    private static void probe(String field, HealthProbe probe) {
        if (!probe.getHttpPath().isEmpty() && !PATH.matcher(probe.getHttpPath()).matches()) {
            throw BatonException.invalidArgument("%s.httpPath: \"%s\" (expected: a path starting with '/', printable, "
                                                 + "no spaces or '#', at most 256 characters; empty for a TCP connect)",
                                                 field, Validation.printable(probe.getHttpPath()));
        }
        positive(field + ".interval", probe.getInterval());
        positive(field + ".timeout", probe.getTimeout());
        if (probe.getFailureThreshold() < 1 || probe.getFailureThreshold() > 100) {
            throw BatonException.invalidArgument("%s.failureThreshold: %d (expected: 1 to 100)", field,
                                                 probe.getFailureThreshold());
        }
    }

    private static void positive(String field, com.google.protobuf.Duration value) {
        if (!Durations.isValid(value) || !Durations.isPositive(value)) {
            throw BatonException.invalidArgument("%s: %s (expected: a positive duration)", field,
                                                 Durations.isValid(value) ? Durations.toString(value) : "invalid");
        }
    }
}
