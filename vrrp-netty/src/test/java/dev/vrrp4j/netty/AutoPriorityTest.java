package dev.vrrp4j.netty;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** keepalived's max_auto_priority: the raise steps, driven by hand with a recording scheduler. */
class AutoPriorityTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void eachLateWakeUpRaisesByOneFromRealtimeOneUpToTheMaximum() {
        List<Integer> set = new ArrayList<>();
        AutoPriority.Raiser raiser = new AutoPriority.Raiser(AutoPriority.upTo(3, Duration.ofSeconds(1)),
                EventLoopPriority.INHERIT, set::add);

        raiser.onLate(SECOND / 2); // not late enough
        assertThat(set).isEmpty();
        for (int i = 0; i < 5; i++) {
            raiser.onLate(2 * SECOND);
        }
        assertThat(set).containsExactly(1, 2, 3);
        assertThat(raiser.current()).isEqualTo(3);
    }

    @Test
    void aConfiguredRealtimePriorityIsWhereItStartsFrom() {
        List<Integer> set = new ArrayList<>();
        AutoPriority.Raiser raiser = new AutoPriority.Raiser(AutoPriority.upTo(12, Duration.ofMillis(5)),
                EventLoopPriority.realtime(10), set::add);
        raiser.onLate(10_000_000L);
        raiser.onLate(10_000_000L);
        raiser.onLate(10_000_000L);
        assertThat(set).containsExactly(11, 12);

        List<Integer> above = new ArrayList<>();
        new AutoPriority.Raiser(AutoPriority.upTo(5, Duration.ofMillis(5)), EventLoopPriority.realtime(20), above::add)
                .onLate(SECOND);
        assertThat(above).as("already above the maximum: nothing to raise").isEmpty();
    }

    @Test
    void aRefusalStopsTheRaises() {
        List<Integer> tried = new ArrayList<>();
        AutoPriority.Raiser raiser = new AutoPriority.Raiser(AutoPriority.upTo(99, Duration.ofMillis(1)),
                EventLoopPriority.INHERIT, priority -> {
                    tried.add(priority);
                    throw new IllegalStateException("sched_setscheduler(SCHED_RR, " + priority + ") failed: EPERM");
                });
        raiser.onLate(SECOND);
        raiser.onLate(SECOND);
        assertThat(tried).containsExactly(1);
        assertThat(raiser.current()).isZero();
    }

    @Test
    void outOfRangeSettingsNameTheFieldAndTheRange() {
        assertThatThrownBy(() -> new AutoPriority(100, Duration.ofSeconds(1)))
                .hasMessage("autoPriority.maxRealtimePriority: 100 is out of range 0..99");
        assertThatThrownBy(() -> AutoPriority.upTo(10, Duration.ofSeconds(11)))
                .hasMessage("autoPriority.minDelay: 11000000 µs is out of range 1..10000000 µs");
        assertThatThrownBy(() -> AutoPriority.upTo(0, Duration.ofSeconds(1)))
                .hasMessage("autoPriority.maxRealtimePriority: 0 raises nothing; use AutoPriority.OFF");
    }
}
