package dev.vrrp4j.core.router;

import dev.vrrp4j.core.packet.AddressFamily;
import dev.vrrp4j.core.router.SimulatedLan.Host;
import dev.vrrp4j.core.router.SimulatedLan.Sent;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;

import static dev.vrrp4j.core.router.SimulatedLan.MS;
import static dev.vrrp4j.core.router.SimulatedLan.SECOND;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Split-brain episodes (two Actives at once) on the simulated LAN: partitions that heal, a link
 * that fails in one direction, the handovers that must not count, and address conflicts reported
 * from ARP. With Advertisement_Interval 1 s, Active_Down_Interval is 3.21875 s at priority 200 and
 * 3.609375 s at priority 100 (RFC 9568 §6.1).
 */
class SplitBrainTest {
    private static final long DOWN_200 = 3 * SECOND + 56 * SECOND / 256;
    private static final long DOWN_100 = 3 * SECOND + 156 * SECOND / 256;
    private static final InetAddress ADDRESS_A = VirtualAddress.parseLiteral("192.0.2.1");
    private static final InetAddress ADDRESS_B = VirtualAddress.parseLiteral("192.0.2.2");
    private static final InetAddress VIP = VirtualAddress.parseLiteral("192.0.2.100");

    private final SimulatedLan lan = new SimulatedLan();
    private final Host a = lan.add("A", "192.0.2.1", config(200));
    private final Host b = lan.add("B", "192.0.2.2", config(100));

    private static RouterConfig config(int priority) {
        return RouterConfig.builder("VI_1", AddressFamily.IPV4, 51).priority(priority)
                .virtualAddresses("192.0.2.100/24").build();
    }

    private static long episodes(Host host, SplitBrainKind kind) {
        return host.router.counters().splitBrainEpisodes(kind);
    }

    /** A Active since 3.21875 s, B its Backup, run to 10 s; nobody has seen a split brain. */
    private void electedPair() {
        lan.startAll();
        lan.runUntil(10 * SECOND);
        assertThat(lan.actives()).containsExactly(a);
        assertThat(a.splitBrains).isEmpty();
        assertThat(b.splitBrains).isEmpty();
    }

    /** The next advertisement {@code host} sends after {@code afterNanos}, per its 1 s schedule. */
    private long nextAdvert(Host host, long afterNanos) {
        long last = lan.sentBy(host).getLast().atNanos();
        long next = last;
        while (next <= afterNanos) {
            next += SECOND;
        }
        return next;
    }

    @Test
    void aPartitionThatHealsWithTheLowerAdvertFirstIsOneEpisodeOnEachSide() {
        electedPair();
        lan.partition(h -> h == b);
        long cut = lan.now();
        lan.runUntil(20 * SECOND);
        assertThat(lan.actives()).containsExactlyInAnyOrder(a, b);
        assertThat(a.splitBrains).as("nothing crosses a partition").isEmpty();
        assertThat(b.splitBrains).isEmpty();

        // Heal just after A's advert, so B's next one reaches A first.
        long aAdvert = nextAdvert(a, lan.now());
        lan.runUntil(aAdvert + MS);
        lan.heal();
        long bAdvert = nextAdvert(b, lan.now());
        assertThat(bAdvert).isLessThan(nextAdvert(a, lan.now()));
        lan.runUntil(60 * SECOND);

        // A (200) keeps Active and answers at once; B (100), which took over from a silent A, yields.
        assertThat(a.splitBrains).containsExactly(new Action.SplitBrainDetected(SplitBrainKind.ADVERTISEMENT,
                ADDRESS_B, 100, null, ADDRESS_A, 200, false, bAdvert + lan.latencyNanos()));
        assertThat(b.splitBrains).containsExactly(new Action.SplitBrainDetected(SplitBrainKind.ADVERTISEMENT,
                ADDRESS_A, 200, null, ADDRESS_B, 100, true, bAdvert + 2 * lan.latencyNanos()));
        assertThat(b.transitions.getLast().reason()).isEqualTo(TransitionReason.HIGHER_PRIORITY);
        assertThat(b.lastEntered(State.ACTIVE)).isGreaterThan(cut);
        for (Host host : List.of(a, b)) {
            assertThat(episodes(host, SplitBrainKind.ADVERTISEMENT)).isEqualTo(1);
            assertThat(host.router.counters().splitBrainEvidence(SplitBrainKind.ADVERTISEMENT)).isEqualTo(1);
            assertThat(episodes(host, SplitBrainKind.ADDRESS_CONFLICT)).isZero();
            assertThat(host.router.splitBrainOngoing(lan.now())).isFalse();
        }
        assertThat(a.router.lastSplitBrain()).isEqualTo(a.splitBrains.getFirst());
        assertThat(lan.actives()).containsExactly(a);
    }

