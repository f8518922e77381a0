package dev.vrrp4j.core.router;

import dev.vrrp4j.core.packet.AddressFamily;
import dev.vrrp4j.core.packet.Advertisement;
import dev.vrrp4j.core.packet.ChecksumForm;
import dev.vrrp4j.core.packet.PacketDropReason;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

import static dev.vrrp4j.core.router.SimulatedLan.MS;
import static dev.vrrp4j.core.router.SimulatedLan.SECOND;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One router driven by hand: the actions it queues, its timers, its policy checks and its counters. */
class VirtualRouterTest {
    private static final InetAddress SELF = VirtualAddress.parseLiteral("192.0.2.1");
    private static final InetAddress PEER = VirtualAddress.parseLiteral("192.0.2.2");
    private static final long DOWN_100 = 3 * SECOND + 156 * SECOND / 256;

    private static RouterConfig.Builder builder(int priority) {
        return RouterConfig.builder("VI_1", AddressFamily.IPV4, 51).priority(priority)
                .virtualAddresses("192.0.2.100/24", "192.0.2.101/24");
    }

    private static List<Action> drain(VirtualRouter router) {
        List<Action> list = new ArrayList<>();
        Action action;
        while ((action = router.pollAction()) != null) {
            list.add(action);
        }
        return list;
    }

    private static Advertisement advert(int vrid, int priority, InetAddress source, String... addresses) {
        Advertisement advertisement = new Advertisement().set(AddressFamily.IPV4, vrid, priority, 100);
        List<InetAddress> list = addresses.length == 0
                ? List.of(VirtualAddress.parseLiteral("192.0.2.100"), VirtualAddress.parseLiteral("192.0.2.101"))
                : java.util.Arrays.stream(addresses).map(VirtualAddress::parseLiteral).toList();
        return advertisement.addresses(list).route(source.getAddress(), AddressFamily.IPV4.multicastGroup());
    }

    /** A router that has become Active by timeout at {@code DOWN_100}, its queue emptied. */
    private static VirtualRouter activeRouter() {
        VirtualRouter router = new VirtualRouter(builder(100).build(), SELF);
        router.handleStart(0);
        router.handleTimeout(DOWN_100);
        drain(router);
        return router;
    }

