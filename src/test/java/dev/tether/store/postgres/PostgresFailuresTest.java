package dev.tether.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tether.config.DatabaseUrl;
import java.sql.SQLException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The one line an operator reads for each way PostgreSQL can refuse, never with the password (a refused login cannot be provoked on the test server's trust auth). */
class PostgresFailuresTest {
    static final DatabaseUrl URL = new DatabaseUrl("jdbc:postgresql://db:5432/chat", Optional.of("app"), Optional.of("pw-never-shown"));

    @Test
    void aRefusedLoginNamesTheUserAndWhereToLook() {
        String line = PostgresFailures.connecting(URL, new SQLException("FATAL: password authentication failed for user \"app\"", "28P01"));
        assertThat(line).isEqualTo("PostgreSQL at jdbc:postgresql://app@db:5432/chat refused the login of user app"
                + " (check TETHER_DATABASE_PASSWORD and the server's pg_hba.conf)").doesNotContain("pw-never-shown");
    }

    @Test
    void anythingElseIsTheDriversFirstLine() {
        String line = PostgresFailures.connecting(URL, new SQLException("something odd\n  at detail", "XX000"));
        assertThat(line).isEqualTo("cannot connect to PostgreSQL at jdbc:postgresql://app@db:5432/chat: something odd");
    }
}
