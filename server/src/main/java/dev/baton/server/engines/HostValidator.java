package dev.baton.server.engines;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

import dev.baton.proto.v1.DockerHost;
import dev.baton.server.error.BatonException;
import dev.baton.server.jobs.Validation;

/**
 * Checks a Docker host before it is stored; each message names the field, the value and what was
 * expected. An endpoint is a unix socket path or tcp://host:port; TLS client certificates are a
 * directory holding ca.pem, cert.pem and key.pem, and only make sense for tcp://.
 */
final class HostValidator {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,62}");
    private static final Pattern TCP = Pattern.compile("tcp://[A-Za-z0-9.\\-\\[\\]:]+:[0-9]{1,5}");
    private static final int MAX_ENGINES = 100_000;

    private HostValidator() {}

    static void name(String field, String name) {
        if (!NAME.matcher(name).matches()) {
            throw BatonException.invalidArgument(
                    "%s: \"%s\" is not a host name (expected: 1-63 letters, digits, '-', '_', starting with a letter "
                    + "or digit)", field, Validation.printable(name));
        }
    }

    /** Checks a host as it would be stored (state set). */
    static void host(DockerHost host) {
        name("host.name", host.getName());
        String endpoint = host.getEndpoint();
        if (endpoint.startsWith("unix://")) {
            String path = endpoint.substring("unix://".length());
            if (!path.startsWith("/") || path.length() < 2) {
                throw BatonException.invalidArgument("host.endpoint: \"%s\" (expected: unix:///absolute/path.sock)",
                                                     Validation.printable(endpoint));
            }
            if (!host.getTlsCertDir().isEmpty()) {
                throw BatonException.invalidArgument("host.tlsCertDir: \"%s\" with a unix socket endpoint (expected: "
                                                     + "empty; TLS is for tcp:// endpoints)",
                                                     Validation.printable(host.getTlsCertDir()));
            }
        } else if (TCP.matcher(endpoint).matches()) {
            int port = Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
            if (port < 1 || port > 65535) {
                throw BatonException.invalidArgument("host.endpoint: port %d (expected: 1 to 65535)", port);
            }
            certificates(host.getTlsCertDir());
        } else {
            throw BatonException.invalidArgument("host.endpoint: \"%s\" (expected: unix:///path/docker.sock or "
                                                 + "tcp://host:port)", Validation.printable(endpoint));
        }
        Validation.labels("host.labels", host.getLabelsMap());
        if (host.getMaxEngines() < 0 || host.getMaxEngines() > MAX_ENGINES) {
            throw BatonException.invalidArgument("host.maxEngines: %d (expected: 0 for no limit, or 1 to %d)",
                                                 host.getMaxEngines(), MAX_ENGINES);
        }
        if (host.getState() == DockerHost.State.UNRECOGNIZED) {
            throw BatonException.invalidArgument("host.state: unknown (expected: ENABLED, CORDONED or DRAINING)");
        }
    }

    private static void certificates(String dir) {
        if (dir.isEmpty()) {
            return;
        }
        Path path = Path.of(dir);
        if (!path.isAbsolute()) {
            throw BatonException.invalidArgument("host.tlsCertDir: \"%s\" (expected: an absolute directory)",
                                                 Validation.printable(dir));
        }
        for (String file : new String[] {"ca.pem", "cert.pem", "key.pem"}) {
            if (!Files.isReadable(path.resolve(file))) {
                throw BatonException.invalidArgument("host.tlsCertDir: \"%s\" has no readable %s (expected: ca.pem, "
                                                     + "cert.pem and key.pem)", Validation.printable(dir), file);
            }
        }
    }
}
