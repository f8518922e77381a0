package dev.vrrp4j.core.router;

import dev.vrrp4j.core.packet.AddressFamily;
import dev.vrrp4j.core.router.SimulatedLan.Host;
import dev.vrrp4j.core.router.SimulatedLan.Sent;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.vrrp4j.core.router.SimulatedLan.MS;
import static dev.vrrp4j.core.router.SimulatedLan.SECOND;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * RFC 9568 §6.4 scenarios on a simulated LAN, with the times the RFC's formulas give asserted to
 * the nanosecond. With Advertisement_Interval 1 s: priority 200 waits 3 + 56/256 s = 3.21875 s,
 * priority 100 waits 3 + 156/256 s = 3.609375 s (§6.1 Skew_Time and Active_Down_Interval).
 */
class VirtualRouterScenarioTest {
    private static final long DOWN_200 = 3 * SECOND + 56 * SECOND / 256;   // 3.21875 s
    private static final long DOWN_100 = 3 * SECOND + 156 * SECOND / 256;  // 3.609375 s
    private static final long SKEW_100 = 156 * SECOND / 256;               // 0.609375 s

    private final SimulatedLan lan = new SimulatedLan();

    private static RouterConfig config(int priority) {
        return RouterConfig.builder("VI_1", AddressFamily.IPV4, 51).priority(priority)
                .virtualAddresses("192.0.2.100/24").build();
    }

    private static RouterConfig.Builder builder(int priority) {
        return RouterConfig.builder("VI_1", AddressFamily.IPV4, 51).priority(priority)
                .virtualAddresses("192.0.2.100/24");
    }

    @Test
    void coldStartElectsTheHighestPriorityAtItsActiveDownInterval() {
        Host a = lan.add("A", "192.0.2.1", config(200));
        Host b = lan.add("B", "192.0.2.2", config(100));
        lan.startAll();
        lan.runUntil(20 * SECOND);

        assertThat(a.lastEntered(State.ACTIVE)).isEqualTo(DOWN_200);
        assertThat(b.everWas(State.ACTIVE)).isFalse();
        assertThat(lan.holders()).containsExactly(a);
        // Advertisements every second after taking over, all at priority 200.
        List<Sent> sent = lan.sentBy(a);
        assertThat(sent).hasSize(17);
        for (int i = 0; i < sent.size(); i++) {
            assertThat(sent.get(i).atNanos()).isEqualTo(DOWN_200 + i * SECOND);
            assertThat(sent.get(i).priority()).isEqualTo(200);
        }
        assertThat(lan.sentBy(b)).isEmpty();
        assertThat(b.router.activeAddress().getHostAddress()).isEqualTo("192.0.2.1");
        assertThat(b.router.counters().advertsReceived()).isEqualTo(17);
    }

    @Test
    void backupTakesOverExactlyAtActiveDownIntervalAfterTheLastAdvertWhenTheActiveDiesSilently() {
        Host a = lan.add("A", "192.0.2.1", config(200));
        Host b = lan.add("B", "192.0.2.2", config(100));
        lan.startAll();
        lan.runUntil(10_500 * MS);
        lan.kill(a);
        long lastAdvert = lan.sentBy(a).getLast().atNanos();
        lan.runUntil(30 * SECOND);

        assertThat(lastAdvert).isEqualTo(DOWN_200 + 7 * SECOND);
        assertThat(b.lastEntered(State.ACTIVE)).isEqualTo(lastAdvert + lan.latencyNanos() + DOWN_100);
        assertThat(b.transitions.getLast().reason()).isEqualTo(TransitionReason.ADVERT_TIMEOUT);
        assertThat(lan.sentBy(b).getFirst().atNanos()).isEqualTo(b.lastEntered(State.ACTIVE));
        assertThat(b.holdsAddresses).isTrue();
    }

