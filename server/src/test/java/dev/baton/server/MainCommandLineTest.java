package dev.baton.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server's command line: known settings are read directly; anything else goes to picocli. */
class MainCommandLineTest {

    @Test
    void knownSettingsAsPairsOrWithEqualsAreReadWithoutPicocli() {
        assertThat(Main.plainSettings(new String[] {"--port", "0", "--data-dir=/tmp/b=c", "--admin-tokens", ""}))
                .isEqualTo(Map.of("PORT", "0", "DATA_DIR", "/tmp/b=c", "ADMIN_TOKENS", ""));
        assertThat(Main.plainSettings(new String[0])).isEmpty();
    }

    @Test
    void helpVersionUnknownRepeatedOrIncompleteOptionsAreLeftToPicocli() {
        for (String[] args : new String[][] {{"--help"}, {"-h"}, {"--version"}, {"--prot", "1"}, {"--port"},
                                             {"--port", "--data-dir", "x"}, {"--port", "1", "--port", "2"},
                                             {"stray"}, {"--port", "-1"}}) {
            assertThat(Main.plainSettings(args)).as(String.join(" ", args)).isNull();
        }
    }

    @Test
    void anUnknownOptionStillStopsStartupWithPicocliSMessage(@TempDir Path dir) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                                             "dev.baton.server.Main", "--prot", "8080")
                .redirectError(dir.resolve("stderr").toFile()).redirectOutput(dir.resolve("stdout").toFile())
                .start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(Files.readString(dir.resolve("stderr"), StandardCharsets.UTF_8))
                .startsWith("baton-server: Unknown option").contains("'--prot'", "(see --help)");
    }

    /**
     * A test suite or an application may run the server with logging of its own, logback not on the
     * class path at all: the server still starts (LOG_LEVEL is then left to that logging).
     */
    @Test
    void startsWithoutLogbackOnTheClassPath(@TempDir Path dir) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                                           .filter(entry -> !entry.contains("logback"))
                                           .collect(Collectors.joining(File.pathSeparator));
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", classPath, Main.class.getName(), "--port", "0",
                                                    "--data-dir", dir.resolve("data").toString())
                .redirectErrorStream(true);
        builder.environment().putAll(Map.of("ENGINES_ENABLED", "false", "AGENT_TOKEN", "t", "LOG_LEVEL", "debug"));
        Process process = builder.start();
        try (var lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            StringBuilder output = new StringBuilder();
            String line;
            while ((line = lines.readLine()) != null && !line.startsWith("Baton listening on port")) {
                output.append(line).append('\n');
            }
            assertThat(line).as("the server's output until it stopped:%n%s", output).startsWith("Baton listening on port");
        } finally {
            process.destroy();
            process.waitFor(60, TimeUnit.SECONDS);
        }
    }
}
