package dev.tether.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.config.CannotStart;
import dev.tether.config.DatabaseUrl;
import dev.tether.support.TestPostgres;
import java.net.InetAddress;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** One Tether per PostgreSQL database: a second holder is refused and told who holds it, until the first lets go. */
class DatabaseOwnerLockTest {

    @Test
    void aSecondHolderIsRefusedUntilTheFirstLetsGo() throws Exception {
        try (TestPostgres.Fresh db = TestPostgres.database()) {
            DatabaseUrl url = url(db);
            DatabaseOwnerLock first = DatabaseOwnerLock.acquire(url);
            String host = InetAddress.getLocalHost().getHostName();
            assertThatThrownBy(() -> DatabaseOwnerLock.acquire(url))
                    .isInstanceOf(DatabaseOwnerLock.InUse.class)
                    .hasMessage("database " + url.shown() + " is in use by another Tether (pid "
                            + ProcessHandle.current().pid() + " on host " + host.substring(0, Math.min(30, host.length())) + ")");
            first.close();
            try (DatabaseOwnerLock second = DatabaseOwnerLock.acquire(url)) {
                assertThat(second).isNotNull();
            }
        }
    }

    @Test
    void theLockIsPerDatabase() {
        try (TestPostgres.Fresh one = TestPostgres.database(); TestPostgres.Fresh other = TestPostgres.database();
             DatabaseOwnerLock a = DatabaseOwnerLock.acquire(url(one));
             DatabaseOwnerLock b = DatabaseOwnerLock.acquire(url(other))) {
            assertThat(a).isNotSameAs(b);
        }
    }

    @Test
    void aMissingDatabaseIsOneLine() {
        try (TestPostgres.Fresh db = TestPostgres.database()) {
            DatabaseUrl missing = new DatabaseUrl(db.jdbcUrl() + "_missing", Optional.of(TestPostgres.USER), Optional.empty());
            assertThatThrownBy(() -> DatabaseOwnerLock.acquire(missing))
                    .isInstanceOf(CannotStart.class)
                    .hasMessage("database " + missing.shown() + " does not exist: create it (createdb) or fix TETHER_DATABASE_URL");
        }
    }

    @Test
    void anUnreachableServerIsOneLine() {
        DatabaseUrl nowhere = new DatabaseUrl("jdbc:postgresql://127.0.0.1:1/tether", Optional.of("u"), Optional.of("pw123456"));
        assertThatThrownBy(() -> DatabaseOwnerLock.acquire(nowhere))
                .isInstanceOf(CannotStart.class)
                .hasMessageStartingWith("cannot reach PostgreSQL at jdbc:postgresql://u@127.0.0.1:1/tether: ")
                .message().doesNotContain("\n").doesNotContain("pw123456");
    }

    static DatabaseUrl url(TestPostgres.Fresh db) {
        return new DatabaseUrl(db.jdbcUrl(), Optional.of(TestPostgres.USER), Optional.empty());
    }
}
