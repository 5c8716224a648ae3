package dev.baton.cli.input;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Struct;
import com.google.protobuf.util.JsonFormat;

/**
 * Reads JSON the user points at ({@code FILE}, or {@code -} for standard input) strictly, so that a typo is
 * reported with the option, the line and the column instead of being guessed around.
 */
public final class JsonInput {

    private final InputStream stdin;

    /** Reads {@code -} from {@code stdin}. */
    public JsonInput(InputStream stdin) {
        this.stdin = requireNonNull(stdin, "stdin");
    }

    /** The text of {@code source}: a file path, or {@code -} for standard input. */
    public String read(String option, String source) {
        try {
            if ("-".equals(source)) {
                return new String(stdin.readAllBytes(), StandardCharsets.UTF_8);
            }
            return Files.readString(Path.of(source), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new InvalidInputException(option + ": no such file: " + source);
        } catch (IOException e) {
            throw new InvalidInputException(option + ": cannot read " + source + ": " + e.getMessage());
        }
    }

    /** Reads {@code source} and parses it as one JSON object. */
    public JsonObject readObject(String option, String source) {
        return parseObject(option, read(option, source));
    }

    /** Reads {@code source} and merges it, as proto3 JSON, into {@code builder}. */
    public <B extends Message.Builder> B readMessage(String option, String source, B builder) {
        JsonObject object = readObject(option, source);
        try {
            JsonFormat.parser().merge(object.toString(), builder);
            return builder;
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidInputException(option + ": " + e.getMessage());
        }
    }

    /** Parses {@code text} as exactly one JSON object, naming {@code option} and the position of any error. */
    public static JsonObject parseObject(String option, String text) {
        JsonElement element = parseStrict(option, text);
        if (!element.isJsonObject()) {
            throw new InvalidInputException(option + ": expected a JSON object, got " + describe(element));
        }
        return element.getAsJsonObject();
    }

    /** Parses {@code text} as exactly one JSON value; throws {@link InvalidInputException} when it is not. */
    public static JsonElement parseStrict(String option, String text) {
        if (text.isBlank()) {
            throw new InvalidInputException(option + ": no JSON (the input is empty)");
        }
        try (JsonReader reader = new JsonReader(new StringReader(text))) {
            reader.setStrictness(Strictness.STRICT);
            JsonElement element = JsonParser.parseReader(reader);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw new InvalidInputException(option + ": malformed JSON: unexpected text after the value "
                                                + reader.getPath().replace("$", "at"));
            }
            return element;
        } catch (JsonParseException | IOException e) {
            throw new InvalidInputException(option + ": malformed JSON: " + gsonMessage(e));
        }
    }

    /** Converts a JSON object to a protobuf Struct (numbers become doubles, as in every Struct). */
    public static Struct toStruct(String option, JsonObject object) {
        Struct.Builder builder = Struct.newBuilder();
        try {
            JsonFormat.parser().merge(object.toString(), builder);
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidInputException(option + ": " + e.getMessage());
        }
        return builder.build();
    }

    private static String describe(JsonElement element) {
        if (element.isJsonArray()) {
            return "an array";
        }
        if (element.isJsonNull()) {
            return "null";
        }
        return "the value " + element;
    }

    // Gson wraps the reader's message ("Unterminated object at line 1 column 9 path $.a") in exceptions whose
    // own message repeats the class name; keep only the part a user can act on.
    private static String gsonMessage(Exception e) {
        Throwable cause = e;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        String message = cause.getMessage() == null ? cause.toString() : cause.getMessage();
        int seeDocs = message.indexOf("\nSee https://");
        if (seeDocs >= 0) {
            message = message.substring(0, seeDocs);
        }
        // Gson's advice is for Java programmers; say what is wrong in the user's text instead.
        return message.replace("Use JsonReader.setStrictness(Strictness.LENIENT) to accept malformed JSON",
                               "not JSON (unquoted text, single quotes or a comment?)");
    }
}
