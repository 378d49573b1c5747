package dev.tether.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.session.Message;
import dev.tether.session.SearchTooSlow;
import dev.tether.session.Session;
import dev.tether.store.jdbc.Database;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Search on SQLite: message content is matched through the FTS5 trigram index of migration V7, not
 * by reading every message, and a search is interrupted at its time limit, leaving its reader
 * connection fit for the next read.
 */
class SqliteSearchTest {
    private static final String ALICE = "alice";

    @TempDir
    Path dir;
    private Database database;
    private SqliteSessionStore store;

    @BeforeEach
    void open() {
        database = SqliteDatabase.open(dir.resolve("tether.db"));
        store = new SqliteSessionStore(database.executor());
        Instant at = Instant.now();
        for (int s = 0; s < 50; s++) {
            List<Message> messages = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                messages.add(new Message(i, Message.USER, "message " + i + " of session " + s + " about ordinary things",
                        null, null, null, null, null, null, null, at));
            }
            store.importSession(new Session("s" + s, ALICE, "Chat " + s, "m1", false, false, at, at, at, null, 0, 0, 0, 0),
                    messages);
        }
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void contentIsMatchedThroughTheFullTextIndex() throws Exception {
        StringBuilder plan = new StringBuilder();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("tether.db"));
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("EXPLAIN QUERY PLAN SELECT id FROM sessions s WHERE owner = 'alice'"
                     + " AND s.id IN (" + store.contentMatch().replace("?", "'\"ordinary\"'") + ")")) {
            while (rs.next()) {
                plan.append(rs.getString("detail")).append('\n');
            }
        }
        assertThat(plan).contains("message_search VIRTUAL TABLE").doesNotContain("SCAN messages");
        assertThat(store.listSessions(ALICE, true, "session 42 ABOUT")).extracting(Session::id).containsExactly("s42");
    }

    @Test
    void aSearchIsInterruptedAtItsTimeLimitAndItsReaderServesOn() {
        assertThatThrownBy(() -> store.listSessions(ALICE, true, "of", Duration.ZERO)).isInstanceOf(SearchTooSlow.class);
        assertThatThrownBy(() -> store.listSessions(ALICE, true, "ordinary", Duration.ZERO))
                .isInstanceOf(SearchTooSlow.class);

        for (int i = 0; i < 6; i++) { // every reader thread, whichever took the interrupted searches
            assertThat(store.listSessions(ALICE, true, "of session 7 ", Duration.ofSeconds(30))).hasSize(1);
            assertThat(store.listSessions(ALICE, true, null)).hasSize(50);
        }
    }
}
