package dev.tether.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.session.Session;
import dev.tether.store.jdbc.Database;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** V9: a file from before token totals gets each session's sums from its replies' usage. */
class SqliteTokenTotalsUpgradeTest {
    @TempDir
    Path dir;

    @Test
    void upgradingSumsTheUsageOfEachSessionsReplies() throws Exception {
        Path file = dir.resolve("tether.db");
        String url = "jdbc:sqlite:" + file;
        Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration/sqlite").target("4")
                .load().migrate();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("INSERT INTO sessions (id, owner, title, model, created_at, updated_at, message_count)"
                    + " VALUES ('s1', 'local', 'Old chat', 'm1', 1, 1, 4), ('s2', 'local', 'Quiet', 'm1', 1, 1, 0)");
            s.execute("INSERT INTO messages (session_id, idx, role, content, usage_json, created_at) VALUES"
                    + " ('s1', 0, 'user', 'hi', NULL, 1),"
                    + " ('s1', 1, 'assistant', 'a', '{\"input_tokens\":10,\"output_tokens\":3,\"total_tokens\":13}', 1),"
                    + " ('s1', 2, 'user', 'more', NULL, 1),"
                    + " ('s1', 3, 'assistant', 'b', '{\"input_tokens\":25,\"output_tokens\":7,\"total_tokens\":32}', 1),"
                    + " ('s1', 4, 'assistant', 'c', 'not json', 1)");
        }
        try (Database db = SqliteDatabase.open(file)) {
            SqliteSessionStore store = new SqliteSessionStore(db.executor());
            Session old = store.findSession("local", "s1").orElseThrow();
            assertThat(old.inputTokens()).isEqualTo(35);
            assertThat(old.outputTokens()).isEqualTo(10);
            Session quiet = store.findSession("local", "s2").orElseThrow();
            assertThat(quiet.inputTokens()).isZero();
            assertThat(quiet.outputTokens()).isZero();
        }
    }
}
