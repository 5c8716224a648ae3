package dev.baton.server.store;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;

/**
 * Keeps a copy of the SQLite driver's native library in the data directory and points the driver at
 * it. Left alone, the driver copies the library (about 1 MB) out of the jar into the temporary
 * directory on every start, under a new name, then reads both copies back to compare them: a quarter
 * of a second of every start, on the start-up thread, before the store can be read.
 *
 * <p>The copy is named after the driver's version and the platform, and made again when its size is
 * not the jar's. A user who sets {@code org.sqlite.lib.path} keeps it; anything that goes wrong here
 * leaves the driver to its own extraction (a slower start, never a failed one).
 */
final class SqliteNativeLibrary {

    private static final Logger log = LoggerFactory.getLogger(SqliteNativeLibrary.class);
    private static final String PATH_PROPERTY = "org.sqlite.lib.path";
    private static final String NAME_PROPERTY = "org.sqlite.lib.name";
    private static final String RESOURCE_ROOT = "/org/sqlite/native/";
    private static boolean decided;

    private SqliteNativeLibrary() {}

    /** Before the driver first loads (once per JVM): have it load the copy in {@code dataDir}/native. */
    static synchronized void useCopyIn(Path dataDir) {
        if (decided || System.getProperty(PATH_PROPERTY) != null) {
            return;
        }
        decided = true;
        try {
            copyIn(dataDir).ifPresent(copy -> {
                System.setProperty(PATH_PROPERTY, copy.getParent().toString());
                System.setProperty(NAME_PROPERTY, copy.getFileName().toString());
            });
        } catch (IOException | RuntimeException e) {
            log.warn("event=sqlite-library-not-copied dir={} error=\"{}\": the driver extracts it to the temporary "
                     + "directory instead", dataDir.resolve("native"), e.toString());
        }
    }

    /** The library's copy in {@code dataDir}/native, made when missing or of the wrong size; empty if the jar has none. */
    static Optional<Path> copyIn(Path dataDir) throws IOException {
        String resource = LibraryLoaderUtil.getNativeLibResourcePath() + "/" + LibraryLoaderUtil.getNativeLibName();
        URL url = SQLiteJDBCLoader.class.getResource(resource);
        if (url == null) {
            return Optional.empty(); // no library for this platform: the driver explains when it loads
        }
        URLConnection connection = url.openConnection();
        long size = connection.getContentLengthLong(); // from the jar's directory: nothing is inflated
        String name = "sqlite-jdbc-" + SQLiteJDBCLoader.getVersion() + "-"
                      + resource.substring(RESOURCE_ROOT.length()).replace('/', '-');
        Path dir = dataDir.resolve("native");
        Path copy = dir.resolve(name);
        if (Files.isRegularFile(copy) && Files.size(copy) == size) {
            return Optional.of(copy);
        }
        Files.createDirectories(dir);
        removeLeftovers(dir, name);
        Path partial = Files.createTempFile(dir, name, ".partial");
        try (InputStream in = connection.getInputStream()) {
            Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            // Atomic: a server starting meanwhile sees no copy or a whole one.
            Files.move(partial, copy, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(partial);
        }
        return Optional.of(copy);
    }

    /** Partial copies a crash interrupted (only one server uses a data directory at a time). */
    private static void removeLeftovers(Path dir, String name) throws IOException {
        try (DirectoryStream<Path> partials = Files.newDirectoryStream(dir, name + "*.partial")) {
            for (Path partial : partials) {
                Files.deleteIfExists(partial);
            }
        }
    }
}
