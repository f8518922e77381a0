package dev.vrrp4j.core.node;

import dev.vrrp4j.core.node.NodeLan.Host;
import dev.vrrp4j.core.packet.AddressFamily;
import dev.vrrp4j.core.packet.Advertisement;
import dev.vrrp4j.core.packet.PacketDropReason;
import dev.vrrp4j.core.router.State;
import dev.vrrp4j.core.router.TransitionReason;
import dev.vrrp4j.core.router.VirtualAddress;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

import static dev.vrrp4j.core.node.NodeLan.SECOND;
import static dev.vrrp4j.core.node.NodeLan.ipv4;
import static dev.vrrp4j.core.node.NodeLan.spec;
import static org.assertj.core.api.Assertions.assertThat;

/** The node layer on the simulated LAN: demux, drops, the peer filter, tracking and sync groups. */
class NodeTest {
    private final NodeLan lan = new NodeLan();

    @Test
    void severalRoutersPerNodeEachElectTheirOwnActive() {
        Host a = lan.add("a", spec(ipv4("VI_1", 1, 200, "192.0.2.101/24"), "eth0", "192.0.2.1"),
                spec(ipv4("VI_2", 2, 100, "192.0.2.102/24"), "eth0", "192.0.2.1"));
        Host b = lan.add("b", spec(ipv4("VI_1", 1, 100, "192.0.2.101/24"), "eth0", "192.0.2.2"),
                spec(ipv4("VI_2", 2, 200, "192.0.2.102/24"), "eth0", "192.0.2.2"));
        lan.startAll();
        lan.runFor(10 * SECOND);

        assertThat(lan.holders("VI_1")).containsExactly(a);
        assertThat(lan.holders("VI_2")).containsExactly(b);
        // Each Backup heard its Active every second since the election (~3.6 s): each advertisement
        // reached the router its VRID names.
        assertThat(b.router("VI_1").counters().advertsReceived()).isGreaterThanOrEqualTo(6);
        assertThat(a.router("VI_2").counters().advertsReceived()).isGreaterThanOrEqualTo(6);
        assertThat(a.node.unattributedDrops()).isEmpty();
        assertThat(b.node.unattributedDrops()).isEmpty();
    }

    @Test
    void sameVridOnTwoInterfacesIsTwoRouters() {
        Host a = lan.add("a", spec(ipv4("VI_1", 51, 200, "192.0.2.101/24"), "eth0", "192.0.2.1"),
                spec(ipv4("VI_2", 51, 100, "198.51.100.101/24"), "eth1", "198.51.100.1"));
        Host b = lan.add("b", spec(ipv4("VI_1", 51, 100, "192.0.2.101/24"), "eth0", "192.0.2.2"),
                spec(ipv4("VI_2", 51, 200, "198.51.100.101/24"), "eth1", "198.51.100.2"));
        lan.startAll();
        lan.runFor(10 * SECOND);

        assertThat(lan.holders("VI_1")).containsExactly(a);
        assertThat(lan.holders("VI_2")).containsExactly(b);
    }

    @Test
    void unknownVridIsCountedForTheNodeAndChangesNothing() {
        Host a = lan.add("a", spec(ipv4("VI_1", 1, 100, "192.0.2.101/24"), "eth0", "192.0.2.1"));
        lan.startAll();
        lan.runFor(SECOND);
        lan.inject(a, "eth0", advert("192.0.2.9", 99, 255));
        lan.inject(a, "eth0", advert("192.0.2.9", 99, 255));
        lan.runFor(5 * SECOND);

        assertThat(a.node.unattributedDrops()).isEqualTo(Map.of(PacketDropReason.VRID_MISMATCH, 2L));
        assertThat(a.router("VI_1").counters().dropsByReason()).isEmpty();
        assertThat(a.state("VI_1")).isEqualTo(State.ACTIVE); // alone on the LAN, it took over
    }

