package dev.baton.cli.watch;

import java.util.Iterator;
import java.util.List;
import java.util.Locale;

import dev.baton.proto.v1.EntityKind;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code agent}, {@code job}, {@code engine}, {@code pool} (singular or plural, any case). */
public final class EntityKindConverter implements ITypeConverter<EntityKind> {

    @Override
    public EntityKind convert(String value) {
        String key = value.trim().toLowerCase(Locale.ROOT);
        if (key.startsWith("entity_kind_")) {
            key = key.substring("entity_kind_".length());
        }
        if (key.endsWith("s")) {
            key = key.substring(0, key.length() - 1);
        }
        switch (key) {
            case "agent":
                return EntityKind.ENTITY_KIND_AGENT;
            case "job":
                return EntityKind.ENTITY_KIND_JOB;
            case "engine":
                return EntityKind.ENTITY_KIND_ENGINE;
            case "pool":
                return EntityKind.ENTITY_KIND_POOL;
            default:
                throw new TypeConversionException("'" + value + "' is not a kind (expected: agent, job, engine, pool)");
        }
    }

    /** The names offered by shell completion. */
    public static final class Names implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of("agent", "job", "engine", "pool").iterator();
        }
    }
}