    @Test
    void gracefulShutdownHandsOverAfterSkewTime() {
        Host a = lan.add("A", "192.0.2.1", config(200));
        Host b = lan.add("B", "192.0.2.2", config(100));
        lan.startAll();
        lan.runUntil(10_500 * MS);
        lan.shutdown(a);
        long stop = lan.now();
        lan.runUntil(20 * SECOND);

        Sent last = lan.sentBy(a).getLast();
        assertThat(last.priority()).isZero();
        assertThat(last.atNanos()).isEqualTo(stop);
        assertThat(a.holdsAddresses).isFalse();
        assertThat(a.transitions.getLast()).extracting(Action.StateChanged::to, Action.StateChanged::reason)
                .containsExactly(State.INITIALIZE, TransitionReason.SHUTDOWN);
        assertThat(b.lastEntered(State.ACTIVE)).isEqualTo(stop + lan.latencyNanos() + SKEW_100);
        assertThat(b.transitions.getLast().reason()).isEqualTo(TransitionReason.ACTIVE_LEFT);
        assertThat(b.router.counters().priorityZeroReceived()).isEqualTo(1);
        assertThat(lan.holders()).containsExactly(b);
    }

    @Test
    void higherPriorityRouterThatReturnsPreemptsAfterItsOwnActiveDownInterval() {
        Host a = lan.add("A", "192.0.2.1", config(200));
        Host b = lan.add("B", "192.0.2.2", config(100));
        lan.startAll();
        lan.runUntil(10 * SECOND);
        lan.kill(a);
        lan.runUntil(20 * SECOND);
        assertThat(lan.holders()).containsExactly(b);

        lan.restart(a);
        long restart = lan.now();
        lan.runUntil(40 * SECOND);

        // A ignores B's lower-priority adverts (preempt), so its startup timer simply runs out.
        assertThat(a.lastEntered(State.ACTIVE)).isEqualTo(restart + DOWN_200);
        assertThat(a.transitions.getLast().reason()).isEqualTo(TransitionReason.PREEMPT);
        assertThat(b.lastEntered(State.BACKUP)).isEqualTo(restart + DOWN_200 + lan.latencyNanos());
        assertThat(b.transitions.getLast().reason()).isEqualTo(TransitionReason.HIGHER_PRIORITY);
        assertThat(lan.holders()).containsExactly(a);
    }

    @Test
    void withoutPreemptionTheReturningHigherPriorityRouterStaysBackup() {
        Host a = lan.add("A", "192.0.2.1", builder(200).preempt(false).build());
        Host b = lan.add("B", "192.0.2.2", config(100));
        lan.startAll();
        lan.runUntil(10 * SECOND);
        lan.kill(a);
        lan.runUntil(20 * SECOND);
        lan.restart(a);
        lan.runUntil(120 * SECOND);

        assertThat(a.state()).isEqualTo(State.BACKUP);
        assertThat(a.transitions).extracting(Action.StateChanged::to)
                .containsExactly(State.BACKUP, State.ACTIVE, State.BACKUP); // before kill, then restart
        assertThat(lan.holders()).containsExactly(b);
        assertThat(a.router.activePriority()).isEqualTo(100);
    }

    @Test
    void preemptDelayToleratesALowerPriorityActiveForTheDelay() {
        long delay = 10 * SECOND;
        Host a = lan.add("A", "192.0.2.1", builder(200).preemptDelayMillis(delay / MS).build());
        Host b = lan.add("B", "192.0.2.2", config(100));
        lan.start(b);
        lan.runUntil(10 * SECOND);
        assertThat(lan.holders()).containsExactly(b);

        lan.start(a);
        long start = lan.now();
        lan.runUntil(60 * SECOND);

        // A accepts B's adverts while now < start + delay; the last one it accepted restarts its timer.
        long lastAccepted = lan.sentBy(b).stream().mapToLong(Sent::atNanos)
                .filter(t -> t + lan.latencyNanos() < start + delay).max().orElseThrow();
        assertThat(a.lastEntered(State.ACTIVE)).isEqualTo(lastAccepted + lan.latencyNanos() + DOWN_200);
        assertThat(a.lastEntered(State.ACTIVE)).isGreaterThan(start + delay);
        assertThat(lan.holders()).containsExactly(a);
    }

