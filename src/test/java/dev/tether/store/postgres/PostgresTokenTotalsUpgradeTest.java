package dev.tether.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.session.Session;
import dev.tether.support.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/** V7: a database from before token totals gets each session's sums from its replies' usage. */
class PostgresTokenTotalsUpgradeTest {

    @Test
    void upgradingSumsTheUsageOfEachSessionsReplies() throws Exception {
        try (TestPostgres.Fresh db = TestPostgres.database()) {
            Flyway.configure().dataSource(db.jdbcUrl(), TestPostgres.USER, null)
                    .locations("classpath:db/migration/postgresql").target("2").load().migrate();
            try (Connection c = DriverManager.getConnection(db.jdbcUrl(), TestPostgres.USER, null);
                 Statement s = c.createStatement()) {
                s.execute("INSERT INTO sessions (id, owner, title, model, created_at, updated_at, message_count) VALUES"
                        + " ('s1', 'local', 'Old chat', 'm1', now(), now(), 3), ('s2', 'local', 'Quiet', 'm1', now(), now(), 0)");
                s.execute("INSERT INTO messages (session_id, idx, role, content, usage_json, created_at) VALUES"
                        + " ('s1', 0, 'user', 'hi', NULL, now()),"
                        + " ('s1', 1, 'assistant', 'a', '{\"input_tokens\":10,\"output_tokens\":3,\"total_tokens\":13}', now()),"
                        + " ('s1', 2, 'assistant', 'b', '{\"input_tokens\":25,\"output_tokens\":7,\"total_tokens\":32}', now())");
            }
            try (PostgresDatabase opened = PostgresDatabase.open(db.jdbcUrl(), TestPostgres.USER, null)) {
                PostgresSessionStore store = new PostgresSessionStore(opened.executor());
                Session old = store.findSession("local", "s1").orElseThrow();
                assertThat(old.inputTokens()).isEqualTo(35);
                assertThat(old.outputTokens()).isEqualTo(10);
                Session quiet = store.findSession("local", "s2").orElseThrow();
                assertThat(quiet.inputTokens()).isZero();
                assertThat(quiet.outputTokens()).isZero();
            }
        }
    }
}
