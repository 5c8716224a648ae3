package dev.baton.cli.output;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Map;

import com.google.gson.stream.JsonWriter;
import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;

/**
 * A Struct as one line of JSON for people. Struct numbers are doubles, which JsonFormat prints as {@code 30.0};
 * whole numbers are shown as {@code 30} here because that is what the user typed. {@code -o json} keeps
 * JsonFormat's exact proto3 form.
 */
public final class StructText {

    /** {@code {"fps":30,"source":"rtmp://cam1"}}. */
    public static String of(Struct struct) {
        StringWriter text = new StringWriter();
        try (JsonWriter writer = new JsonWriter(text)) {
            writer.setHtmlSafe(false);
            write(writer, struct);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString();
    }

    private static void write(JsonWriter writer, Struct struct) throws IOException {
        writer.beginObject();
        for (Map.Entry<String, Value> field : struct.getFieldsMap().entrySet()) {
            writer.name(field.getKey());
            write(writer, field.getValue());
        }
        writer.endObject();
    }

    private static void write(JsonWriter writer, ListValue list) throws IOException {
        writer.beginArray();
        for (Value value : list.getValuesList()) {
            write(writer, value);
        }
        writer.endArray();
    }

    private static void write(JsonWriter writer, Value value) throws IOException {
        switch (value.getKindCase()) {
            case STRUCT_VALUE -> write(writer, value.getStructValue());
            case LIST_VALUE -> write(writer, value.getListValue());
            case STRING_VALUE -> writer.value(value.getStringValue());
            case BOOL_VALUE -> writer.value(value.getBoolValue());
            case NUMBER_VALUE -> {
                double number = value.getNumberValue();
                if (number == Math.rint(number) && !Double.isInfinite(number) && Math.abs(number) < 1e15) {
                    writer.value((long) number);
                } else {
                    writer.value(number);
                }
            }
            default -> writer.nullValue();
        }
    }

    private StructText() {}
}
