package dev.baton.cli.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import com.google.protobuf.Struct;

import dev.baton.proto.v1.Template;

class JsonInputTest {

    @Test
    void strictParsingRefusesWhatLenientJsonWouldGuess() {
        assertThatThrownBy(() -> JsonInput.parseObject("--config", "{source: 'cam1'}"))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("--config: malformed JSON: not JSON (unquoted text, single quotes or a comment?) "
                            + "at line 1 column 3 path $.");
    }

    @Test
    void unterminatedObjectNamesThePosition() {
        assertThatThrownBy(() -> JsonInput.parseObject("--config", "{\"a\": 1"))
                .hasMessageStartingWith("--config: malformed JSON: ")
                .hasMessageContaining("line 1 column");
    }

    @Test
    void trailingTextAfterTheValueIsRefused() {
        assertThatThrownBy(() -> JsonInput.parseObject("--config", "{\"a\": 1} {\"b\": 2}"))
                .hasMessageStartingWith("--config: malformed JSON:");
    }

    @Test
    void emptyInputSaysSo() {
        assertThatThrownBy(() -> JsonInput.parseObject("--config", "  \n"))
                .hasMessage("--config: no JSON (the input is empty)");
    }

    @Test
    void objectBecomesAStruct() {
        Struct struct = JsonInput.toStruct("--config", JsonInput.parseObject("--config",
                                                                             "{\"fps\": 30, \"src\": \"x\"}"));

        assertThat(struct.getFieldsOrThrow("fps").getNumberValue()).isEqualTo(30.0);
        assertThat(struct.getFieldsOrThrow("src").getStringValue()).isEqualTo("x");
    }

    @Test
    void messageFromStdinWithAnUnknownFieldNamesTheField() {
        JsonInput input = new JsonInput(new ByteArrayInputStream(
                "{\"id\": \"t1\", \"colour\": \"red\"}".getBytes(StandardCharsets.UTF_8)));

        assertThatThrownBy(() -> input.readMessage("--file", "-", Template.newBuilder()))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith("--file: ")
                .hasMessageContaining("colour");
    }

    @Test
    void messageFromStdinIsParsedAsProto3Json() {
        JsonInput input = new JsonInput(new ByteArrayInputStream(
                "{\"id\": \"t1\", \"restartPolicy\": \"RESTART_POLICY_ALWAYS\", \"config\": {\"a\": 1}}"
                        .getBytes(StandardCharsets.UTF_8)));

        Template template = input.readMessage("--file", "-", Template.newBuilder()).build();

        assertThat(template.getId()).isEqualTo("t1");
        assertThat(template.getConfig().getFieldsOrThrow("a").getNumberValue()).isEqualTo(1.0);
    }
}
