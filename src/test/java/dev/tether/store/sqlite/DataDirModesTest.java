package dev.tether.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.store.jdbc.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;

/** The data dir and the database hold conversations and password hashes: the owner's eyes only. */
class DataDirModesTest {

    @Test
    void aNewDataDirIs0700AndItsDatabase0600() throws Exception {
        Path dir = Files.createTempDirectory("modes").resolve("fresh");
        try (DataDirLock lock = DataDirLock.acquire(dir)) {
            Database db = SqliteDatabase.open(dir.resolve("tether.db"));
            db.close();
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("tether.db"))))
                .isEqualTo("rw-------");
    }

    @Test
    void anExistingDatabaseReadableByOthersIsTightened() throws Exception {
        Path dir = Files.createTempDirectory("modes");
        Path file = dir.resolve("tether.db");
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
        SqliteDatabase.open(file).close();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }
}
