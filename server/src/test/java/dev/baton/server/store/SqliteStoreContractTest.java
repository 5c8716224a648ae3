package dev.baton.server.store;

import java.nio.file.Files;
import java.nio.file.Path;

/** The store contract on the embedded SQLite store, one fresh directory per test. */
class SqliteStoreContractTest extends StoreContractTest {

    private Path dir;

    @Override
    void createDatabase() throws Exception {
        dir = Files.createTempDirectory("baton-store");
    }

    @Override
    BatonStore openStore() {
        return new SqliteStore(dir);
    }
}
