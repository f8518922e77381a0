package dev.vrrp4j.core.node;

import dev.vrrp4j.core.packet.AddressFamily;
import dev.vrrp4j.core.router.RouterConfig;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.vrrp4j.core.node.NodeLan.ipv4;
import static dev.vrrp4j.core.node.NodeLan.spec;
import static dev.vrrp4j.core.node.NodeLan.withCheck;
import static dev.vrrp4j.core.node.NodeLan.withPeers;
import static org.assertj.core.api.Assertions.assertThat;

/** What a reload would change, router by router, decided without a node running. */
class ConfigDiffTest {
    private static final RouterSpec VI_1 = spec(ipv4("VI_1", 1, 100, "192.0.2.101/24"), "eth0", "192.0.2.1");
    private static final RouterSpec VI_2 = spec(ipv4("VI_2", 2, 100, "192.0.2.102/24"), "eth0", "192.0.2.1");

    private static NodeConfig node(RouterSpec... routers) {
        return new NodeConfig(List.of(routers), List.of());
    }

    @Test
    void theSameFileChangesNothing() {
        RouterSpec again = spec(ipv4("VI_1", 1, 100, "192.0.2.101/24"), "eth0", "192.0.2.1");
        ConfigDiff diff = ConfigDiff.between(node(VI_1, VI_2), node(again, VI_2));

        assertThat(diff.isEmpty()).isTrue();
        assertThat(diff.unchanged()).containsExactly(VI_1.key(), VI_2.key());
    }

    @Test
    void settingsThatDifferAreNamedAndTheRestIsUntouched() {
        RouterSpec louder = spec(RouterConfig.builder("VI_1", AddressFamily.IPV4, 1).priority(200)
                .advertIntervalCentis(100).virtualAddresses("192.0.2.101/24", "192.0.2.111/24").build(), "eth0",
                "192.0.2.1");
        ConfigDiff diff = ConfigDiff.between(node(VI_1, VI_2), node(withPeers(louder, "192.0.2.2"), VI_2));

        assertThat(diff.unchanged()).containsExactly(VI_2.key());
        assertThat(diff.changed()).singleElement().satisfies(changed -> {
            assertThat(changed.key()).isEqualTo(VI_1.key());
            assertThat(changed.changes()).containsExactlyInAnyOrder(ConfigDiff.Change.PRIORITY,
                    ConfigDiff.Change.VIRTUAL_ADDRESSES, ConfigDiff.Change.UNICAST_PEERS);
        });
        assertThat(diff.removed()).isEmpty();
        assertThat(diff.added()).isEmpty();
    }

    @Test
    void aNewIdentityIsARemovalPlusAnAddition() {
        RouterSpec moved = spec(ipv4("VI_1", 1, 100, "198.51.100.101/24"), "eth1", "198.51.100.1");
        RouterSpec renumbered = spec(ipv4("VI_2", 12, 100, "192.0.2.102/24"), "eth0", "192.0.2.1");
        ConfigDiff diff = ConfigDiff.between(node(VI_1, VI_2), node(moved, renumbered));

        assertThat(diff.removed()).containsExactly(VI_1, VI_2);
        assertThat(diff.added()).containsExactly(moved, renumbered);
        assertThat(diff.changed()).isEmpty();
        assertThat(diff.unchanged()).isEmpty();
    }

    @Test
    void anotherVrrpVersionIsANewRouter() {
        RouterSpec v2 = spec(RouterConfig.builder("VI_1", AddressFamily.IPV4, 1).priority(100).advertIntervalCentis(100)
                .version(RouterConfig.VERSION_2).virtualAddresses("192.0.2.101/24").build(), "eth0", "192.0.2.1");
        ConfigDiff diff = ConfigDiff.between(node(VI_1), node(v2));

        assertThat(diff.removed()).containsExactly(VI_1);
        assertThat(diff.added()).containsExactly(v2);
    }

    @Test
    void aCheckWeightOrAGroupChangeIsAChange() {
        RouterSpec checked = withCheck(VI_1, "nginx", 2, 2, -20);
        RouterSpec heavier = withCheck(VI_1, "nginx", 2, 2, -50);
        NodeConfig grouped = new NodeConfig(List.of(heavier, VI_2), List.of(new SyncGroupSpec("VG", List.of("VI_1",
                "VI_2"))));

        ConfigDiff diff = ConfigDiff.between(node(checked, VI_2), grouped);

        assertThat(diff.changed()).extracting(ConfigDiff.Changed::key).containsExactly(VI_1.key(), VI_2.key());
        assertThat(diff.changed().get(0).changes()).containsExactlyInAnyOrder(ConfigDiff.Change.CHECKS,
                ConfigDiff.Change.SYNC_GROUP);
        assertThat(diff.changed().get(1).changes()).containsExactly(ConfigDiff.Change.SYNC_GROUP);
    }
}
