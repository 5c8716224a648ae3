package dev.baton.server.store;

import dev.baton.server.config.BatonConfig;

/** Opens the store the configuration names: PostgreSQL when STORE_URL is set, else SQLite in DATA_DIR. */
public final class Stores {

    private Stores() {}

    public static BatonStore open(BatonConfig config) {
        if (config.storeUrl().isEmpty()) {
            return new SqliteStore(config.dataDir());
        }
        return new PostgresStore(new PostgresStore.Endpoint(config.storeUrl(), config.storeUser(),
                                                            config.storePassword()));
    }
}
