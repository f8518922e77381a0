package dev.vrrp4j.core.health;

import dev.vrrp4j.core.health.TrackedPriority.Tracked;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** keepalived's track_script arithmetic and rise/fall counting. */
class TrackedPriorityTest {

    private static CheckState check(String name, int rise, int fall, boolean healthy) {
        return new CheckState(name, new CheckPolicy(rise, fall, 0), healthy);
    }

    @Test
    void aCheckChangesStatusOnlyAfterFallFailuresOrRiseSuccessesInARow() {
        CheckState nginx = check("nginx", 2, 3, true);
        assertThat(nginx.record(false)).isFalse();
        assertThat(nginx.record(false)).isFalse();
        assertThat(nginx.record(true)).isFalse(); // the run of failures is broken
        assertThat(nginx.record(false)).isFalse();
        assertThat(nginx.record(false)).isFalse();
        assertThat(nginx.healthy()).isTrue();
        assertThat(nginx.record(false)).isTrue();
        assertThat(nginx.healthy()).isFalse();
        assertThat(nginx.record(false)).isFalse(); // already failing: no change to report

        assertThat(nginx.record(true)).isFalse();
        assertThat(nginx.record(false)).isFalse();
        assertThat(nginx.record(true)).isFalse();
        assertThat(nginx.record(true)).isTrue();
        assertThat(nginx.healthy()).isTrue();
    }

    @Test
    void aFlappingCheckNeverChangesStatusWhenRiseAndFallAreAboveOne() {
        CheckState flapping = check("flapping", 2, 2, true);
        int changes = 0;
        for (int i = 0; i < 100; i++) {
            changes += flapping.record(i % 2 == 0) ? 1 : 0;
        }
        assertThat(changes).isZero();
    }

    @Test
    void weightsAddWhileHealthyAndSubtractWhileFailing() {
        CheckState up = check("up", 1, 1, true);
        CheckState down = check("down", 1, 1, true);
        List<Tracked> tracked = List.of(new Tracked(up, 20), new Tracked(down, -30));
        assertThat(TrackedPriority.effectivePriority(100, tracked)).isEqualTo(120);
        down.record(false);
        assertThat(TrackedPriority.effectivePriority(100, tracked)).isEqualTo(90);
        up.record(false);
        assertThat(TrackedPriority.effectivePriority(100, tracked)).isEqualTo(70);
        assertThat(TrackedPriority.faulted(tracked)).isFalse();
    }

    @Test
    void thePriorityStaysWithinOneTo254AndTheOwnerKeeps255() {
        CheckState up = check("up", 1, 1, true);
        CheckState down = check("down", 1, 1, false);
        assertThat(TrackedPriority.effectivePriority(250, List.of(new Tracked(up, 50)))).isEqualTo(254);
        assertThat(TrackedPriority.effectivePriority(20, List.of(new Tracked(down, -50)))).isEqualTo(1);
        assertThat(TrackedPriority.effectivePriority(255, List.of(new Tracked(down, -50)))).isEqualTo(255);
    }

    @Test
    void aFailingZeroWeightCheckMeansFault() {
        CheckState required = check("required", 1, 2, true);
        List<Tracked> tracked = List.of(new Tracked(required, 0));
        required.record(false);
        assertThat(TrackedPriority.faulted(tracked)).isFalse();
        required.record(false);
        assertThat(TrackedPriority.faulted(tracked)).isTrue();
        assertThat(TrackedPriority.effectivePriority(100, tracked)).isEqualTo(100);
    }

    @Test
    void policiesNameTheFieldValueAndRange() {
        assertThatThrownBy(() -> new CheckPolicy(0, 1, 0)).hasMessage("rise 0 out of range 1..1000");
        assertThatThrownBy(() -> new CheckPolicy(1, 1001, 0)).hasMessage("fall 1001 out of range 1..1000");
        assertThatThrownBy(() -> new CheckPolicy(1, 1, 254)).hasMessage("weight 254 out of range -253..253");
    }
}
