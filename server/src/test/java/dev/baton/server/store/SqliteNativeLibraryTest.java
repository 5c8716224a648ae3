package dev.baton.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.LibraryLoaderUtil;

class SqliteNativeLibraryTest {

    @TempDir
    Path dataDir;

    @Test
    void copiesTheJarsLibraryOnceUnderTheDriversVersionAndPlatform() throws Exception {
        Path copy = SqliteNativeLibrary.copyIn(dataDir).orElseThrow();
        assertThat(copy.getParent()).isEqualTo(dataDir.resolve("native"));
        assertThat(copy.getFileName().toString())
                .startsWith("sqlite-jdbc-" + SQLiteJDBCLoader.getVersion() + "-")
                .endsWith(LibraryLoaderUtil.getNativeLibName());
        assertThat(Files.readAllBytes(copy)).isEqualTo(jarsLibrary());

        FileTime made = FileTime.from(Instant.parse("2026-01-01T00:00:00Z"));
        Files.setLastModifiedTime(copy, made);
        assertThat(SqliteNativeLibrary.copyIn(dataDir)).contains(copy);
        assertThat(Files.getLastModifiedTime(copy)).isEqualTo(made); // kept, not written again
        try (var files = Files.list(copy.getParent())) {
            assertThat(files).containsExactly(copy); // no partial file left behind
        }
    }

    @Test
    void aCopyOfTheWrongSizeIsMadeAgain() throws Exception {
        Path copy = SqliteNativeLibrary.copyIn(dataDir).orElseThrow();
        Files.write(copy, new byte[] {1, 2, 3}); // e.g. cut short when a disk filled up
        Path leftover = Files.createFile(copy.resolveSibling(copy.getFileName() + "123.partial")); // a crash mid-copy

        assertThat(SqliteNativeLibrary.copyIn(dataDir)).contains(copy);
        assertThat(Files.readAllBytes(copy)).isEqualTo(jarsLibrary());
        assertThat(leftover).doesNotExist();
    }

    private static byte[] jarsLibrary() throws Exception {
        String resource = LibraryLoaderUtil.getNativeLibResourcePath() + "/" + LibraryLoaderUtil.getNativeLibName();
        try (InputStream in = SQLiteJDBCLoader.class.getResourceAsStream(resource)) {
            return in.readAllBytes();
        }
    }
}