    @Test
    void malformedPacketIsCountedForTheRouterItsVridNames() {
        Host a = lan.add("a", spec(ipv4("VI_1", 1, 100, "192.0.2.101/24"), "eth0", "192.0.2.1"));
        lan.startAll();
        ByteBuffer corrupt = advert("192.0.2.9", 1, 255);
        corrupt.put(20 + 6, (byte) (corrupt.get(20 + 6) ^ 0x01)); // flip a bit of the VRRP checksum
        lan.inject(a, "eth0", corrupt);
        ByteBuffer twoBytes = ByteBuffer.wrap(NodeLan.ipv4Packet(address("192.0.2.9"), new byte[] {0x31, 7}, 0, 2));
        lan.inject(a, "eth0", twoBytes); // names VRID 7, which nobody runs
        lan.runFor(5 * SECOND);

        assertThat(a.router("VI_1").counters().drops(PacketDropReason.BAD_CHECKSUM)).isEqualTo(1);
        assertThat(a.node.unattributedDrops()).isEqualTo(Map.of(PacketDropReason.TRUNCATED, 1L));
        assertThat(a.state("VI_1")).as("a forged priority 255 was dropped, not obeyed").isEqualTo(State.ACTIVE);
    }

    @Test
    void ownLoopedBackAdvertisementIsIgnored() {
        Host a = lan.add("a", spec(ipv4("VI_1", 1, 100, "192.0.2.101/24"), "eth0", "192.0.2.1"));
        lan.startAll();
        lan.runFor(5 * SECOND);
        assertThat(a.state("VI_1")).isEqualTo(State.ACTIVE);
        long received = a.router("VI_1").counters().advertsReceived();

        lan.inject(a, "eth0", advert("192.0.2.1", 1, 100)); // what the kernel loops back to the sender
        lan.runFor(SECOND);

        assertThat(a.router("VI_1").counters().advertsReceived()).isEqualTo(received);
        assertThat(a.router("VI_1").counters().dropsByReason()).isEmpty();
        assertThat(a.node.unattributedDrops()).isEmpty();
        assertThat(a.splitBrains).isEmpty();
    }

    @Test
    void unicastRouterDropsAdvertisementsFromStrangers() {
        Host a = lan.add("a", NodeLan.withPeers(spec(ipv4("VI_1", 1, 100, "192.0.2.101/24"), "eth0", "192.0.2.1"),
                "192.0.2.2"));
        lan.add("b", NodeLan.withPeers(spec(ipv4("VI_1", 1, 50, "192.0.2.101/24"), "eth0", "192.0.2.2"),
                "192.0.2.1"));
        lan.startAll();
        lan.runFor(5 * SECOND);
        assertThat(lan.holders("VI_1")).containsExactly(a);

        for (int i = 0; i < 5; i++) {
            lan.inject(a, "eth0", advert("192.0.2.3", 1, 254)); // would make a step down if obeyed
            lan.runFor(SECOND);
        }

        assertThat(a.router("VI_1").counters().drops(PacketDropReason.UNKNOWN_PEER)).isEqualTo(5);
        assertThat(lan.holders("VI_1")).containsExactly(a);
        assertThat(a.transitions("VI_1")).extracting(t -> t.to()).containsExactly(State.BACKUP, State.ACTIVE);
    }

    @Test
    void syncGroupFaultsTogetherAndReportsOnce() {
        NodeConfig configA = new NodeConfig(List.of(
                spec(ipv4("VI_OUT", 1, 200, "192.0.2.101/24"), "eth0", "192.0.2.1"),
                spec(ipv4("VI_IN", 2, 200, "198.51.100.101/24"), "eth1", "198.51.100.1")),
                List.of(new SyncGroupSpec("VG_1", List.of("VI_OUT", "VI_IN"))));
        NodeConfig configB = new NodeConfig(List.of(
                spec(ipv4("VI_OUT", 1, 100, "192.0.2.101/24"), "eth0", "192.0.2.2"),
                spec(ipv4("VI_IN", 2, 100, "198.51.100.101/24"), "eth1", "198.51.100.2")),
                List.of(new SyncGroupSpec("VG_1", List.of("VI_OUT", "VI_IN"))));
        Host a = lan.add("a", configA);
        Host b = lan.add("b", configB);
        lan.startAll();
        lan.runFor(10 * SECOND);
        assertThat(lan.holders("VI_OUT")).containsExactly(a);
        assertThat(lan.holders("VI_IN")).containsExactly(a);
        assertThat(a.groupEvents).extracting(NodeEffect.GroupChanged::to).containsExactly(State.BACKUP, State.ACTIVE);

        lan.linkDown(a, "eth1"); // only the inside link fails
        lan.runFor(10 * SECOND);

        assertThat(a.state("VI_IN")).isEqualTo(State.FAULT);
        assertThat(a.state("VI_OUT")).as("its partner follows it into Fault").isEqualTo(State.FAULT);
        assertThat(lan.holders("VI_OUT")).containsExactly(b);
        assertThat(lan.holders("VI_IN")).containsExactly(b);
        assertThat(a.groupEvents).extracting(NodeEffect.GroupChanged::to)
                .containsExactly(State.BACKUP, State.ACTIVE, State.FAULT);
        assertThat(b.groupEvents).extracting(NodeEffect.GroupChanged::to).containsExactly(State.BACKUP, State.ACTIVE);

        lan.linkUp(a, "eth1");
        lan.runFor(10 * SECOND);
        assertThat(lan.holders("VI_OUT")).containsExactly(a); // preempts back, both together
        assertThat(lan.holders("VI_IN")).containsExactly(a);
        assertThat(a.groupEvents.getLast().to()).isEqualTo(State.ACTIVE);
        assertThat(b.groupEvents.getLast().to()).isEqualTo(State.BACKUP);
    }

