package dev.baton.agent.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Struct;
import dev.baton.agent.internal.Structs;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandSpecTest {

    @Test
    void listCommandEnvAndWorkdirAreRead(@TempDir Path dir) {
        CommandSpec spec = CommandSpec.from(config(Map.of(
                "command", List.of("ffmpeg", "-t", 5),
                "env", Map.of("LOG", "info", "PORT", 8080, "DEBUG", true),
                "workdir", dir.toString())));

        assertThat(spec.command()).containsExactly("ffmpeg", "-t", "5");
        assertThat(spec.env()).containsOnly(Map.entry("LOG", "info"), Map.entry("PORT", "8080"),
                                            Map.entry("DEBUG", "true"));
        assertThat(spec.workdir()).contains(dir);
    }

    @Test
    void stringCommandRunsThroughTheShell() {
        CommandSpec spec = CommandSpec.from(config(Map.of("command", "echo hi | tr a-z A-Z")));

        assertThat(spec.command()).containsExactly("/bin/sh", "-c", "echo hi | tr a-z A-Z");
        assertThat(spec.env()).isEmpty();
        assertThat(spec.workdir()).isEmpty();
    }

    @Test
    void badConfigsSayWhichFieldIsWrongAndWhatWasExpected() {
        assertThatThrownBy(() -> CommandSpec.from(config(Map.of())))
                .hasMessage("config.command is missing (expected: a list of strings, e.g. [\"sleep\", \"5\"])");
        assertThatThrownBy(() -> CommandSpec.from(config(Map.of("command", List.of()))))
                .hasMessage("config.command is empty (expected: the program and its arguments)");
        assertThatThrownBy(() -> CommandSpec.from(config(Map.of("command", Map.of("a", "b")))))
                .hasMessage("config.command is an object (expected: a list of strings or a string)");
        assertThatThrownBy(() -> CommandSpec.from(config(Map.of("command", List.of("x", List.of())))))
                .hasMessage("config.command[1] is a list (expected: a string)");
        assertThatThrownBy(() -> CommandSpec.from(config(Map.of("command", List.of("x"), "env", "A=1"))))
                .hasMessage("config.env is a string (expected: an object of names to strings)");
        assertThatThrownBy(() -> CommandSpec.from(config(Map.of("command", List.of("x"),
                                                                 "workdir", "/no/such/dir"))))
                .hasMessage("config.workdir /no/such/dir is not a directory on this agent");
    }

    private static Struct config(Map<String, ?> map) {
        return Structs.toStruct(map);
    }
}
