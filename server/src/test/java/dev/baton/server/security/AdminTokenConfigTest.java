package dev.baton.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.baton.server.config.BatonConfig;
import dev.baton.server.config.ConfigException;
import dev.baton.server.config.ConfigLoader;
import dev.baton.server.time.VirtualTimeSource;

/** ADMIN_TOKENS, ADMIN_TOKENS_FILE, ADMIN_AUTH and AUTH_OPEN_ENDPOINTS as the launcher reads them. */
class AdminTokenConfigTest {

    private static final String SECRET = "s3cret-token-never-shown";

    private static BatonConfig load(Map<String, String> env) {
        return ConfigLoader.load(env, Map.of());
    }

    @Test
    void withoutTokensOneAdminTokenIsGeneratedAndModeIsLocal() {
        BatonConfig config = load(Map.of());
        assertThat(config.adminAuthMode()).isEqualTo(AuthMode.LOCAL);
        assertThat(config.generatedAdminToken()).hasSizeGreaterThanOrEqualTo(40);
        assertThat(config.adminTokens()).singleElement().satisfies(t -> {
            assertThat(t.name()).isEqualTo("generated");
            assertThat(t.role()).isEqualTo(Role.ADMIN);
        });
        assertThat(config.openEndpoints()).containsExactlyInAnyOrder(OpenEndpoint.HEALTHZ, OpenEndpoint.METRICS);
    }

    @Test
    void configuredTokensMakeRequiredTheDefaultAndNoTokenIsGenerated() {
        BatonConfig config = load(Map.of("ADMIN_TOKENS", "ci:operator:" + SECRET + ", ops:admin:another-long-token-1"));
        assertThat(config.adminAuthMode()).isEqualTo(AuthMode.REQUIRED);
        assertThat(config.generatedAdminToken()).isNull();
        assertThat(config.adminTokens()).extracting(AdminToken::name).containsExactly("ci", "ops");
        assertThat(load(Map.of("ADMIN_TOKENS", "ci:viewer:" + SECRET, "ADMIN_AUTH", "local")).adminAuthMode())
                .isEqualTo(AuthMode.LOCAL);
    }

    @Test
    void tokensFileHoldsDigestsAndTheClearTokenIsAdmitted(@TempDir Path dir) throws Exception {
        String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                                                              .digest(SECRET.getBytes(StandardCharsets.UTF_8)));
        Path file = dir.resolve("tokens");
        Files.writeString(file, "# name:role:token\n\nci:operator:sha256:" + digest.toUpperCase() + "\n");
        BatonConfig config = load(Map.of("ADMIN_TOKENS_FILE", file.toString()));
        assertThat(config.adminAuthMode()).isEqualTo(AuthMode.REQUIRED);
        AdminGate gate = new AdminGate(config.adminAuthMode(), config.adminTokens(), new VirtualTimeSource(), 10, 10);
        Caller caller = gate.admit("SubmitJob", Role.OPERATOR, "Bearer " + SECRET, InetAddress.getLoopbackAddress());
        assertThat(caller).isEqualTo(new Caller("ci", Role.OPERATOR, false));
    }

    @Test
    void badEntriesAreNamedWithoutEchoingTheToken(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> load(Map.of("ADMIN_TOKENS", "ci:viewr:" + SECRET)))
                .isInstanceOf(ConfigException.class)
                .hasMessage("invalid configuration: ADMIN_TOKENS: entry 1 (name ci): role \"viewr\" "
                            + "(expected: viewer, operator or admin)");
        assertThatThrownBy(() -> load(Map.of("ADMIN_TOKENS", SECRET)))
                .hasMessage("invalid configuration: ADMIN_TOKENS: entry 1: expected name:role:token or "
                            + "name:role:sha256:<64 hex digits>; the token itself is not shown");
        assertThatThrownBy(() -> load(Map.of("ADMIN_TOKENS", "ci:admin:short")))
                .hasMessageContaining("a token of at least 16 characters");
        assertThatThrownBy(() -> load(Map.of("ADMIN_TOKENS", "a:admin:" + SECRET + ",b:viewer:" + SECRET)))
                .hasMessageContaining("tokens a and b are the same token");
        Path file = dir.resolve("tokens");
        Files.writeString(file, "ci:operator:sha256:abc\n");
        assertThatThrownBy(() -> load(Map.of("ADMIN_TOKENS_FILE", file.toString())))
                .hasMessage("invalid configuration: ADMIN_TOKENS_FILE " + file + ": line 1 (name ci): expected "
                            + "sha256: followed by exactly 64 hex digits; the token itself is not shown");
        assertThatThrownBy(() -> load(Map.of("ADMIN_TOKENS_FILE", dir.resolve("missing").toString())))
                .hasMessageStartingWith("invalid configuration: ADMIN_TOKENS_FILE=" + dir.resolve("missing"));
        for (String value : new String[] {"ci:viewr:" + SECRET, SECRET, "a:admin:" + SECRET + ",b:viewer:" + SECRET}) {
            assertThatThrownBy(() -> load(Map.of("ADMIN_TOKENS", value))).message().doesNotContain(SECRET);
        }
    }

    @Test
    void modeAndOpenEndpointsAreValidated() {
        assertThatThrownBy(() -> load(Map.of("ADMIN_AUTH", "sometimes")))
                .hasMessage("invalid configuration: ADMIN_AUTH=sometimes (expected: required, local or off)");
        assertThatThrownBy(() -> load(Map.of("AUTH_OPEN_ENDPOINTS", "healthz,status")))
                .hasMessage("invalid configuration: AUTH_OPEN_ENDPOINTS=healthz,status "
                            + "(expected: a comma-separated list of healthz, metrics, docs, reflection)");
        assertThat(load(Map.of("AUTH_OPEN_ENDPOINTS", "")).openEndpoints()).isEmpty();
        assertThat(load(Map.of("AUTH_OPEN_ENDPOINTS", "docs, Reflection")).openEndpoints())
                .containsExactlyInAnyOrder(OpenEndpoint.DOCS, OpenEndpoint.REFLECTION);
        assertThatThrownBy(() -> BatonConfig.builder().adminAuthMode(AuthMode.REQUIRED).agentToken("t").build())
                .hasMessageContaining("ADMIN_AUTH=required (expected: at least one admin token");
        assertThatThrownBy(() -> load(Map.of("ADMIN_RATE_LIMIT_RPS", "-1")))
                .hasMessage("invalid configuration: ADMIN_RATE_LIMIT_RPS=-1 (expected: an integer from 0 to 1000000)");
        assertThatThrownBy(() -> load(Map.of("MAX_STREAMS_PER_CONNECTION", "0")))
                .hasMessage("invalid configuration: MAX_STREAMS_PER_CONNECTION=0 (expected: an integer from 1 to 1000000)");
    }
}
