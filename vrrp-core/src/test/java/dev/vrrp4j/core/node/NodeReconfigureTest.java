package dev.vrrp4j.core.node;

import dev.vrrp4j.core.node.NodeLan.Host;
import dev.vrrp4j.core.node.NodeLan.Sent;
import dev.vrrp4j.core.packet.AddressFamily;
import dev.vrrp4j.core.router.RouterConfig;
import dev.vrrp4j.core.router.State;
import dev.vrrp4j.core.router.TransitionReason;
import dev.vrrp4j.core.router.VirtualAddress;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.vrrp4j.core.node.NodeLan.MS;
import static dev.vrrp4j.core.node.NodeLan.SECOND;
import static dev.vrrp4j.core.node.NodeLan.ipv4;
import static dev.vrrp4j.core.node.NodeLan.spec;
import static dev.vrrp4j.core.node.NodeLan.withCheck;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link Node#reconfigure}, a live reload, on the simulated LAN. */
class NodeReconfigureTest {
    private final NodeLan lan = new NodeLan();

    private static RouterConfig fast(String name, int vrid, int priority, String... vips) {
        return RouterConfig.builder(name, AddressFamily.IPV4, vrid).priority(priority).advertIntervalCentis(1)
                .virtualAddresses(vips).build();
    }

    private static NodeConfig node(RouterSpec... routers) {
        return new NodeConfig(List.of(routers), List.of());
    }

    @Test
    void reloadingAnUnchangedConfigurationAHundredTimesChangesNothingOnTheWire() {
        NodeConfig aConfig = node(spec(fast("VI_1", 1, 200, "192.0.2.101/24"), "eth0", "192.0.2.1"),
                spec(fast("VI_2", 2, 200, "192.0.2.102/24"), "eth0", "192.0.2.1"));
        Host a = lan.add("a", aConfig);
        Host b = lan.add("b", spec(fast("VI_1", 1, 100, "192.0.2.101/24"), "eth0", "192.0.2.2"),
                spec(fast("VI_2", 2, 100, "192.0.2.102/24"), "eth0", "192.0.2.2"));
        lan.startAll();
        lan.runFor(SECOND);
        assertThat(lan.holders("VI_1")).containsExactly(a);
        int effectsBefore = a.effects.size();
        int transitionsBefore = a.transitions("VI_1").size() + b.transitions("VI_1").size();
        long start = lan.now();

        for (int i = 0; i < 100; i++) {
            ConfigDiff diff = lan.reconfigure(a, aConfig);
            assertThat(diff.isEmpty()).isTrue();
            lan.runFor(3 * MS); // a reload every 3 ms, between and across the 10 ms advertisements
        }

        List<NodeEffect> during = a.effects.subList(effectsBefore, a.effects.size());
        assertThat(during).filteredOn(e -> !(e instanceof NodeEffect.SendAdvertisement))
                .as("no effect but the reload's own").allMatch(e -> e instanceof NodeEffect.Reconfigured)
                .hasSize(100);
        List<Sent> sent = lan.wire().stream().filter(s -> s.from() == a && s.atNanos() > start).toList();
        assertThat(sent).as("no priority 0, no extra advertisement").allMatch(s -> s.priority() == 200)
                .hasSizeBetween(2 * 29, 2 * 31); // 300 ms at 10 ms for two routers
        assertThat(a.transitions("VI_1").size() + b.transitions("VI_1").size()).isEqualTo(transitionsBefore);
        assertThat(a.node.generation()).isEqualTo(101);
        assertThat(lan.holders("VI_1")).containsExactly(a);
    }