    @Test
    void startupQueuesOnlyTheTransitionToBackupAndArmsTheActiveDownTimer() {
        VirtualRouter router = new VirtualRouter(builder(100).build(), SELF);
        router.handleStart(5 * SECOND);
        assertThat(drain(router)).containsExactly(
                new Action.StateChanged(State.INITIALIZE, State.BACKUP, TransitionReason.STARTUP, 5 * SECOND));
        assertThat(router.nextDeadlineNanos()).isEqualTo(5 * SECOND + DOWN_100);
        assertThatThrownBy(() -> router.handleStart(6 * SECOND)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already started");
    }

    @Test
    void becomingActiveAdvertisesInstallsAndAnnouncesBeforeReportingTheChange() {
        VirtualRouter router = new VirtualRouter(builder(100).build(), SELF);
        router.handleStart(0);
        drain(router);
        router.handleTimeout(DOWN_100);
        assertThat(drain(router)).containsExactly(
                Action.SendAdvertisement.of(100),
                Action.AddVirtualAddresses.INSTANCE,
                Action.AnnounceAddresses.INSTANCE,
                new Action.StateChanged(State.BACKUP, State.ACTIVE, TransitionReason.ADVERT_TIMEOUT, DOWN_100));
        assertThat(router.nextDeadlineNanos()).isEqualTo(DOWN_100 + SECOND);
    }

    @Test
    void anEarlyTimeoutDoesNothing() {
        VirtualRouter router = new VirtualRouter(builder(100).build(), SELF);
        router.handleStart(0);
        drain(router);
        router.handleTimeout(DOWN_100 - 1);
        assertThat(drain(router)).isEmpty();
        assertThat(router.state()).isEqualTo(State.BACKUP);

        VirtualRouter active = activeRouter();
        active.handleTimeout(DOWN_100 + SECOND - 1);
        assertThat(drain(active)).isEmpty();
        active.handleTimeout(DOWN_100 + SECOND);
        assertThat(drain(active)).containsExactly(Action.SendAdvertisement.of(100));
    }

    @Test
    void anOlderTimeCountsAsTheLatestOneSeen() {
        // The driver stamps an advertisement with its arrival, which can be older than a timeout it
        // handled just before reading the packet.
        VirtualRouter router = new VirtualRouter(builder(100).build(), SELF);
        router.handleStart(0);
        drain(router);
        router.handleTimeout(DOWN_100);
        drain(router);
        router.handleAdvertisement(DOWN_100 - 2 * MS, advert(51, 200, PEER));
        assertThat(drain(router)).containsExactly(
                Action.RemoveVirtualAddresses.INSTANCE,
                new Action.StateChanged(State.ACTIVE, State.BACKUP, TransitionReason.HIGHER_PRIORITY, DOWN_100));
        assertThat(router.nextDeadlineNanos()).isEqualTo(DOWN_100 + DOWN_100);

        router.handleAdvertisement(DOWN_100 + 5 * MS, advert(51, 200, PEER));
        assertThat(router.nextDeadlineNanos()).as("a newer time moves the clock on")
                .isEqualTo(DOWN_100 + 5 * MS + DOWN_100);
    }

    @Test
    void shutdownOfTheActiveSendsPriorityZeroThenRemovesTheAddresses() {
        VirtualRouter router = activeRouter();
        router.handleShutdown(10 * SECOND);
        assertThat(drain(router)).containsExactly(
                Action.SendAdvertisement.of(0),
                Action.RemoveVirtualAddresses.INSTANCE,
                new Action.StateChanged(State.ACTIVE, State.INITIALIZE, TransitionReason.SHUTDOWN, 10 * SECOND));
        assertThat(router.hasDeadline()).isFalse();
        assertThat(router.counters().priorityZeroSent()).isEqualTo(1);
        router.handleShutdown(11 * SECOND);
        assertThat(drain(router)).isEmpty();
    }

    @Test
    void shutdownOfABackupSendsNothing() {
        VirtualRouter router = new VirtualRouter(builder(100).build(), SELF);
        router.handleStart(0);
        drain(router);
        router.handleShutdown(SECOND);
        assertThat(drain(router)).containsExactly(
                new Action.StateChanged(State.BACKUP, State.INITIALIZE, TransitionReason.SHUTDOWN, SECOND));
    }

    @Test
    void backupHearingPriorityZeroTakesOverAfterSkewTime() {
        VirtualRouter router = new VirtualRouter(builder(100).build(), SELF);
        router.handleStart(0);
        drain(router);
        router.handleAdvertisement(SECOND, advert(51, 0, PEER));
        assertThat(router.nextDeadlineNanos()).isEqualTo(SECOND + 156 * SECOND / 256);
        assertThat(router.counters().priorityZeroReceived()).isEqualTo(1);
    }

    @Test
    void activeHearingPriorityZeroAdvertisesAtOnce() {
        VirtualRouter router = activeRouter();
        router.handleAdvertisement(5 * SECOND, advert(51, 0, PEER));
        assertThat(drain(router)).containsExactly(Action.SendAdvertisement.of(100));
        assertThat(router.nextDeadlineNanos()).isEqualTo(6 * SECOND);
    }

    @Test
    void activeAnswersALowerPriorityAdvertImmediatelyAndKeepsItsState() {
        VirtualRouter router = activeRouter();
        router.handleAdvertisement(5 * SECOND, advert(51, 50, PEER));
        // The answer first, the re-announcement (keepalived's garp_lower_prio_repeat), then the report
        // of the split brain this advert reveals.
        assertThat(drain(router)).containsExactly(Action.SendAdvertisement.of(100),
                Action.AnnounceAfterLowerPriority.INSTANCE, new Action.SplitBrainDetected(SplitBrainKind.ADVERTISEMENT, PEER, 50, null, SELF, 100, false,
                        5 * SECOND));
        assertThat(router.state()).isEqualTo(State.ACTIVE);
        // Equal priority from a lower address: we win the tie and answer the same way.
        router.handleAdvertisement(6 * SECOND, advert(51, 100, VirtualAddress.parseLiteral("192.0.2.0")));
        assertThat(drain(router)).containsExactly(Action.SendAdvertisement.of(100),
                Action.AnnounceAfterLowerPriority.INSTANCE);
    }

    @Test
    void activeYieldsToEqualPriorityFromAHigherAddress() {
        VirtualRouter router = activeRouter();
        router.handleAdvertisement(5 * SECOND, advert(51, 100, PEER));
        assertThat(drain(router)).containsExactly(
                Action.RemoveVirtualAddresses.INSTANCE,
                new Action.StateChanged(State.ACTIVE, State.BACKUP, TransitionReason.HIGHER_PRIORITY, 5 * SECOND));
        assertThat(router.activeAddress()).isEqualTo(PEER);
        assertThat(router.nextDeadlineNanos()).isEqualTo(5 * SECOND + DOWN_100);
    }

    @Test
    void policyDropsAreCountedByReason() {
        VirtualRouter router = new VirtualRouter(builder(100).build(), SELF);
        router.handleAdvertisement(0, advert(51, 100, PEER));
        assertThat(router.counters().drops(PacketDropReason.NOT_RUNNING)).isEqualTo(1);

        router.handleStart(0);
        router.handleAdvertisement(0, advert(52, 100, PEER));
        assertThat(router.counters().drops(PacketDropReason.VRID_MISMATCH)).isEqualTo(1);

        Advertisement v6 = new Advertisement().set(AddressFamily.IPV6, 51, 100, 100)
                .addresses(List.of(VirtualAddress.parseLiteral("fe80::1")));
        router.handleAdvertisement(0, v6);
        assertThat(router.counters().drops(PacketDropReason.FAMILY_MISMATCH)).isEqualTo(1);
        assertThat(router.counters().advertsReceived()).isEqualTo(1); // only the one for our VRID and family

        VirtualRouter owner = new VirtualRouter(builder(255).build(), SELF);
        owner.handleStart(0);
        drain(owner);
        owner.handleAdvertisement(SECOND, advert(51, 255, PEER));
        assertThat(owner.counters().drops(PacketDropReason.LOCAL_OWNER)).isEqualTo(1);
        assertThat(owner.state()).isEqualTo(State.ACTIVE);
        // Dropped, not obeyed; only reported, since a second router claiming the owner's VRID is a split brain.
        assertThat(drain(owner)).singleElement().isInstanceOf(Action.SplitBrainDetected.class);
    }

    @Test
    void aDifferentAddressListIsCountedButNotDropped() {
        VirtualRouter router = new VirtualRouter(builder(100).build(), SELF);
        router.handleStart(0);
        drain(router);
        // Same set in another order: fine.
        router.handleAdvertisement(SECOND, advert(51, 200, PEER, "192.0.2.101", "192.0.2.100"));
        assertThat(router.counters().addressListMismatches()).isZero();
        router.handleAdvertisement(2 * SECOND, advert(51, 200, PEER, "192.0.2.100", "192.0.2.102"));
        assertThat(router.counters().addressListMismatches()).isEqualTo(1);
        // Still accepted: the Active_Down_Timer was restarted from this advert.
        assertThat(router.nextDeadlineNanos()).isEqualTo(2 * SECOND + DOWN_100);
        assertThat(router.counters().checksumForm(ChecksumForm.PSEUDO_HEADER)).isEqualTo(2);
    }

    @Test
    void faultLeavesActiveLikeAShutdownAndClearingItRejoinsAsBackup() {
        VirtualRouter router = activeRouter();
        router.handleFault(10 * SECOND);
        assertThat(drain(router)).containsExactly(
                Action.SendAdvertisement.of(0),
                Action.RemoveVirtualAddresses.INSTANCE,
                new Action.StateChanged(State.ACTIVE, State.FAULT, TransitionReason.FAULT, 10 * SECOND));
        assertThat(router.hasDeadline()).isFalse();
        router.handleAdvertisement(11 * SECOND, advert(51, 200, PEER));
        assertThat(router.counters().drops(PacketDropReason.NOT_RUNNING)).isEqualTo(1);

        router.handleFaultCleared(12 * SECOND);
        assertThat(drain(router)).containsExactly(
                new Action.StateChanged(State.FAULT, State.BACKUP, TransitionReason.FAULT_CLEARED, 12 * SECOND));
        assertThat(router.nextDeadlineNanos()).isEqualTo(12 * SECOND + DOWN_100);
    }

    @Test
    void aPriorityChangeIsAdvertisedFromTheNextAdvertisement() {
        VirtualRouter router = activeRouter();
        router.setPriority(DOWN_100 + 500 * MS, 50);
        assertThat(drain(router)).isEmpty();
        router.handleTimeout(DOWN_100 + SECOND);
        assertThat(drain(router)).containsExactly(Action.SendAdvertisement.of(50));
        assertThat(router.skewTimeNanos()).isEqualTo(206 * SECOND / 256);
    }

    @Test
    void aRaisedPriorityMakesABackupPreemptALowerActive() {
        VirtualRouter router = new VirtualRouter(builder(100).build(), SELF);
        router.handleStart(0);
        router.handleAdvertisement(SECOND, advert(51, 150, PEER));
        router.setPriority(SECOND + 1, 200);
        router.handleAdvertisement(2 * SECOND, advert(51, 150, PEER)); // now lower than ours: ignored
        assertThat(router.nextDeadlineNanos()).isEqualTo(SECOND + DOWN_100);
        router.handleTimeout(SECOND + DOWN_100);
        assertThat(router.state()).isEqualTo(State.ACTIVE);
        assertThat(drain(router)).last().isEqualTo(new Action.StateChanged(State.BACKUP, State.ACTIVE,
                TransitionReason.PREEMPT, SECOND + DOWN_100));
    }

    @Test
    void priorityChangesStayWithinOneTo254AndNeverTouchTheOwner() {
        VirtualRouter router = new VirtualRouter(builder(100).build(), SELF);
        assertThatThrownBy(() -> router.setPriority(0, 255)).hasMessage("priority 255 out of range 1..254");
        assertThatThrownBy(() -> router.setPriority(0, 0)).hasMessage("priority 0 out of range 1..254");
        VirtualRouter owner = new VirtualRouter(builder(255).build(), SELF);
        assertThatThrownBy(() -> owner.setPriority(0, 100)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("address owner");
    }

    @Test
    void thePrimaryAddressMustBeOfTheRoutersFamily() {
        assertThatThrownBy(() -> new VirtualRouter(builder(100).build(), VirtualAddress.parseLiteral("2001:db8::1")))
                .hasMessageContaining("2001:db8:0:0:0:0:0:1").hasMessageContaining("IPV4");
    }
}
