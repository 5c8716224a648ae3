package dev.baton.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store settings: SQLite by default, PostgreSQL by URL, the password from the environment or a file. */
class StoreSettingsTest {

    @Test
    void theEmbeddedStoreIsTheDefault() {
        BatonConfig config = ConfigLoader.load(Map.of("AGENT_TOKEN", "t"), Map.of());

        assertThat(config.storeUrl()).isEmpty();
        assertThat(config.leaderCheckInterval()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void aPostgresUrlWithUserAndPasswordFileIsTaken(@TempDir Path dir) throws Exception {
        Path password = Files.writeString(dir.resolve("pw"), "s3cret\n");

        BatonConfig config = ConfigLoader.load(Map.of("AGENT_TOKEN", "t", "STORE_URL", "jdbc:postgresql://db:5432/baton",
                                                      "STORE_USER", "baton", "STORE_PASSWORD", "ignored",
                                                      "STORE_PASSWORD_FILE", password.toString(),
                                                      "LEADER_CHECK_MS", "250"), Map.of());

        assertThat(config.storeUrl()).isEqualTo("jdbc:postgresql://db:5432/baton");
        assertThat(config.storeUser()).isEqualTo("baton");
        assertThat(config.storePassword()).isEqualTo("s3cret");
        assertThat(config.leaderCheckInterval()).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void badValuesAreRefusedNamingTheSetting(@TempDir Path dir) {
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("AGENT_TOKEN", "t", "STORE_URL", "jdbc:mysql://db/baton"), Map.of()))
                .hasMessage("invalid configuration: STORE_URL=jdbc:mysql://db/baton (expected: empty (the embedded SQLite"
                            + " store) or jdbc:postgresql://host:port/database)");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("AGENT_TOKEN", "t", "STORE_PASSWORD_FILE",
                                                          dir.resolve("missing").toString()), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("STORE_PASSWORD_FILE=")
                .hasMessageContaining("expected: a readable file");
        assertThatThrownBy(() -> ConfigLoader.load(Map.of("AGENT_TOKEN", "t", "LEADER_CHECK_MS", "0"), Map.of()))
                .hasMessageContaining("LEADER_CHECK_MS");
    }
}