    @Test
    void syncGroupFollowsAMemberIntoActive() {
        NodeConfig configA = new NodeConfig(List.of(
                spec(ipv4("VI_1", 1, 200, "192.0.2.101/24"), "eth0", "192.0.2.1"),
                spec(ipv4("VI_2", 2, 100, "192.0.2.102/24"), "eth0", "192.0.2.1")),
                List.of(new SyncGroupSpec("VG_1", List.of("VI_1", "VI_2"))));
        Host a = lan.add("a", configA);
        Host b = lan.add("b", spec(ipv4("VI_1", 1, 150, "192.0.2.101/24"), "eth0", "192.0.2.2"),
                spec(ipv4("VI_2", 2, 150, "192.0.2.102/24"), "eth0", "192.0.2.2"));
        lan.startAll();
        lan.runFor(10 * SECOND);

        // a wins VI_1 on priority and takes VI_2 with it, though b has the higher priority there:
        // b then sees a lower-priority Active and preempts, and a's VI_2 follows b's lead into Backup,
        // which takes VI_1 along. keepalived's groups behave the same with such a configuration.
        assertThat(a.transitions("VI_2")).anySatisfy(t -> assertThat(t.reason()).isEqualTo(TransitionReason.SYNC_GROUP));
        assertThat(a.state("VI_1")).isEqualTo(a.state("VI_2"));
    }

    @Test
    void aLowerPriorityActiveOnOneMemberMakesEveryActiveMemberOfTheGroupAnnounceAgain() {
        NodeConfig configA = new NodeConfig(List.of(
                spec(ipv4("VI_1", 1, 200, "192.0.2.101/24"), "eth0", "192.0.2.1"),
                spec(ipv4("VI_2", 2, 200, "192.0.2.102/24"), "eth0", "192.0.2.1"),
                spec(ipv4("VI_3", 3, 200, "192.0.2.103/24"), "eth0", "192.0.2.1")),
                List.of(new SyncGroupSpec("VG_1", List.of("VI_1", "VI_2"))));
        Host a = lan.add("a", configA);
        lan.startAll();
        lan.runFor(10 * SECOND);
        assertThat(a.state("VI_1")).isEqualTo(State.ACTIVE);
        assertThat(a.state("VI_2")).isEqualTo(State.ACTIVE);
        assertThat(a.state("VI_3")).isEqualTo(State.ACTIVE);
        a.effects.clear();

        // keepalived (vrrp.c, lower-priority advert while MASTER): the group's other members refresh
        // the ARP caches too, since the other side must have held them as well; VI_3, outside the
        // group, does not.
        lan.inject(a, "eth0", advert("192.0.2.2", 1, 100));
        lan.runFor(SECOND / 100);

        assertThat(a.effects).filteredOn(NodeEffect.AnnounceAfterLowerPriority.class::isInstance)
                .extracting(e -> ((NodeEffect.AnnounceAfterLowerPriority) e).router().name())
                .containsExactly("VI_1", "VI_2");
        assertThat(a.state("VI_1")).isEqualTo(State.ACTIVE);
    }

