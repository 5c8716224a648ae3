package dev.baton.server.testing;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Assumptions;

import dev.baton.server.store.PostgresStore;

/**
 * The real PostgreSQL 15 that {@code .ci/postgres.sh} starts: its JDBC URL (with credentials) comes
 * from {@code BATON_TEST_PG_URL}. Every caller gets a fresh database of its own. Without the variable
 * the tests fail under CI ({@code CI=true}) and are skipped, with a message saying how to run them,
 * on a developer's machine.
 */
public final class TestPostgres {

    private static final String VARIABLE = "BATON_TEST_PG_URL";

    private TestPostgres() {}

    /** A new, empty database; its endpoint carries user and password separately (as STORE_USER etc.). */
    public static PostgresStore.Endpoint freshDatabase() {
        String url = System.getProperty(VARIABLE, System.getenv(VARIABLE));
        if (url == null || url.isBlank()) {
            String how = VARIABLE + " is not set: start PostgreSQL with `export " + VARIABLE
                         + "=\"$(bash .ci/postgres.sh)\"`";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError(how + " (CI=true: PostgreSQL tests must run)");
            }
            Assumptions.abort(how + "; skipping the PostgreSQL tests on this machine");
        }
        int query = url.indexOf('?');
        String base = query < 0 ? url : url.substring(0, query);
        Map<String, String> params = params(query < 0 ? "" : url.substring(query + 1));
        PostgresStore.Endpoint admin = new PostgresStore.Endpoint(base, params.getOrDefault("user", ""),
                                                                  params.getOrDefault("password", ""));
        String database = "baton_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection c = admin.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        } catch (SQLException e) {
            throw new AssertionError("cannot create a test database at " + base + ": " + e.getMessage(), e);
        }
        return new PostgresStore.Endpoint(base.substring(0, base.lastIndexOf('/') + 1) + database, admin.user(),
                                          admin.password());
    }

    private static Map<String, String> params(String query) {
        Map<String, String> result = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                result.put(pair.substring(0, eq), java.net.URLDecoder.decode(pair.substring(eq + 1),
                                                                             java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return result;
    }
}
