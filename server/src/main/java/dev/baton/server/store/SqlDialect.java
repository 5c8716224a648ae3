package dev.baton.server.store;

/**
 * What differs between the SQL of the embedded store and of PostgreSQL: only column types. Both
 * speak {@code INSERT ... ON CONFLICT DO UPDATE}, so every statement of {@link StoreTables} is shared.
 */
enum SqlDialect {
    SQLITE("BLOB", "INTEGER"),
    POSTGRES("BYTEA", "BIGINT");

    private final String bytes;
    private final String int64;

    SqlDialect(String bytes, String int64) {
        this.bytes = bytes;
        this.int64 = int64;
    }

    /** {@code ddl} with {@code {bytes}} and {@code {int64}} replaced by this dialect's types. */
    String ddl(String ddl) {
        return ddl.replace("{bytes}", bytes).replace("{int64}", int64);
    }
}
