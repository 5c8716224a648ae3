package dev.baton.server.webhooks;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

import dev.baton.server.config.WebhookSettings;
import dev.baton.server.error.BatonException;
import dev.baton.server.jobs.Validation;

/**
 * The one rule for where Baton may send webhooks: an absolute http(s) URL without credentials whose
 * host is on WEBHOOK_ALLOWED_HOSTS (as written in the URL). Checked when a URL is given and again
 * before every attempt, since the allow-list may have been narrowed since.
 */
public final class WebhookUrls {

    private static final int MAX_LENGTH = 2048;

    private WebhookUrls() {}

    /** The parsed URL, or INVALID_ARGUMENT naming {@code field}, the URL and what was expected. */
    public static URI check(String field, String url, WebhookSettings settings) {
        String problem = problem(url, settings);
        if (problem != null) {
            throw BatonException.invalidArgument("%s: \"%s\" %s", field, Validation.printable(url), problem);
        }
        return URI.create(url);
    }

    /** The URL for a log line: without its query, which some receivers use for tokens. */
    static String forLog(String url) {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query) + "?…";
    }

    /** Null when {@code url} may be called, otherwise why not. */
    static String problem(String url, WebhookSettings settings) {
        if (url.isEmpty()) {
            return "is empty (expected: an absolute http or https URL)";
        }
        if (url.length() > MAX_LENGTH) {
            return "is longer than " + MAX_LENGTH + " characters";
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return "is not a valid URL (expected: an absolute http or https URL)";
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return "is not an http or https URL (expected: an absolute http or https URL)";
        }
        if (uri.getHost() == null) {
            return "has no host (expected: an absolute http or https URL)";
        }
        if (uri.getRawUserInfo() != null) {
            return "carries credentials (expected: none; receivers authenticate Baton by the signature)";
        }
        String host = WebhookSettings.normalizeHost(uri.getHost());
        if (!settings.allowedHosts().contains(host)) {
            return "is not allowed: host \"" + host + "\" is not in WEBHOOK_ALLOWED_HOSTS ("
                   + String.join(", ", settings.allowedHosts()) + ")";
        }
        return null;
    }
}