    @Test
    void anActiveWhosePriorityDropsAdvertisesAtOnceAndTheBackupTakesOverWithinItsActiveDownInterval() {
        Host a = lan.add("a", spec(ipv4("VI_1", 1, 200, "192.0.2.101/24"), "eth0", "192.0.2.1"));
        Host b = lan.add("b", spec(ipv4("VI_1", 1, 150, "192.0.2.101/24"), "eth0", "192.0.2.2"));
        lan.startAll();
        lan.runFor(5 * SECOND + 500 * MS);
        assertThat(lan.holders("VI_1")).containsExactly(a);
        long reload = lan.now();
        long lastAccepted = lan.sentBy(a, "VI_1").getLast().atNanos() + lan.latencyNanos();
        assertThat(reload - lastAccepted).as("between two 1 s advertisements").isBetween(100 * MS, 900 * MS);

        ConfigDiff diff = lan.reconfigure(a, node(spec(ipv4("VI_1", 1, 100, "192.0.2.101/24"), "eth0", "192.0.2.1")));

        assertThat(diff.changed()).singleElement().satisfies(c ->
                assertThat(c.changes()).containsExactly(ConfigDiff.Change.PRIORITY));
        assertThat(lan.sentBy(a, "VI_1").getLast()).as("advertised at once with the new priority")
                .satisfies(s -> {
                    assertThat(s.atNanos()).isEqualTo(reload);
                    assertThat(s.priority()).isEqualTo(100);
                });
        assertThat(a.transitions("VI_1")).last().satisfies(t -> assertThat(t.to()).isEqualTo(State.ACTIVE));
        lan.runFor(4 * SECOND);
        assertThat(lan.holders("VI_1")).containsExactly(b);
        long takeover = b.lastEntered("VI_1", State.ACTIVE);
        // RFC 9568 §6.4.2: b stopped accepting a at the reload's advertisement; its timer, last
        // restarted by the advertisement before, ran out: 3 s + Skew_Time (106/256 s) after that one.
        assertThat(takeover - lastAccepted).isBetween(3_414 * MS, 3_415 * MS);
        assertThat(a.state("VI_1")).isEqualTo(State.BACKUP);
        assertThat(a.transitions("VI_1")).last().satisfies(t -> assertThat(t.reason())
                .isEqualTo(TransitionReason.HIGHER_PRIORITY));
    }

    @Test
    void anActivesAddressesChangeInPlaceWithoutATransition() {
        Host a = lan.add("a", spec(ipv4("VI_1", 1, 200, "192.0.2.101/24", "192.0.2.102/24"), "eth0", "192.0.2.1"));
        lan.startAll();
        lan.runFor(5 * SECOND);
        int transitions = a.transitions("VI_1").size();

        lan.reconfigure(a, node(spec(ipv4("VI_1", 1, 200, "192.0.2.102/24", "192.0.2.103/24"), "eth0",
                "192.0.2.1")));

        assertThat(a.effects).filteredOn(e -> e instanceof NodeEffect.UpdateVirtualAddresses).singleElement()
                .satisfies(e -> {
                    NodeEffect.UpdateVirtualAddresses update = (NodeEffect.UpdateVirtualAddresses) e;
                    assertThat(update.removed()).containsExactly(VirtualAddress.parse("192.0.2.101/24"));
                    assertThat(update.added()).containsExactly(VirtualAddress.parse("192.0.2.103/24"));
                });
        assertThat(a.installed.get("VI_1")).containsExactlyInAnyOrder(VirtualAddress.parse("192.0.2.102/24"),
                VirtualAddress.parse("192.0.2.103/24"));
        assertThat(a.transitions("VI_1")).hasSize(transitions);
        assertThat(lan.sentBy(a, "VI_1").getLast().atNanos()).as("the new list advertised at once")
                .isEqualTo(lan.now());

        lan.shutdown(a);
        assertThat(a.installed.get("VI_1")).as("leaving removes the new set").isEmpty();
    }