    @Test
    void aPartitionThatHealsWithTheHigherAdvertFirstIsReportedByTheRouterThatYields() {
        electedPair();
        lan.partition(h -> h == b);
        lan.runUntil(20 * SECOND);

        // Heal just after B's advert: A's next one reaches B first, B steps down and A never hears B.
        long bAdvert = nextAdvert(b, lan.now());
        lan.runUntil(bAdvert + MS);
        lan.heal();
        long aAdvert = nextAdvert(a, lan.now());
        lan.runUntil(60 * SECOND);

        assertThat(a.splitBrains).isEmpty();
        assertThat(b.splitBrains).containsExactly(new Action.SplitBrainDetected(SplitBrainKind.ADVERTISEMENT,
                ADDRESS_A, 200, null, ADDRESS_B, 100, true, aAdvert + lan.latencyNanos()));
        assertThat(lan.actives()).containsExactly(a);
    }

    @Test
    void aLinkDownOneWayIsOneEpisodePerFailureHoweverManyAdvertsItLasts() {
        electedPair();
        for (int failure = 1; failure <= 2; failure++) {
            // A's adverts stop reaching B for 20 s; B's still reach A. B takes over and stays Active, A
            // keeps answering: two Actives, and A hears the other one every second.
            lan.cut(a, b);
            long cutAt = lan.now();
            lan.runFor(20 * SECOND);
            assertThat(lan.actives()).containsExactlyInAnyOrder(a, b);
            assertThat(a.router.splitBrainOngoing(lan.now())).isTrue();
            assertThat(lan.sentBy(b).stream().filter(s -> s.atNanos() > cutAt).count()).isGreaterThan(10);
            lan.heal();
            lan.runFor(30 * SECOND);
            assertThat(lan.actives()).containsExactly(a);
            assertThat(a.router.splitBrainOngoing(lan.now())).isFalse();
            assertThat(episodes(a, SplitBrainKind.ADVERTISEMENT)).isEqualTo(failure);
            assertThat(episodes(b, SplitBrainKind.ADVERTISEMENT)).isEqualTo(failure);
        }
        assertThat(a.splitBrains).hasSize(2).allSatisfy(d -> {
            assertThat(d.otherAddress()).isEqualTo(ADDRESS_B);
            assertThat(d.yielding()).isFalse();
        });
        assertThat(b.splitBrains).hasSize(2).allSatisfy(d -> assertThat(d.yielding()).isTrue());
        // Every advert B sent (only ever as Active, A being Active all along) reached A and counted in an episode.
        long expectedEvidence = lan.sentBy(b).size();
        assertThat(a.router.counters().splitBrainEvidence(SplitBrainKind.ADVERTISEMENT)).isEqualTo(expectedEvidence);
    }

    @Test
    void normalOperationHasNoEpisode() {
        lan.lossProbability(0); // every advert arrives: loss is a real (brief) split brain
        electedPair();
        // Graceful stop and return: B takes over after Skew_Time, A preempts it when back.
        lan.shutdown(a);
        lan.runUntil(20 * SECOND);
        assertThat(lan.actives()).containsExactly(b);
        // Restart A so that its first advert as Active crosses one of B's on the wire: B sends 50 µs after
        // A became Active, before A's advert (100 µs latency) reaches it.
        long crossing = nextAdvert(b, lan.now() + 5 * SECOND);
        lan.runUntil(crossing - DOWN_200 - 50_000);
        lan.restart(a);
        lan.runUntil(crossing + SECOND);
        assertThat(a.lastEntered(State.ACTIVE)).isEqualTo(crossing - 50_000);
        assertThat(a.transitions.getLast().reason()).isEqualTo(TransitionReason.PREEMPT);
        assertThat(lan.sentBy(b)).extracting(Sent::atNanos).contains(crossing);
        assertThat(b.lastEntered(State.BACKUP)).isEqualTo(crossing - 50_000 + lan.latencyNanos());
        // And a fresh start that preempts a router that never heard it.
        Host c = lan.add("C", "192.0.2.3", config(250));
        lan.start(c);
        lan.runUntil(60 * SECOND);
        assertThat(lan.actives()).containsExactly(c);

        for (Host host : List.of(a, b, c)) {
            assertThat(host.splitBrains).as(host.name).isEmpty();
            assertThat(episodes(host, SplitBrainKind.ADVERTISEMENT)).isZero();
        }
        assertThat(a.router.counters().advertsReceived()).isPositive();
    }

    @Test
    void aCrashedRouterThatReturnsAndPreemptsIsReportedByTheRouterThatTookOver() {
        // From B's side, "A fell silent, then claimed Active again" is the same whether A crashed and
        // restarted or sat behind a partition: RFC 9568 carries nothing that tells them apart.
        electedPair();
        lan.kill(a);
        lan.runUntil(20 * SECOND);
        lan.restart(a);
        lan.runUntil(40 * SECOND);
        assertThat(lan.actives()).containsExactly(a);
        assertThat(b.splitBrains).singleElement().satisfies(d -> assertThat(d.yielding()).isTrue());
        assertThat(a.splitBrains).isEmpty();
    }

