package dev.baton.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real launcher, as a child process: a bad value stops start-up with one clear line. */
class StartupFailureTest {

    @Test
    void invalidConfigurationValueStopsStartupWithOneLineNamingIt(@TempDir Path dir) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                                                    "dev.baton.server.Main", "--data-dir", dir.toString())
                .redirectError(dir.resolve("stderr").toFile())
                .redirectOutput(dir.resolve("stdout").toFile());
        builder.environment().put("HEARTBEAT_TIMEOUT_MS", "soon");
        builder.environment().put("PORT", "0");
        Process process = builder.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        String stderr = Files.readString(dir.resolve("stderr"), StandardCharsets.UTF_8).trim();
        assertThat(stderr).isEqualTo("baton-server: invalid configuration: HEARTBEAT_TIMEOUT_MS=soon "
                                     + "(expected: a whole number of milliseconds >= 0)");
        assertThat(new File(dir.toFile(), "baton.db")).doesNotExist();
    }

    @Test
    void missingTlsCertificateStopsStartupWithOneLineNamingIt(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("missing.pem");
        String stderr = failedStartup(dir, Map.of("TLS_CERT_FILE", missing.toString(),
                                                  "TLS_KEY_FILE", dir.resolve("key.pem").toString()));
        assertThat(stderr).isEqualTo("baton-server: invalid configuration: TLS_CERT_FILE=" + missing
                                     + ": no such file (expected: a PEM file with the server's certificate chain)");
    }

    private static String failedStartup(Path dir, Map<String, String> env) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                                                    "dev.baton.server.Main", "--data-dir", dir.toString())
                .redirectError(dir.resolve("stderr").toFile())
                .redirectOutput(dir.resolve("stdout").toFile());
        builder.environment().putAll(env);
        builder.environment().put("PORT", "0");
        Process process = builder.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(new File(dir.toFile(), "baton.db")).doesNotExist();
        return Files.readString(dir.resolve("stderr"), StandardCharsets.UTF_8).trim();
    }
}