    @Test
    void aRemovedActiveLeavesWithPriorityZeroAndAnAddedRouterStartsWhileTheOthersAreLeftAlone() {
        RouterSpec vi1 = spec(ipv4("VI_1", 1, 200, "192.0.2.101/24"), "eth0", "192.0.2.1");
        RouterSpec vi2 = spec(ipv4("VI_2", 2, 200, "192.0.2.102/24"), "eth0", "192.0.2.1");
        Host a = lan.add("a", vi1, vi2);
        Host b = lan.add("b", spec(ipv4("VI_1", 1, 100, "192.0.2.101/24"), "eth0", "192.0.2.2"),
                spec(ipv4("VI_2", 2, 100, "192.0.2.102/24"), "eth0", "192.0.2.2"));
        lan.startAll();
        lan.runFor(5 * SECOND);
        int vi1Transitions = a.transitions("VI_1").size();
        RouterSpec vi3 = spec(ipv4("VI_3", 3, 200, "192.0.2.103/24"), "eth1", "198.51.100.1");

        ConfigDiff diff = lan.reconfigure(a, node(vi1, vi3));

        assertThat(diff.unchanged()).containsExactly(vi1.key());
        assertThat(diff.removed()).containsExactly(vi2);
        assertThat(diff.added()).containsExactly(vi3);
        assertThat(lan.sentBy(a, "VI_2").getLast().priority()).isZero();
        assertThat(a.holding).doesNotContain("VI_2");
        assertThat(a.effects).filteredOn(e -> e instanceof NodeEffect.Reconfigured).singleElement().satisfies(e -> {
            NodeEffect.Reconfigured reconfigured = (NodeEffect.Reconfigured) e;
            assertThat(reconfigured.removed()).extracting(NodeRouter::name).containsExactly("VI_2");
            assertThat(reconfigured.added()).extracting(NodeRouter::name).containsExactly("VI_3");
            assertThat(reconfigured.generation()).isEqualTo(2);
        });
        int reconfiguredAt = indexOf(a.effects, NodeEffect.Reconfigured.class);
        assertThat(a.effects.subList(0, reconfiguredAt)).as("the removed router's effects come first")
                .anyMatch(e -> e instanceof NodeEffect.SendAdvertisement s && s.priority() == 0);
        assertThat(a.node.routers()).extracting(NodeRouter::name).containsExactly("VI_1", "VI_3");
        assertThat(a.router("VI_3").index()).isEqualTo(2);
        assertThat(a.node.routerSlots()).isEqualTo(3);
        assertThat(a.node.networkInterface("eth1")).isNotNull();

        lan.runFor(5 * SECOND);
        assertThat(lan.holders("VI_2")).as("the Backup took over within Skew_Time").containsExactly(b);
        assertThat(b.transitions("VI_2")).last().satisfies(t -> assertThat(t.reason())
                .isEqualTo(TransitionReason.ACTIVE_LEFT));
        assertThat(lan.holders("VI_3")).containsExactly(a);
        assertThat(a.transitions("VI_1")).hasSize(vi1Transitions);
        assertThat(lan.holders("VI_1")).containsExactly(a);
    }

    @Test
    void aCheckThatDidNotChangeKeepsItsStateAcrossAReload() {
        RouterSpec vi1 = withCheck(spec(ipv4("VI_1", 1, 200, "192.0.2.101/24"), "eth0", "192.0.2.1"),
                "chk", 1, 1, -150);
        Host a = lan.add("a", vi1);
        Host b = lan.add("b", spec(ipv4("VI_1", 1, 100, "192.0.2.101/24"), "eth0", "192.0.2.2"));
        lan.startAll();
        lan.runFor(5 * SECOND);
        lan.checkResult(a, "chk", false);
        lan.runFor(5 * SECOND);
        assertThat(lan.holders("VI_1")).containsExactly(b);
        int transitions = a.transitions("VI_1").size();

        // Another router is added; VI_1 and its check are unchanged.
        lan.reconfigure(a, node(vi1, spec(ipv4("VI_2", 2, 100, "192.0.2.102/24"), "eth0", "192.0.2.1")));
        lan.runFor(5 * SECOND);

        assertThat(a.router("VI_1").priority()).as("still failing: 200 - 150").isEqualTo(50);
        assertThat(lan.holders("VI_1")).containsExactly(b);
        assertThat(a.transitions("VI_1")).hasSize(transitions);
    }

    @Test
    void aBackupThatBecomesTheAddressOwnerGoesActiveAtOnce() {
        Host a = lan.add("a", spec(ipv4("VI_1", 1, 200, "192.0.2.101/24"), "eth0", "192.0.2.1"));
        Host b = lan.add("b", spec(ipv4("VI_1", 1, 100, "192.0.2.101/24"), "eth0", "192.0.2.2"));
        lan.startAll();
        lan.runFor(5 * SECOND);

        lan.reconfigure(b, node(spec(ipv4("VI_1", 1, 255, "192.0.2.101/24"), "eth0", "192.0.2.2")));

        assertThat(b.state("VI_1")).isEqualTo(State.ACTIVE);
        assertThat(b.transitions("VI_1")).last().satisfies(t -> assertThat(t.reason())
                .isEqualTo(TransitionReason.ADDRESS_OWNER));
        lan.runFor(SECOND);
        assertThat(lan.holders("VI_1")).containsExactly(b);
        assertThat(a.state("VI_1")).isEqualTo(State.BACKUP);
    }