    @Test
    void anAddressOwnerCountsTheOtherActiveWithoutYielding() {
        Host owner = lan.add("owner", "192.0.2.100", config(255));
        lan.partition(h -> h == owner);
        lan.startAll();
        lan.runUntil(10 * SECOND);
        lan.heal();
        lan.runUntil(20 * SECOND);
        assertThat(lan.actives()).containsExactly(owner);
        assertThat(owner.splitBrains).singleElement().satisfies(d -> {
            assertThat(d.otherAddress()).isEqualTo(ADDRESS_A);
            assertThat(d.yielding()).isFalse();
            assertThat(d.ourPriority()).isEqualTo(255);
        });
    }

    // ------------------------------------------------------------------ address conflicts (ARP)

    private static final long OTHER_MAC = 0x02_00_00_00_00_0bL;

    private VirtualRouter activeAlone() {
        VirtualRouter router = new VirtualRouter(config(100), ADDRESS_B);
        router.handleStart(0);
        router.handleTimeout(DOWN_100);
        while (router.pollAction() != null) {
            // the entry actions
        }
        return router;
    }

    @Test
    void anArpPacketForOurAddressFromAnotherMacIsOneEpisodeUntilQuietForActiveDownInterval() {
        VirtualRouter router = activeAlone();
        byte[] vip = VIP.getAddress();
        long t0 = 5 * SECOND;
        router.handleAddressConflict(t0, vip, OTHER_MAC);
        assertThat(router.pollAction()).isEqualTo(new Action.SplitBrainDetected(SplitBrainKind.ADDRESS_CONFLICT, VIP,
                0, "02:00:00:00:00:0b", ADDRESS_B, 100, false, t0));
        assertThat(router.state()).isEqualTo(State.ACTIVE); // VRRP does not resolve it: we keep the address
        // A burst of gratuitous ARPs, and one more just inside Active_Down_Interval: the same episode.
        router.handleAddressConflict(t0 + 1, vip, OTHER_MAC);
        router.handleAddressConflict(t0 + 2, vip, OTHER_MAC);
        router.handleAddressConflict(t0 + 2 + DOWN_100 - 1, vip, OTHER_MAC);
        assertThat(router.pollAction()).isNull();
        assertThat(router.splitBrainOngoing(t0 + 2 + DOWN_100)).isTrue();
        long lastEvidence = t0 + 2 + DOWN_100 - 1;
        assertThat(router.splitBrainOngoing(lastEvidence + DOWN_100)).isFalse();
        // Quiet for Active_Down_Interval: the next one is a new episode.
        router.handleAddressConflict(lastEvidence + DOWN_100, vip, OTHER_MAC);
        assertThat(router.pollAction()).isInstanceOf(Action.SplitBrainDetected.class);
        RouterCounters counters = router.counters();
        assertThat(counters.splitBrainEpisodes(SplitBrainKind.ADDRESS_CONFLICT)).isEqualTo(2);
        assertThat(counters.splitBrainEvidence(SplitBrainKind.ADDRESS_CONFLICT)).isEqualTo(5);
        assertThat(counters.splitBrainEpisodes(SplitBrainKind.ADVERTISEMENT)).isZero();
    }

    @Test
    void arpForOtherAddressesOrWhileNotActiveIsNoConflict() {
        VirtualRouter router = activeAlone();
        router.handleAddressConflict(5 * SECOND, VirtualAddress.parseLiteral("192.0.2.101").getAddress(), OTHER_MAC);
        assertThat(router.pollAction()).isNull();

        VirtualRouter backup = new VirtualRouter(config(100), ADDRESS_B);
        backup.handleStart(0);
        backup.pollAction();
        backup.handleAddressConflict(SECOND, VIP.getAddress(), OTHER_MAC);
        assertThat(backup.pollAction()).isNull();
        assertThat(backup.counters().splitBrainEvidence(SplitBrainKind.ADDRESS_CONFLICT)).isZero();
    }

    @Test
    void leavingActiveEndsTheEpisode() {
        VirtualRouter router = activeAlone();
        router.handleAddressConflict(5 * SECOND, VIP.getAddress(), OTHER_MAC);
        router.handleShutdown(5 * SECOND + 1);
        router.handleStart(6 * SECOND);
        router.handleTimeout(6 * SECOND + DOWN_100);
        assertThat(router.splitBrainOngoing(6 * SECOND + DOWN_100)).isFalse();
        router.handleAddressConflict(6 * SECOND + DOWN_100 + 1, VIP.getAddress(), OTHER_MAC);
        assertThat(router.counters().splitBrainEpisodes(SplitBrainKind.ADDRESS_CONFLICT)).isEqualTo(2);
    }
}