    @Test
    void equalPrioritiesAreBrokenByTheHigherAddressComparedUnsigned() {
        // 192.0.2.200 > 192.0.2.10 only when the last octet is compared unsigned (0xc8 vs 0x0a).
        Host low = lan.add("low", "192.0.2.10", config(100));
        Host high = lan.add("high", "192.0.2.200", config(100));
        lan.startAll();
        lan.runUntil(20 * SECOND);

        // Both timers run out together, both become Active, the adverts cross, the lower address yields.
        assertThat(high.lastEntered(State.ACTIVE)).isEqualTo(DOWN_100);
        assertThat(low.transitions).extracting(Action.StateChanged::to)
                .containsExactly(State.BACKUP, State.ACTIVE, State.BACKUP);
        assertThat(low.lastEntered(State.BACKUP)).isEqualTo(DOWN_100 + lan.latencyNanos());
        assertThat(high.transitions).extracting(Action.StateChanged::to).containsExactly(State.BACKUP, State.ACTIVE);
        assertThat(lan.holders()).containsExactly(high);
    }

    @Test
    void addressOwnerIsActiveAtOnceAndIgnoresAdvertisements() {
        Host owner = lan.add("owner", "192.0.2.100", config(255));
        Host b = lan.add("B", "192.0.2.2", config(100));
        lan.startAll();
        assertThat(owner.state()).isEqualTo(State.ACTIVE);
        assertThat(owner.transitions.getFirst().reason()).isEqualTo(TransitionReason.ADDRESS_OWNER);
        assertThat(owner.lastEntered(State.ACTIVE)).isZero();
        lan.runUntil(10 * SECOND);
        assertThat(b.everWas(State.ACTIVE)).isFalse();

        lan.shutdown(owner);
        long stop = lan.now();
        lan.runUntil(20 * SECOND);
        assertThat(b.lastEntered(State.ACTIVE)).isEqualTo(stop + lan.latencyNanos() + SKEW_100);

        lan.restart(owner);
        long restart = lan.now();
        lan.runUntil(30 * SECOND);
        assertThat(owner.lastEntered(State.ACTIVE)).isEqualTo(restart);
        assertThat(b.lastEntered(State.BACKUP)).isEqualTo(restart + lan.latencyNanos());
        assertThat(lan.holders()).containsExactly(owner);
    }

    @Test
    void backupLearnsTheActivesAdvertisementInterval() {
        Host a = lan.add("A", "192.0.2.1", builder(200).advertIntervalCentis(50).build());
        Host b = lan.add("B", "192.0.2.2", config(100)); // configured 1 s, learns 0.5 s
        lan.startAll();
        lan.runUntil(10 * SECOND);
        assertThat(b.router.activeAdverIntervalNanos()).isEqualTo(500 * MS);
        long learnedDown = 3 * 500 * MS + 156 * 500 * MS / 256;
        assertThat(b.router.activeDownIntervalNanos()).isEqualTo(learnedDown);

        lan.kill(a);
        long lastAdvert = lan.sentBy(a).getLast().atNanos();
        lan.runUntil(20 * SECOND);
        assertThat(b.lastEntered(State.ACTIVE)).isEqualTo(lastAdvert + lan.latencyNanos() + learnedDown);
        // Once Active, B advertises at its own configured interval.
        List<Sent> sent = lan.sentBy(b);
        assertThat(sent.get(1).atNanos() - sent.get(0).atNanos()).isEqualTo(SECOND);
    }

    @Test
    void activeAnswersALowerPriorityActiveAtOnce() {
        Host a = lan.add("A", "192.0.2.1", config(200));
        Host b = lan.add("B", "192.0.2.2", config(100));
        lan.partition(h -> h == b);
        lan.startAll();
        lan.runUntil(10 * SECOND);
        assertThat(lan.actives()).containsExactlyInAnyOrder(a, b); // split: both Active, as intended

        // Heal just after A's advert at 10.21875 s, so B's next advert (at 10.609375 s) reaches A first.
        lan.runUntil(10_300 * MS);
        lan.heal();
        lan.runUntil(11 * SECOND);

        long bAdvert = lan.sentBy(b).stream().mapToLong(Sent::atNanos).filter(t -> t > 10_300 * MS)
                .min().orElseThrow();
        assertThat(bAdvert).isEqualTo(DOWN_100 + 7 * SECOND);
        // A answers the moment B's advert arrives, off its own 1 s schedule; B yields on receipt.
        assertThat(lan.sentBy(a)).extracting(Sent::atNanos).contains(bAdvert + lan.latencyNanos());
        assertThat(b.lastEntered(State.BACKUP)).isEqualTo(bAdvert + 2 * lan.latencyNanos());
        assertThat(lan.holders()).containsExactly(a);
    }

