package dev.baton.server.fleet;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import dev.baton.proto.v1.Endpoint;
import dev.baton.server.error.BatonException;
import dev.baton.server.jobs.Validation;

/**
 * The endpoints an external agent advertises in Hello ({@code capabilities.endpoints}): checked, then
 * kept as given (name, URL, the URL's port). Baton never connects to them; it only shows them.
 */
final class AdvertisedEndpoints {

    static final int MAX = 16;
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,31}");

    private AdvertisedEndpoints() {}

    /** Throws INVALID_ARGUMENT naming the field; returns the endpoints as Baton shows them. */
    static List<Endpoint> check(String field, List<Endpoint> endpoints) {
        if (endpoints.size() > MAX) {
            throw BatonException.invalidArgument("%s: %d endpoints (expected: at most %d)", field, endpoints.size(), MAX);
        }
        Set<String> names = new HashSet<>();
        List<Endpoint> result = new ArrayList<>(endpoints.size());
        for (int i = 0; i < endpoints.size(); i++) {
            Endpoint e = endpoints.get(i);
            String at = field + "[" + i + "]";
            if (!NAME.matcher(e.getName()).matches()) {
                throw BatonException.invalidArgument("%s.name: \"%s\" (expected: lower-case letters, digits and '_', "
                                                     + "starting with a letter, at most 32)", at,
                                                     Validation.printable(e.getName()));
            }
            if (!names.add(e.getName())) {
                throw BatonException.invalidArgument("%s.name: \"%s\" is advertised twice (expected: unique names)", at,
                                                     e.getName());
            }
            URI uri = uri(at + ".url", e.getUrl());
            result.add(Endpoint.newBuilder().setName(e.getName()).setUrl(e.getUrl())
                               .setPort(Math.max(0, uri.getPort())).build());
        }
        return List.copyOf(result);
    }

    private static URI uri(String field, String url) {
        if (url.length() <= 2048) {
            try {
                URI uri = new URI(url);
                if (uri.getScheme() != null && uri.getHost() != null) {
                    return uri;
                }
            } catch (URISyntaxException ignored) {
                // reported below
            }
        }
        throw BatonException.invalidArgument("%s: \"%s\" (expected: an absolute URL with a host, e.g. "
                                             + "http://10.0.0.5:8080, at most 2048 characters)", field,
                                             Validation.printable(url.length() > 200 ? url.substring(0, 200) + "…" : url));
    }
}
