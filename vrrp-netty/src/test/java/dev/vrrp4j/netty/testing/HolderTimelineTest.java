package dev.vrrp4j.netty.testing;

import dev.vrrp4j.netty.testing.HolderTimeline.Change;
import dev.vrrp4j.netty.testing.HolderTimeline.Interval;
import dev.vrrp4j.netty.testing.HolderTimeline.Kind;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The arithmetic the chaos suite's "zero holders" and "two holders" intervals rest on. */
class HolderTimelineTest {
    private static Change address(double at, int host, boolean on) {
        return new Change(at, host, Kind.ADDRESS, on);
    }

    private static Change service(double at, int host, boolean on) {
        return new Change(at, host, Kind.SERVICE, on);
    }

    @Test
    void aTakeoverAfterAKillIsAnIntervalWithoutHolderFromTheKillToTheNewAddress() {
        HolderTimeline timeline = new HolderTimeline(3, List.of(
                address(10.0, 0, true),
                service(11.0, 0, false), // kill -9: the address stays on the interface
                address(11.361, 1, true)));
        Interval none = timeline.longestWithNone(10.5, 12);
        assertThat(none.fromEpochSeconds()).isEqualTo(11.0);
        assertThat(none.millis()).isCloseTo(361, within(1e-6));
        assertThat(timeline.longestWithSeveral(10.5, 12)).isNull();
        assertThat(timeline.holdersAt(11.2)).isZero();
        assertThat(timeline.holdersAt(11.5)).isOne();
    }

    @Test
    void aPreemptionIsAnIntervalWithTwoHoldersUntilTheOldActiveDropsTheAddress() {
        HolderTimeline timeline = new HolderTimeline(2, List.of(
                address(5.0, 1, true), address(12.0, 0, true), address(12.004, 1, false), address(20.0, 1, true), address(20.002, 0, false)));
        List<Interval> two = timeline.intervals(11, 21, n -> n >= 2);
        assertThat(two).hasSize(2);
        assertThat(two.get(0).millis()).isCloseTo(4, within(1e-6));
        assertThat(two.get(1).millis()).isCloseTo(2, within(1e-6));
        assertThat(two.get(0).holders()).isEqualTo(2);
        assertThat(timeline.longestWithNone(11.5, 21)).isNull();
    }

    @Test
    void intervalsAreClippedToTheWindowAndChangesInTheSameInstantCountAsOne() {
        HolderTimeline timeline = new HolderTimeline(3, List.of(
                address(1.0, 0, true), address(1.0, 1, true), address(1.0, 2, true), // three Actives
                address(5.0, 0, false), address(5.0, 1, false)));
        Interval several = timeline.longestWithSeveral(4.9, 10);
        assertThat(several.fromEpochSeconds()).isEqualTo(4.9);
        assertThat(several.millis()).isCloseTo(100, within(1e-6));
        assertThat(several.holders()).isEqualTo(3);
        // The swap at 7.0 happens in one instant: no gap, no overlap.
        HolderTimeline swap = new HolderTimeline(2, List.of(address(1, 0, true), address(7, 0, false), address(7, 1, true)));
        assertThat(swap.intervals(0.5, 9, n -> n != 1)).extracting(Interval::fromEpochSeconds).containsExactly(0.5);
    }

    @Test
    void aHostBackInServiceWithItsAddressCountsAgain() {
        HolderTimeline timeline = new HolderTimeline(2, List.of(
                address(1, 0, true), service(2, 0, false), address(2.3, 1, true), service(3, 0, true)));
        assertThat(timeline.longestWithSeveral(0, 4).fromEpochSeconds()).isEqualTo(3.0);
        assertThat(HolderTimeline.millis(timeline.longestWithSeveral(0, 4))).isCloseTo(1000, within(1e-6));
    }
}
