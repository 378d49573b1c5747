package dev.tether.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.session.Message;
import dev.tether.session.SearchTooSlow;
import dev.tether.session.Session;
import dev.tether.support.TestPostgres;
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

/**
 * Search on PostgreSQL: message content is matched through the trigram index of migration V5, not
 * by reading every message, and the server stops a search at its time limit.
 */
class PostgresSearchTest {
    private static final String ALICE = "alice";

    private TestPostgres.Fresh fresh;
    private PostgresDatabase database;
    private PostgresSessionStore store;

    @BeforeEach
    void open() {
        fresh = TestPostgres.database();
        database = PostgresDatabase.open(fresh.jdbcUrl(), TestPostgres.USER, null);
        store = new PostgresSessionStore(database.executor());
    }

    @AfterEach
    void close() {
        database.close();
        fresh.close();
    }

    @Test
    void contentCanBeMatchedThroughTheTrigramIndex() throws Exception {
        Instant at = Instant.now();
        for (int s = 0; s < 20; s++) {
            List<Message> messages = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                messages.add(new Message(i, Message.USER, "message " + i + " of session " + s + " about ordinary things",
                        null, null, null, null, null, null, null, at));
            }
            store.importSession(new Session("s" + s, ALICE, "Chat " + s, "m1", false, false, at, at, at, null, 0, 0, 0, 0),
                    messages);
        }
        try (Connection c = connect(); Statement st = c.createStatement()) {
            // On a table this small a scan is cheaper and the planner rightly takes it; what matters
            // is that the index answers the search's own condition (the same ILIKE, the same
            // operator class), which a big table then uses.
            st.execute("SET enable_seqscan = off");
            StringBuilder plan = new StringBuilder();
            try (ResultSet rs = st.executeQuery("EXPLAIN "
                    + store.contentMatch().replace("?", "'%zebra crossing%'"))) {
                while (rs.next()) {
                    plan.append(rs.getString(1)).append('\n');
                }
            }
            assertThat(plan).contains("messages_content_trgm").doesNotContain("Seq Scan on messages");
        }
    }

    @Test
    void aSearchIsStoppedAtItsTimeLimit() throws Exception {
        Instant at = Instant.now();
        store.importSession(new Session("s1", ALICE, "Chat", "m1", false, false, at, at, at, null, 0, 0, 0, 0),
                List.of(new Message(0, Message.USER, "zebra crossing", null, null, null, null, null, null, null, at)));
        try (Connection c = connect(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            st.execute("LOCK TABLE messages IN ACCESS EXCLUSIVE MODE"); // the search waits for it
            assertThatThrownBy(() -> store.listSessions(ALICE, true, "zebra", Duration.ofMillis(200)))
                    .isInstanceOf(SearchTooSlow.class);
            c.rollback();
        }
        assertThat(store.listSessions(ALICE, true, "zebra", Duration.ofSeconds(5))).extracting(Session::id)
                .containsExactly("s1");
    }

    private Connection connect() throws Exception {
        return DriverManager.getConnection(fresh.jdbcUrl(), TestPostgres.USER, null);
    }
}
