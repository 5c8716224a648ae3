package dev.baton.cli.pools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.google.protobuf.Duration;

import dev.baton.cli.input.InvalidInputException;
import dev.baton.cli.input.JsonInput;
import dev.baton.proto.v1.Mount;
import dev.baton.proto.v1.PoolSpec;
import dev.baton.proto.v1.Resources;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** The spec pools create/update send, built from options; no server needed to check what would be sent. */
class PoolSpecOptionsTest {

    @Command
    static final class Holder {
        @Mixin
        PoolSpecOptions options;
    }

    @Test
    void optionsFillTheSpec() {
        PoolSpec spec = parse("--image", "baton/engine:1", "--slots", "2", "--min-free", "1", "--max-engines", "5",
                              "--memory", "2GiB", "--cpus", "1.5", "--pids", "200", "--env", "LOG=debug",
                              "--secret-env", "API_KEY=s3cret", "--label", "gpu=false", "--idle-ttl", "1h",
                              "--mount", "/srv/media:/media:ro")
                .applyTo(PoolSpec.getDefaultInstance(), stdin(""), List.of("/usr/local/bin/baton-agent", "-v"));

        assertThat(spec.getImage()).isEqualTo("baton/engine:1");
        assertThat(spec.getCommandList()).containsExactly("/usr/local/bin/baton-agent", "-v");
        assertThat(spec.getResources()).isEqualTo(Resources.newBuilder().setCpus(1.5).setMemoryBytes(2L << 30)
                                                           .setPids(200).build());
        assertThat(spec.getEnvMap()).containsEntry("LOG", "debug").containsEntry("API_KEY", "s3cret");
        assertThat(spec.getSecretEnvList()).containsExactly("API_KEY");
        assertThat(spec.getLabelsMap()).containsEntry("gpu", "false");
        assertThat(spec.getIdleTtl()).isEqualTo(Duration.newBuilder().setSeconds(3600).build());
        assertThat(spec.getMountsList()).containsExactly(
                Mount.newBuilder().setSource("/srv/media").setTarget("/media").setReadOnly(true).build());
        assertThat(spec.getMinFree()).isEqualTo(1);
        assertThat(spec.getMaxEngines()).isEqualTo(5);
    }

    @Test
    void anUpdateKeepsWhatWasNotGiven() {
        PoolSpec current = PoolSpec.newBuilder().setImage("baton/engine:1").addCommand("agent").setSlots(2)
                                   .putEnv("LOG", "info").setMaxEngines(5).build();

        PoolSpec updated = parse("--image", "baton/engine:2", "--env", "LOG=debug")
                .applyTo(current, stdin(""), null);

        assertThat(updated).isEqualTo(current.toBuilder().setImage("baton/engine:2").putEnv("LOG", "debug").build());
    }

    @Test
    void fileReplacesTheSpecAndOptionsOverrideIt() {
        PoolSpec current = PoolSpec.newBuilder().setImage("old").setSlots(9).build();

        PoolSpec spec = parse("--file", "-", "--max-engines", "3")
                .applyTo(current, stdin("{\"name\": \"encoders\", \"spec\": {\"image\": \"new\", \"minFree\": 1}}"),
                         null);

        assertThat(spec).isEqualTo(PoolSpec.newBuilder().setImage("new").setMinFree(1).setMaxEngines(3).build());
    }

    @Test
    void malformedMountIsRefused() {
        assertThatThrownBy(() -> parse("--mount", "media:/media").applyTo(PoolSpec.getDefaultInstance(), stdin(""),
                                                                          null))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("--mount 'media:/media': expected /host/path:/container/path[:ro]");
    }

    private static PoolSpecOptions parse(String... args) {
        Holder holder = new Holder();
        new CommandLine(holder).parseArgs(args);
        return holder.options;
    }

    private static JsonInput stdin(String text) {
        return new JsonInput(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }
}
