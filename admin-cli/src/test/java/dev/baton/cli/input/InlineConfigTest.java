package dev.baton.cli.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.google.gson.JsonObject;

class InlineConfigTest {

    @Test
    void valuesThatAreJsonStayJsonOthersBecomeStrings() {
        JsonObject config = InlineConfig.apply(null, List.of(
                "fps=30", "live=true", "source=rtmp://cam1/live", "id=\"0123\"", "tags=[\"a\",\"b\"]", "empty=",
                "note=hello world"));

        assertThat(config.toString()).isEqualTo(
                "{\"fps\":30,\"live\":true,\"source\":\"rtmp://cam1/live\",\"id\":\"0123\",\"tags\":[\"a\",\"b\"],"
                + "\"empty\":\"\",\"note\":\"hello world\"}");
    }

    @Test
    void dottedKeysBuildNestedObjectsAndKeepSiblings() {
        JsonObject base = JsonInput.parseObject("--config", "{\"output\": {\"format\": \"dash\", \"bitrate\": 3000}}");

        JsonObject config = InlineConfig.apply(base, List.of("output.format=hls", "output.audio.muted=false"));

        assertThat(config.toString()).isEqualTo(
                "{\"output\":{\"format\":\"hls\",\"bitrate\":3000,\"audio\":{\"muted\":false}}}");
        assertThat(base.toString()).as("the base is not modified")
                                   .isEqualTo("{\"output\":{\"format\":\"dash\",\"bitrate\":3000}}");
    }

    @Test
    void laterSetWinsOverConfigAndEarlierSet() {
        JsonObject base = JsonInput.parseObject("--config", "{\"fps\": 25}");

        assertThat(InlineConfig.apply(base, List.of("fps=30", "fps=60")).toString()).isEqualTo("{\"fps\":60}");
    }

    @Test
    void settingAFieldInsideAScalarIsRefused() {
        JsonObject base = JsonInput.parseObject("--config", "{\"output\": \"hls\"}");

        assertThatThrownBy(() -> InlineConfig.apply(base, List.of("output.format=hls")))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("--set 'output.format=hls': 'output' is \"hls\", not an object");
    }

    @Test
    void emptyKeyPartsAreRefused() {
        assertThatThrownBy(() -> InlineConfig.apply(null, List.of("a..b=1")))
                .hasMessage("--set 'a..b=1': the key has an empty part");
        assertThatThrownBy(() -> InlineConfig.apply(null, List.of("=1")))
                .hasMessage("--set '=1': expected key=value");
    }
}
