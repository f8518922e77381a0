package dev.vrrp4j.core.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code max_auto_priority} and {@code min_auto_priority_delay} (global_defs), with keepalived's ranges. */
class AutoPriorityConfigTest {
    private static final String INSTANCE = Resources.ONE_INSTANCE;

    private static GlobalDefs globals(String lines) throws ConfigException {
        return Resources.parse("global_defs {\n" + lines + "\n}\n" + INSTANCE).globals();
    }

    @Test
    void offByDefaultTheMaximumWithoutAValueAndMinusOneIsOff() throws Exception {
        assertThat(globals("").maxAutoPriority()).isZero();
        assertThat(globals("").minAutoPriorityDelay()).isEqualTo(Duration.ofSeconds(1));
        assertThat(globals("    max_auto_priority").maxAutoPriority()).isEqualTo(99);
        assertThat(globals("    max_auto_priority 20").maxAutoPriority()).isEqualTo(20);
        assertThat(globals("    max_auto_priority -1").maxAutoPriority()).isZero();
        assertThat(globals("    max_auto_priority 20\n    min_auto_priority_delay 250000").minAutoPriorityDelay())
                .isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void outOfRangeValuesAreErrorsNamingTheRange() {
        ConfigException priority = Resources.refuse("global_defs {\n    max_auto_priority 100\n}\n" + INSTANCE);
        assertThat(priority.errors()).extracting(e -> e.where().line() + " " + e.message())
                .containsExactly("2 max_auto_priority 100 out of range -1..99");
        ConfigException delay = Resources.refuse("global_defs {\n    min_auto_priority_delay 20000000\n}\n" + INSTANCE);
        assertThat(delay.errors()).extracting(e -> e.where().line() + " " + e.message())
                .containsExactly("2 min_auto_priority_delay 20000000 out of range 1..10000000");
    }
}
