package dev.baton.agent.internal;

import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Conversions between {@code google.protobuf.Struct} and plain Java maps, lists and scalars. */
public final class Structs {

    private Structs() {}

    /** A Struct of a map whose values are null, strings, numbers, booleans, maps or lists of these. */
    public static Struct toStruct(Map<String, ?> map) {
        Struct.Builder struct = Struct.newBuilder();
        map.forEach((key, value) -> struct.putFields(key, toValue(value)));
        return struct.build();
    }

    /** The Struct as a map of strings, doubles, booleans, nulls, maps and lists. */
    public static Map<String, Object> toMap(Struct struct) {
        Map<String, Object> map = new LinkedHashMap<>();
        struct.getFieldsMap().forEach((key, value) -> map.put(key, toJava(value)));
        return map;
    }

    static Value toValue(Object value) {
        if (value == null) {
            return Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build();
        }
        if (value instanceof Value v) {
            return v;
        }
        if (value instanceof String s) {
            return Value.newBuilder().setStringValue(s).build();
        }
        if (value instanceof Number n) {
            return Value.newBuilder().setNumberValue(n.doubleValue()).build();
        }
        if (value instanceof Boolean b) {
            return Value.newBuilder().setBoolValue(b).build();
        }
        if (value instanceof Map<?, ?> m) {
            Struct.Builder struct = Struct.newBuilder();
            m.forEach((k, v) -> struct.putFields(String.valueOf(k), toValue(v)));
            return Value.newBuilder().setStructValue(struct).build();
        }
        if (value instanceof Iterable<?> items) {
            ListValue.Builder list = ListValue.newBuilder();
            items.forEach(item -> list.addValues(toValue(item)));
            return Value.newBuilder().setListValue(list).build();
        }
        throw new IllegalArgumentException("value: " + value.getClass().getName()
                + " (expected: null, String, Number, Boolean, Map or Iterable)");
    }

    static Object toJava(Value value) {
        switch (value.getKindCase()) {
            case STRING_VALUE:
                return value.getStringValue();
            case NUMBER_VALUE:
                return value.getNumberValue();
            case BOOL_VALUE:
                return value.getBoolValue();
            case STRUCT_VALUE:
                return toMap(value.getStructValue());
            case LIST_VALUE:
                List<Object> list = new ArrayList<>();
                value.getListValue().getValuesList().forEach(item -> list.add(toJava(item)));
                return list;
            default:
                return null;
        }
    }
}
