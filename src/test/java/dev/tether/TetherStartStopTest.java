package dev.tether;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tether.config.CannotStart;
import dev.tether.config.ConfigLoader;
import dev.tether.config.TetherConfig;
import dev.tether.model.ModelCatalog;
import dev.tether.store.sqlite.DataDirLock;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Start and stop as one lifecycle: what started is stopped, in reverse order, when a later part fails. */
class TetherStartStopTest {
    /** The platform threads Tether's parts start (JDBC writer and readers, checkpoints, journal, Hikari; either store). */
    static final List<String> OWN_THREADS = List.of("sqlite-", "tether-sqlite", "journal-", "postgresql-",
            "tether-postgresql");

    @Test
    void aRunningTetherHasItsThreadsAndCloseStopsThem() throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        Tether tether = Tether.start(config(Files.createTempDirectory("tether-stop"), 0), models());
        assertThat(ownThreads(before)).as("the names this test looks for are the ones Tether uses")
                .contains("sqlite-write", "sqlite-checkpoint", "journal-flusher");

        tether.close();
        tether.close(); // a second close does nothing

        awaitNoOwnThreads(before);
    }

    @Test
    void aTakenPortStopsWhatStartedAndFreesTheDataDir() throws Exception {
        Path dir = Files.createTempDirectory("tether-port");
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            assertThatThrownBy(() -> Tether.start(config(dir, taken.getLocalPort()), models()))
                    .isInstanceOf(CannotStart.class)
                    .hasMessage("cannot listen on 127.0.0.1:" + taken.getLocalPort()
                            + ": address already in use (set TETHER_PORT to a free port)");
        }
        awaitNoOwnThreads(before);
        try (Tether again = Tether.start(config(dir, 0), models())) {
            assertThat(again.port()).isPositive();
        }
    }

    @Test
    void aSecondTetherInThisProcessIsRefusedAndTheFirstRunsOn() throws Exception {
        Path dir = Files.createTempDirectory("tether-twice");
        try (Tether first = Tether.start(config(dir, 0), models())) {
            assertThatThrownBy(() -> Tether.start(config(dir, 0), models()))
                    .isInstanceOf(DataDirLock.InUse.class)
                    .hasMessage("data dir " + dir.toRealPath() + " is in use by this process (PID "
                            + ProcessHandle.current().pid() + ") (another Tether running?)");
            assertThat(first.port()).isPositive();
        }
        try (Tether after = Tether.start(config(dir, 0), models())) {
            assertThat(after.port()).isPositive();
        }
    }

    private static TetherConfig config(Path dir, int port) {
        return new ConfigLoader(Map.of("TETHER_DATA_DIR", dir.toString(), "TETHER_PORT", String.valueOf(port))).load();
    }

    private static ModelCatalog models() {
        return ModelCatalog.from(new ConfigLoader(Map.of("TETHER_DATA_DIR", System.getProperty("java.io.tmpdir"),
                "TETHER_DEMO_TOKEN_MS", "0")).load());
    }

    /** Names of live threads that were not there {@code before} and belong to Tether's parts. */
    private static List<String> ownThreads(Set<Thread> before) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !before.contains(t) && t.isAlive())
                .map(Thread::getName)
                .filter(name -> OWN_THREADS.stream().anyMatch(name::startsWith))
                .sorted().toList();
    }

    static void awaitNoOwnThreads(Set<Thread> before) {
        Awaitility.await("Tether's threads to end").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .untilAsserted(() -> assertThat(ownThreads(before)).isEmpty());
    }
}
