package dev.tether.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tether.store.jdbc.Database;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Commits never checkpoint (wal_autocheckpoint=0); the checkpoint thread copies the log back. */
class WalCheckpointsTest {
    @TempDir
    Path dir;

    @Test
    void theLogIsCopiedIntoTheDatabaseFileWithoutAnyCommitDoingItAndTruncatedOnClose() throws Exception {
        Path file = dir.resolve("tether.db");
        Path wal = dir.resolve("tether.db-wal");
        Database db = SqliteDatabase.open(file);
        long migrated = Files.size(file);
        SqliteSessionStore store = new SqliteSessionStore(db.executor());

        for (int i = 0; i < 2_000; i++) {
            store.createSession("alice", "s" + i, "a title long enough to fill some pages " + i, "m1", Instant.now());
        }

        assertThat(Files.size(wal)).isPositive();
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.size(file) > migrated + 100_000);
        db.close();
        assertThat(Files.exists(wal) ? Files.size(wal) : 0).isZero();
        Database reopened = SqliteDatabase.open(file);
        try {
            assertThat(new SqliteSessionStore(reopened.executor()).counts().sessions()).isEqualTo(2_000);
        } finally {
            reopened.close();
        }
    }
}