    @Test
    void aRouterWhoseVersionChangesIsRemovedAndAddedAgain() {
        RouterSpec vi1 = spec(ipv4("VI_1", 1, 200, "192.0.2.101/24"), "eth0", "192.0.2.1");
        Host a = lan.add("a", vi1);
        lan.startAll();
        lan.runFor(5 * SECOND);
        NodeRouter before = a.router("VI_1");
        RouterSpec vi1v2 = spec(RouterConfig.builder("VI_1", AddressFamily.IPV4, 1).priority(200).version(2)
                .advertIntervalCentis(100).virtualAddresses("192.0.2.101/24").build(), "eth0", "192.0.2.1");

        ConfigDiff diff = lan.reconfigure(a, node(vi1v2));

        assertThat(diff.removed()).containsExactly(vi1);
        assertThat(diff.added()).containsExactly(vi1v2);
        assertThat(lan.sentBy(a, "VI_1").getLast().priority()).as("the VRRPv3 router left").isZero();
        NodeRouter after = a.router("VI_1");
        assertThat(after).isNotSameAs(before);
        assertThat(after.config().version()).isEqualTo(2);
        assertThat(after.state()).as("the VRRPv2 one starts as at node start").isEqualTo(State.BACKUP);
    }

    @Test
    void aSyncGroupAddedByAReloadMovesTogether() {
        RouterSpec vi1 = spec(ipv4("VI_1", 1, 200, "192.0.2.101/24"), "eth0", "192.0.2.1");
        RouterSpec vi2 = spec(ipv4("VI_2", 2, 100, "198.51.100.101/24"), "eth1", "198.51.100.1");
        Host a = lan.add("a", vi1, vi2);
        Host b = lan.add("b", spec(ipv4("VI_1", 1, 100, "192.0.2.101/24"), "eth0", "192.0.2.2"),
                spec(ipv4("VI_2", 2, 200, "198.51.100.101/24"), "eth1", "198.51.100.2"));
        lan.startAll();
        lan.runFor(5 * SECOND);
        assertThat(lan.holders("VI_1")).containsExactly(a);
        lan.linkDown(a, "eth1");
        lan.runFor(SECOND);
        assertThat(a.state("VI_1")).as("no group yet: VI_2's Fault is its own").isEqualTo(State.ACTIVE);
        lan.linkUp(a, "eth1");
        lan.runFor(5 * SECOND);

        NodeConfig grouped = new NodeConfig(List.of(vi1, vi2), List.of(new SyncGroupSpec("G", List.of("VI_1", "VI_2"))));
        ConfigDiff diff = lan.reconfigure(a, grouped);
        assertThat(diff.changed()).hasSize(2)
                .allMatch(c -> c.changes().equals(java.util.Set.of(ConfigDiff.Change.SYNC_GROUP)));
        lan.linkDown(a, "eth1");
        lan.runFor(5 * SECOND);

        assertThat(a.state("VI_1")).as("VI_2's Fault takes its group partner along").isEqualTo(State.FAULT);
        assertThat(lan.holders("VI_1")).containsExactly(b);
    }

    @Test
    void reloadingAfterShutdownIsRefused() {
        RouterSpec vi1 = spec(ipv4("VI_1", 1, 200, "192.0.2.101/24"), "eth0", "192.0.2.1");
        Host a = lan.add("a", vi1);
        lan.startAll();
        lan.shutdown(a);

        assertThatThrownBy(() -> a.node.reconfigure(lan.now(), node(vi1))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("shut down");
    }

    private static int indexOf(List<NodeEffect> effects, Class<?> type) {
        for (int i = 0; i < effects.size(); i++) {
            if (type.isInstance(effects.get(i))) {
                return i;
            }
        }
        return -1;
    }
}
