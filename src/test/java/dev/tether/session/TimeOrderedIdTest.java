package dev.tether.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class TimeOrderedIdTest {

    @Test
    void isAVersion7UuidCarryingItsMillisecond() {
        long at = 1_764_000_000_123L;
        UUID id = UUID.fromString(TimeOrderedId.next(at));

        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(at);
    }

    @Test
    void laterMillisecondsSortLaterAsText() {
        for (int i = 0; i < 10_000; i++) {
            long at = 1_700_000_000_000L + i * 7L;
            assertThat(TimeOrderedId.next(at)).isLessThan(TimeOrderedId.next(at + 1));
        }
    }

    @Test
    void idsOfOneMillisecondStillDiffer() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            assertThat(seen.add(TimeOrderedId.next(1_764_000_000_000L))).isTrue();
        }
    }
}