    @Test
    void failingWeightedCheckLowersThePriorityAndThePeerPreempts() {
        Host a = lan.add("a", NodeLan.withCheck(spec(ipv4("VI_1", 1, 150, "192.0.2.101/24"), "eth0", "192.0.2.1"),
                "chk_nginx", 2, 3, -60));
        Host b = lan.add("b", spec(ipv4("VI_1", 1, 100, "192.0.2.101/24"), "eth0", "192.0.2.2"));
        lan.startAll();
        lan.runFor(10 * SECOND);
        assertThat(lan.holders("VI_1")).containsExactly(a);

        lan.checkResult(a, "chk_nginx", false);
        lan.checkResult(a, "chk_nginx", false);
        lan.runFor(5 * SECOND);
        assertThat(a.router("VI_1").priority()).as("fall 3: two failures change nothing").isEqualTo(150);
        assertThat(lan.holders("VI_1")).containsExactly(a);

        lan.checkResult(a, "chk_nginx", false);
        assertThat(a.router("VI_1").priority()).isEqualTo(90);
        long failedAt = lan.now();
        lan.runFor(5 * SECOND);
        assertThat(lan.holders("VI_1")).containsExactly(b);
        // RFC 9568 §6.4.2: b (preempt) ignores a's lower-priority advertisements and so takes over when
        // its Active_Down_Timer, last restarted by a's advertisement at 150, runs out.
        long activeDownInterval = 3 * SECOND + (256 - 100) * SECOND / 256;
        assertThat(b.lastEntered("VI_1", State.ACTIVE) - failedAt).isLessThanOrEqualTo(activeDownInterval);

        lan.checkResult(a, "chk_nginx", true);
        assertThat(a.router("VI_1").priority()).as("rise 2: one success changes nothing").isEqualTo(90);
        lan.checkResult(a, "chk_nginx", true);
        assertThat(a.router("VI_1").priority()).isEqualTo(150);
        lan.runFor(10 * SECOND);
        assertThat(lan.holders("VI_1")).containsExactly(a);
    }

    @Test
    void failingZeroWeightCheckPutsTheRouterInFault() {
        Host a = lan.add("a", NodeLan.withCheck(spec(ipv4("VI_1", 1, 150, "192.0.2.101/24"), "eth0", "192.0.2.1"),
                "chk", 1, 1, 0));
        Host b = lan.add("b", spec(ipv4("VI_1", 1, 100, "192.0.2.101/24"), "eth0", "192.0.2.2"));
        lan.startAll();
        lan.runFor(10 * SECOND);

        lan.checkResult(a, "chk", false);
        long failedAt = lan.now();
        lan.runFor(5 * SECOND);

        assertThat(a.state("VI_1")).isEqualTo(State.FAULT);
        assertThat(lan.holders("VI_1")).containsExactly(b);
        // a sent priority 0 on leaving: b takes over after its Skew_Time, not three intervals later.
        assertThat(b.lastEntered("VI_1", State.ACTIVE) - failedAt).isLessThan(SECOND);

        lan.checkResult(a, "chk", true);
        lan.runFor(10 * SECOND);
        assertThat(lan.holders("VI_1")).containsExactly(a);
    }

    @Test
    void trackedInterfaceDownPutsTheRouterInFault() {
        Host a = lan.add("a", NodeLan.withTrackedInterface(
                spec(ipv4("VI_1", 1, 150, "192.0.2.101/24"), "eth0", "192.0.2.1"), "wan0"));
        Host b = lan.add("b", spec(ipv4("VI_1", 1, 100, "192.0.2.101/24"), "eth0", "192.0.2.2"));
        assertThat(a.node.trackedInterfaces()).containsExactly("wan0");
        lan.startAll();
        lan.runFor(10 * SECOND);
        assertThat(lan.holders("VI_1")).containsExactly(a);

        lan.trackedInterface(a, "wan0", false);
        lan.runFor(5 * SECOND);
        assertThat(a.state("VI_1")).isEqualTo(State.FAULT);
        assertThat(lan.holders("VI_1")).containsExactly(b);

        lan.trackedInterface(a, "wan0", true);
        lan.runFor(10 * SECOND);
        assertThat(lan.holders("VI_1")).containsExactly(a);
    }

    /** keepalived's dont_track_primary: the own link going down is not a fault; the interface vanishing is. */
    @Test
    void aRouterThatDoesNotTrackItsInterfaceStaysActiveWhenTheLinkGoesDownButNotWhenTheInterfaceGoes() {
        RouterSpec base = spec(ipv4("VI_1", 1, 150, "192.0.2.101/24"), "eth0", "192.0.2.1");
        RouterSpec untracked = new RouterSpec(base.config(), base.interfaceName(), base.sourceAddress(),
                base.unicastPeers(), base.announce(), base.checks(), base.trackedInterfaces(), base.excludedAddresses(),
                base.weightedInterfaces(), base.multicastGroup(), base.routes(), base.rules(), false);
        Host a = lan.add("a", untracked);
        Host b = lan.add("b", spec(ipv4("VI_1", 1, 100, "192.0.2.101/24"), "eth0", "192.0.2.2"));
        lan.startAll();
        lan.runFor(10 * SECOND);
        assertThat(a.state("VI_1")).isEqualTo(State.ACTIVE);

        lan.linkDown(b, "eth0");
        lan.linkDown(a, "eth0");
        lan.runFor(5 * SECOND);
        assertThat(a.state("VI_1")).as("dont_track_primary").isEqualTo(State.ACTIVE);
        assertThat(b.state("VI_1")).as("tracking its interface").isEqualTo(State.FAULT);

        lan.linkRemoved(a, "eth0");
        lan.runFor(SECOND);
        assertThat(a.state("VI_1")).as("nothing to send on").isEqualTo(State.FAULT);
    }

