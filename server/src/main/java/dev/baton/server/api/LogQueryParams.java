package dev.baton.server.api;

import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.QueryParams;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;

import dev.baton.server.error.BatonException;

/**
 * The numeric query parameters of the log routes. Transcoding answers a bare "400 Bad Request" for
 * {@code tail=many}; checking them first gives the usual error that names the parameter and value.
 */
final class LogQueryParams {

    private static final String[] NUMBERS = {"attempt", "tail", "limit", "sinceSeq", "since_seq"};

    private LogQueryParams() {}

    /** A decorator for {@code GET /v1/jobs/{id}/logs}: refuses a non-numeric number before transcoding. */
    static HttpResponse checked(HttpService delegate, ServiceRequestContext ctx, HttpRequest req) throws Exception {
        QueryParams query = QueryParams.fromQueryString(ctx.query());
        try {
            for (String name : NUMBERS) {
                number(query, name);
            }
        } catch (BatonException e) {
            return RestErrors.response(e.code(), e.getMessage());
        }
        return delegate.serve(ctx, req);
    }

    /** The parameter as a number; null when absent. Throws INVALID_ARGUMENT naming it. */
    static Long number(QueryParams query, String name) {
        String value = query.get(name);
        return value == null || value.isBlank() ? null : parse(name, value, name.toLowerCase().contains("since"));
    }

    /** {@code value} as a whole number (an int unless {@code wide}). */
    static long parse(String name, String value, boolean wide) {
        try {
            long parsed = Long.parseLong(value.trim());
            if (wide || parsed == (int) parsed) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw BatonException.invalidArgument("%s: \"%s\" (expected: a whole number)", name, value);
    }
}