    @Test
    void aPausedActiveStepsDownOrReclaimsWithoutFlapping() {
        // 100 ms interval so that a 1 s pause outlasts B's 360.9375 ms Active_Down_Interval.
        Host a = lan.add("A", "192.0.2.1", builder(200).advertIntervalCentis(10).build());
        Host b = lan.add("B", "192.0.2.2", builder(100).advertIntervalCentis(10).build());
        lan.startAll();
        lan.runUntil(5 * SECOND);
        lan.pause(a);
        long lastBeforePause = lan.sentBy(a).getLast().atNanos();
        lan.runFor(SECOND);
        long downB = 300 * MS + 156 * 100 * MS / 256;
        assertThat(b.lastEntered(State.ACTIVE)).isEqualTo(lastBeforePause + lan.latencyNanos() + downB);

        lan.resume(a);
        long resumed = lan.now();
        lan.runFor(10 * SECOND);

        // A (higher priority) read B's queued adverts first and answered, so B stepped down one
        // latency after the resume; nothing flapped afterwards.
        assertThat(b.lastEntered(State.BACKUP)).isEqualTo(resumed + lan.latencyNanos());
        assertThat(b.lastEntered(State.BACKUP) - resumed).isLessThanOrEqualTo(100 * MS);
        assertThat(a.transitions).extracting(Action.StateChanged::to).containsExactly(State.BACKUP, State.ACTIVE);
        assertThat(b.transitions).extracting(Action.StateChanged::to)
                .containsExactly(State.BACKUP, State.ACTIVE, State.BACKUP);
        assertThat(lan.holders()).containsExactly(a);
    }

    @Test
    void ofThreeRoutersTheNextHighestTakesOverAndTheLowestStaysBackup() {
        Host a = lan.add("A", "192.0.2.1", config(200));
        Host b = lan.add("B", "192.0.2.2", config(150));
        Host c = lan.add("C", "192.0.2.3", config(100));
        lan.startAll();
        lan.runUntil(10_500 * MS);
        lan.kill(a);
        long lastAdvert = lan.sentBy(a).getLast().atNanos();
        lan.runUntil(30 * SECOND);

        long down150 = 3 * SECOND + 106 * SECOND / 256;
        assertThat(b.lastEntered(State.ACTIVE)).isEqualTo(lastAdvert + lan.latencyNanos() + down150);
        assertThat(c.everWas(State.ACTIVE)).isFalse();
        assertThat(lan.holders()).containsExactly(b);
    }

    @Test
    void ipv6RoutersElectAndFailOverTheSameWay() {
        SimulatedLan lan6 = new SimulatedLan(AddressFamily.IPV6, 1);
        RouterConfig.Builder v6 = RouterConfig.builder("VI_6", AddressFamily.IPV6, 61)
                .virtualAddresses("fe80::61/64", "2001:db8::100/64");
        Host a = lan6.add("A", "fe80::1", v6.priority(200).build());
        Host b = lan6.add("B", "fe80::2", v6.priority(100).build());
        lan6.startAll();
        lan6.runUntil(10_500 * MS);
        assertThat(a.lastEntered(State.ACTIVE)).isEqualTo(DOWN_200);
        lan6.kill(a);
        long lastAdvert = lan6.sentBy(a).getLast().atNanos();
        lan6.runUntil(20 * SECOND);
        assertThat(b.lastEntered(State.ACTIVE)).isEqualTo(lastAdvert + lan6.latencyNanos() + DOWN_100);
        assertThat(lan6.holders()).containsExactly(b);
    }
}
