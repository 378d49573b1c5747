package dev.tether;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PartsTest {
    final List<String> stopped = new ArrayList<>();
    final Parts parts = new Parts();

    @Test
    void aFailedStartStopsWhatStartedLastFirstEachOnceEvenPastAFailingStop() {
        parts.started("lock", (AutoCloseable) () -> stopped.add("lock"));
        parts.onStop("turns", () -> {
            stopped.add("turns");
            throw new IllegalStateException("turns did not end");
        });
        parts.started("web", (AutoCloseable) () -> stopped.add("web"));

        RuntimeException failure = parts.unwind(new IllegalStateException("port taken"));
        parts.stopAll();

        assertThat(stopped).containsExactly("web", "turns", "lock");
        assertThat(failure).hasMessage("port taken");
        assertThat(failure.getSuppressed()).singleElement().extracting(Throwable::getMessage).isEqualTo("turns did not end");
    }

    @Test
    void stopAllStopsInReverseOrderOnce() {
        parts.started("database", (AutoCloseable) () -> stopped.add("database"));
        parts.started("journal", (AutoCloseable) () -> stopped.add("journal"));

        parts.stopAll();
        parts.stopAll();

        assertThat(stopped).containsExactly("journal", "database");
    }
}
