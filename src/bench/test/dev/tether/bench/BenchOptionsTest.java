package dev.tether.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BenchOptionsTest {
    @Test
    void anUnknownScenarioIsRefusedBeforeAnythingStarts() {
        assertThatThrownBy(() -> BenchOptions.parse("--scenario", "burst,durability"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unknown scenario 'durability'");
    }

    @Test
    void allIsEveryScenario() {
        assertThat(BenchOptions.parse().scenarios()).isEqualTo(BenchOptions.SCENARIOS).contains("flood", "floor", "wire");
    }
}
