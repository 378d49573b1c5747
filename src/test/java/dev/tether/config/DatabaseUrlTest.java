package dev.tether.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** TETHER_DATABASE_URL in both forms and TETHER_DATABASE_PASSWORD; a password never shows. */
class DatabaseUrlTest {

    @Test
    void unsetMeansSqliteInTheDataDir() throws Exception {
        assertThat(load(Map.of()).database()).isEmpty();
    }

    @Test
    void theLibpqFormBecomesAJdbcUrlWithUserAndPasswordApart() throws Exception {
        DatabaseUrl url = load(Map.of("TETHER_DATABASE_URL",
                "postgresql://tether:s%40cret@db.example.org:6543/chat?sslmode=require")).database().orElseThrow();
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example.org:6543/chat?sslmode=require");
        assertThat(url.user()).contains("tether");
        assertThat(url.password()).contains("s@cret");
        assertThat(url.shown()).isEqualTo("jdbc:postgresql://tether@db.example.org:6543/chat?sslmode=require");
    }

    @Test
    void theLibpqFormTakesTheDefaultPortAndTheShortScheme() throws Exception {
        DatabaseUrl url = load(Map.of("TETHER_DATABASE_URL", "postgres://me@localhost/tether")).database().orElseThrow();
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:5432/tether");
        assertThat(url.user()).contains("me");
        assertThat(url.password()).isEmpty();
    }

    @Test
    void theJdbcFormKeepsItsParametersButTakesUserAndPasswordOut() throws Exception {
        DatabaseUrl url = load(Map.of("TETHER_DATABASE_URL",
                "jdbc:postgresql://127.0.0.1:5432/tether?user=app&password=hunter22&sslmode=disable")).database().orElseThrow();
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/tether?sslmode=disable");
        assertThat(url.user()).contains("app");
        assertThat(url.password()).contains("hunter22");
    }

    @Test
    void thePasswordVariableWinsOverTheUrls() throws Exception {
        DatabaseUrl url = load(Map.of("TETHER_DATABASE_URL", "postgresql://app:old@h:5432/d",
                "TETHER_DATABASE_PASSWORD", "fromTheVariable")).database().orElseThrow();
        assertThat(url.password()).contains("fromTheVariable");
        assertThat(url.toString()).doesNotContain("fromTheVariable").doesNotContain("old")
                .isEqualTo("jdbc:postgresql://app@h:5432/d (with a password)");
    }

    @Test
    void theConfigNeverShowsThePassword() throws Exception {
        TetherConfig config = load(Map.of("TETHER_DATABASE_URL", "postgresql://app:topsecret1@h:5432/d"));
        assertThat(config.toString()).doesNotContain("topsecret1").contains("jdbc:postgresql://app@h:5432/d");
    }

    @Test
    void otherFormsAreRefusedWithoutEchoingTheUrl() {
        for (String wrong : new String[] {"mysql://root:topsecret1@h/db", "h:5432/db", "postgresql://app:topsecret1@h:5432/",
                "jdbc:sqlite:/tmp/x.db", "postgresql://app:topsecret1@/db", "postgresql://app:top secret1@h/db"}) {
            assertThatThrownBy(() -> load(Map.of("TETHER_DATABASE_URL", wrong)))
                    .as(wrong)
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("TETHER_DATABASE_URL must be postgresql://USER@HOST:5432/DATABASE (libpq form)"
                            + " or jdbc:postgresql://HOST:5432/DATABASE")
                    .message().doesNotContain("topsecret1").doesNotContain("top secret1");
        }
    }

    @Test
    void aRefusedUrlNamesItsSchemeOnly() {
        assertThatThrownBy(() -> load(Map.of("TETHER_DATABASE_URL", "mysql://root:pw@h/db")))
                .hasMessageContaining("(got a URL with mysql://: another scheme)");
    }

    private static TetherConfig load(Map<String, String> settings) throws Exception {
        Map<String, String> env = new HashMap<>(settings);
        env.put("TETHER_DATA_DIR", Files.createTempDirectory("tether-dburl").toString());
        return new ConfigLoader(env).load();
    }

    @Test
    void parseKeepsAnExplicitPasswordSettingEvenWhenTheUrlHasNone() throws Exception {
        assertThat(DatabaseUrl.parse("postgresql://u@h/d", Optional.of("pw")).password()).contains("pw");
    }
}
