package dev.baton.server.engines;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * This server's identity on its Docker engines, kept in the data directory so that a restart finds
 * (and adopts) the containers it made before, and two Batons on one Docker never touch each other's.
 */
public final class InstanceId {

    static final String FILE = "instance-id";
    private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9-]{3,63}");

    private InstanceId() {}

    /** A new random id. */
    public static String generate() {
        return "baton-" + UUID.randomUUID().toString().substring(0, 12);
    }

    /** The id stored in {@code dataDir}, created on first use. */
    public static String loadOrCreate(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        try {
            if (Files.exists(file)) {
                String id = Files.readString(file, StandardCharsets.UTF_8).trim();
                if (!VALID.matcher(id).matches()) {
                    throw new IllegalStateException(file + ": \"" + id + "\" is not an instance id (expected: "
                                                    + VALID.pattern() + "); restore it or delete the file");
                }
                return id;
            }
            Files.createDirectories(dataDir);
            String id = generate();
            Path tmp = dataDir.resolve(FILE + ".tmp");
            Files.writeString(tmp, id + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file, e);
        }
    }
}
