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

    @Test
    void storesAreSqliteUnlessAskedAndAnUnknownOneIsRefused() {
        assertThat(BenchOptions.parse().stores()).containsExactly("sqlite");
        assertThat(BenchOptions.parse("--store", "sqlite,postgresql").stores()).containsExactly("sqlite", "postgresql");
        assertThatThrownBy(() -> BenchOptions.parse("--store", "mysql"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unknown store 'mysql'");
    }
}