    @Test
    void ownLinkDownAtStartupStartsInFault() {
        Host a = lan.add("a", spec(ipv4("VI_1", 1, 150, "192.0.2.101/24"), "eth0", "192.0.2.1"));
        a.node.handleLinkChange(0, a.node.networkInterface("eth0"), LinkState.DOWN);
        lan.startAll();
        lan.runFor(10 * SECOND);
        assertThat(a.state("VI_1")).isEqualTo(State.FAULT);
        assertThat(lan.holders("VI_1")).isEmpty();
    }

    @Test
    void checkResultsBeforeStartAndAfterShutdownAreIgnored() {
        Host a = lan.add("a", NodeLan.withCheck(spec(ipv4("VI_1", 1, 150, "192.0.2.101/24"), "eth0", "192.0.2.1"),
                "chk", 1, 1, -60));
        lan.checkResult(a, "chk", false);
        lan.startAll();
        assertThat(a.router("VI_1").priority()).isEqualTo(150);
        lan.runFor(5 * SECOND);
        lan.shutdown(a);
        lan.checkResult(a, "chk", false);
        assertThat(a.router("VI_1").priority()).isEqualTo(150);
        assertThat(a.state("VI_1")).isEqualTo(State.INITIALIZE);
        assertThat(lan.sentBy(a, "VI_1").getLast().priority()).as("left with priority 0").isZero();
    }

    @Test
    void activesPeriodicAdvertisementAndBackupsReceptionNeedNoNewEffects() {
        Host a = lan.add("a", spec(ipv4("VI_1", 1, 150, "192.0.2.101/24"), "eth0", "192.0.2.1"));
        lan.add("b", spec(ipv4("VI_1", 1, 100, "192.0.2.101/24"), "eth0", "192.0.2.2"));
        lan.startAll();
        lan.runFor(10 * SECOND);
        NodeRouter router = a.router("VI_1");
        a.node.handleTimeout(a.node.nextDeadlineNanos());
        NodeEffect first = a.node.poll();
        a.node.handleTimeout(a.node.nextDeadlineNanos());
        NodeEffect second = a.node.poll();
        assertThat(first).isEqualTo(new NodeEffect.SendAdvertisement(router, 150)).isSameAs(second);
        assertThat(a.node.poll()).isNull();
    }

    @Test
    void takeoverHandsOutTheAdvertisementFirstAndTheStateChangeLast() {
        Host a = lan.add("a", spec(ipv4("VI_1", 1, 100, "192.0.2.101/24"), "eth0", "192.0.2.1"));
        lan.startAll();
        a.node.handleTimeout(a.node.nextDeadlineNanos()); // Active_Down_Timer: nobody else on the LAN
        // The router has decided, but its state change (and the log line it makes) is only handed
        // out after the advertisement, the addresses and their announcement (RFC 9568 §6.4.2); the
        // ordering is the router's, the laziness is what keeps its log line off the takeover path.
        assertThat(List.of(a.node.poll(), a.node.poll(), a.node.poll(), a.node.poll()))
                .extracting(e -> e.getClass().getSimpleName())
                .containsExactly("SendAdvertisement", "AddVirtualAddresses", "AnnounceAddresses", "StateChanged");
        assertThat(a.node.poll()).isNull();
    }

    private static ByteBuffer advert(String source, int vrid, int priority) {
        Advertisement advertisement = new Advertisement().set(AddressFamily.IPV4, vrid, priority, 100)
                .addresses(List.of(VirtualAddress.parseLiteral("192.0.2.101")));
        return ByteBuffer.wrap(new NodeLan().ipv4Packet(address(source), advertisement));
    }

    private static byte[] address(String literal) {
        return VirtualAddress.parseLiteral(literal).getAddress();
    }
}
