package dev.vrrp4j.core.node;

import dev.vrrp4j.core.health.CheckPolicy;
import dev.vrrp4j.core.router.VirtualAddress;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static dev.vrrp4j.core.node.NodeLan.ipv4;
import static dev.vrrp4j.core.node.NodeLan.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The one validation of a node's configuration, with the messages users meet at build time. */
class NodeConfigTest {
    private static final RouterSpec VI_1 = spec(ipv4("VI_1", 1, 100, "192.0.2.101/24"), "eth0", "192.0.2.1");
    private static final RouterSpec VI_2 = spec(ipv4("VI_2", 2, 100, "192.0.2.102/24"), "eth0", "192.0.2.1");

    @Test
    void noRouters() {
        assertThatThrownBy(() -> new NodeConfig(List.of(), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("routers: none configured, add at least one with router(...)");
    }

    @Test
    void nameUsedTwice() {
        RouterSpec again = spec(ipv4("VI_1", 3, 100, "192.0.2.103/24"), "eth0", "192.0.2.1");
        assertThatThrownBy(() -> new NodeConfig(List.of(VI_1, again), List.of()))
                .hasMessage("routers: name VI_1 is used twice");
    }

    @Test
    void vridUsedTwiceOnOneInterfaceAndFamily() {
        RouterSpec clash = spec(ipv4("VI_9", 1, 100, "192.0.2.109/24"), "eth0", "192.0.2.1");
        assertThatThrownBy(() -> new NodeConfig(List.of(VI_1, clash), List.of()))
                .hasMessage("routers: VRID 1 is used twice for IPV4 on eth0 (router VI_9)");
        RouterSpec otherInterface = spec(ipv4("VI_9", 1, 100, "198.51.100.109/24"), "eth1", "198.51.100.1");
        assertThat(new NodeConfig(List.of(VI_1, otherInterface), List.of()).routers()).hasSize(2);
    }

    @Test
    void syncGroupErrors() {
        assertThatThrownBy(() -> new NodeConfig(List.of(VI_1, VI_2), List.of(
                new SyncGroupSpec("VG_1", List.of("VI_1")), new SyncGroupSpec("VG_1", List.of("VI_2")))))
                .hasMessage("syncGroup: name VG_1 is used twice");
        assertThatThrownBy(() -> new NodeConfig(List.of(VI_1, VI_2), List.of(
                new SyncGroupSpec("VG_1", List.of("VI_1", "VI_3")))))
                .hasMessage("syncGroup VG_1: router VI_3 is not configured (have [VI_1, VI_2])");
        assertThatThrownBy(() -> new NodeConfig(List.of(VI_1, VI_2), List.of(
                new SyncGroupSpec("VG_1", List.of("VI_1", "VI_2")), new SyncGroupSpec("VG_2", List.of("VI_2")))))
                .hasMessage("syncGroup VG_2: router VI_2 is already in another sync group");
    }

    @Test
    void sharedCheckMayDifferOnlyInWeight() {
        Object task = new Object();
        RouterSpec a = withCheck(VI_1, new TrackedCheckSpec("chk", Duration.ofSeconds(1), Duration.ofSeconds(1),
                new CheckPolicy(2, 2, -20), task));
        RouterSpec b = withCheck(VI_2, new TrackedCheckSpec("chk", Duration.ofSeconds(1), Duration.ofSeconds(1),
                new CheckPolicy(2, 2, 0), task));
        assertThat(new Node(new NodeConfig(List.of(a, b), List.of())).checks()).hasSize(1);

        RouterSpec otherFall = withCheck(VI_2, new TrackedCheckSpec("chk", Duration.ofSeconds(1), Duration.ofSeconds(1),
                new CheckPolicy(2, 3, -20), task));
        assertThatThrownBy(() -> new NodeConfig(List.of(a, otherFall), List.of()))
                .hasMessage("check chk is tracked by VI_1 and VI_2 with different definitions; only the weight may differ");
        RouterSpec otherTask = withCheck(VI_2, new TrackedCheckSpec("chk", Duration.ofSeconds(1), Duration.ofSeconds(1),
                new CheckPolicy(2, 2, -20), new Object()));
        assertThatThrownBy(() -> new NodeConfig(List.of(a, otherTask), List.of()))
                .hasMessageContaining("with different definitions");
    }

    @Test
    void routerSpecChecksItsAddresses() {
        assertThatThrownBy(() -> spec(ipv4("VI_1", 1, 100, "192.0.2.101/24"), "eth0", "2001:db8::1"))
                .hasMessage("sourceAddress 2001:db8:0:0:0:0:0:1 is not IPV4 like the router VI_1");
        assertThatThrownBy(() -> NodeLan.withPeers(VI_1, "2001:db8::2"))
                .hasMessage("unicastPeers: 2001:db8:0:0:0:0:0:2 is not IPV4 like the router VI_1");
    }

    @Test
    void nodeNeedsResolvedSourceAddresses() {
        RouterSpec unresolved = VI_1.withSourceAddress(null);
        NodeConfig config = new NodeConfig(List.of(unresolved), List.of());
        assertThatThrownBy(() -> new Node(config))
                .hasMessage("router VI_1: sourceAddress is not resolved; the driver must resolve it before building the node");
        assertThat(new Node(new NodeConfig(List.of(unresolved.withSourceAddress(
                VirtualAddress.parseLiteral("192.0.2.7"))), List.of())).routers().getFirst().sourceAddress())
                .isEqualTo(VirtualAddress.parseLiteral("192.0.2.7"));
    }

    @Test
    void keysIdentifyRoutersForADiff() {
        NodeConfig config = new NodeConfig(List.of(VI_1, VI_2), List.of());
        assertThat(config.router(new RouterKey("eth0", VI_2.config().family(), 2))).isSameAs(VI_2);
        assertThat(config.router(new RouterKey("eth1", VI_2.config().family(), 2))).isNull();
    }

    private static RouterSpec withCheck(RouterSpec spec, TrackedCheckSpec check) {
        return new RouterSpec(spec.config(), spec.interfaceName(), spec.sourceAddress(), spec.unicastPeers(),
                spec.announce(), List.of(check), spec.trackedInterfaces());
    }
}
