package dev.vrrp4j.core.node;

import dev.vrrp4j.core.node.NodeLan.Host;
import dev.vrrp4j.core.router.State;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.vrrp4j.core.node.NodeLan.SECOND;
import static dev.vrrp4j.core.node.NodeLan.ipv4;
import static dev.vrrp4j.core.node.NodeLan.spec;
import static dev.vrrp4j.core.node.NodeLan.withCheck;
import static dev.vrrp4j.core.node.NodeLan.withWeightedInterface;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Weighted {@code track_interface} ({@link TrackedInterfaceSpec}) on the simulated LAN, with
 * keepalived's semantics: a negative weight is subtracted while the link is down, a positive one
 * added while it is up, summed with the check weights and clamped to 1..254, and never Fault.
 */
class WeightedInterfaceTest {
    private final NodeLan lan = new NodeLan();

    private static RouterSpec router(int priority, String source) {
        return spec(ipv4("VI_1", 1, priority, "192.0.2.101/24"), "eth0", source);
    }

    @Test
    void aNegativeWeightLowersTheActiveWhileItsUplinkIsDownSoTheBackupPreemptsAndItComesBack() {
        Host a = lan.add("a", withWeightedInterface(router(150, "192.0.2.1"), "wan0", -60));
        Host b = lan.add("b", router(120, "192.0.2.2"));
        assertThat(a.node.trackedInterfaces()).containsExactly("wan0");
        lan.startAll();
        lan.runFor(10 * SECOND);
        assertThat(lan.holders("VI_1")).containsExactly(a);

        lan.trackedInterface(a, "wan0", false);
        lan.runFor(5 * SECOND);
        assertThat(a.router("VI_1").priority()).isEqualTo(90);
        assertThat(a.state("VI_1")).as("a weight means no Fault").isEqualTo(State.BACKUP);
        assertThat(lan.holders("VI_1")).containsExactly(b);

        lan.trackedInterface(a, "wan0", true);
        lan.runFor(10 * SECOND);
        assertThat(a.router("VI_1").priority()).isEqualTo(150);
        assertThat(lan.holders("VI_1")).as("a preempts again").containsExactly(a);
    }

    @Test
    void positiveWeightsCountTheLinksThatAreUpAndSumWithChecksWithinOneTo254() {
        RouterSpec spec = withCheck(withWeightedInterface(withWeightedInterface(router(200, "192.0.2.1"),
                "up0", 30), "up1", 40), "chk", 1, 1, 10);
        Host a = lan.add("a", spec);
        lan.startAll();
        assertThat(a.router("VI_1").priority()).as("200 + 30 + 40 + 10, clamped").isEqualTo(254);

        lan.trackedInterface(a, "up1", false);
        assertThat(a.router("VI_1").priority()).isEqualTo(240);
        lan.checkResult(a, "chk", false);
        assertThat(a.router("VI_1").priority()).isEqualTo(230);
        lan.trackedInterface(a, "up0", false);
        assertThat(a.router("VI_1").priority()).isEqualTo(200);
        assertThat(a.state("VI_1")).isNotEqualTo(State.FAULT);
    }

    @Test
    void theWeightSumIsClampedToOneAndAnOwnerKeeps255() {
        Host a = lan.add("a", withWeightedInterface(withWeightedInterface(router(100, "192.0.2.1"), "wan0", -253),
                "wan1", -253));
        Host owner = lan.add("o", withWeightedInterface(spec(ipv4("VI_2", 2, 255, "192.0.2.102/24"), "eth0",
                "192.0.2.3"), "wan0", -100));
        lan.startAll();

        lan.trackedInterface(a, "wan0", false);
        lan.trackedInterface(a, "wan1", false);
        lan.trackedInterface(owner, "wan0", false);

        assertThat(a.router("VI_1").priority()).isEqualTo(1);
        assertThat(owner.router("VI_2").priority()).isEqualTo(255);
    }

    @Test
    void theOwnInterfaceWithAWeightIsIgnoredItsOwnLinkStillMeansFault() {
        Host a = lan.add("a", withWeightedInterface(router(150, "192.0.2.1"), "eth0", -60));
        lan.startAll();
        lan.runFor(5 * SECOND);
        assertThat(a.node.trackedInterfaces()).isEmpty();

        lan.linkDown(a, "eth0");

        assertThat(a.state("VI_1")).isEqualTo(State.FAULT);
        assertThat(a.router("VI_1").priority()).isEqualTo(150);
    }

    @Test
    void aReloadThatChangesAWeightKeepsTheLinkStateAndAppliesTheNewWeightInPlace() {
        Host a = lan.add("a", withWeightedInterface(router(150, "192.0.2.1"), "wan0", -20));
        lan.startAll();
        lan.runFor(5 * SECOND);
        lan.trackedInterface(a, "wan0", false);
        assertThat(a.router("VI_1").priority()).isEqualTo(130);
        int transitions = a.transitions("VI_1").size();

        ConfigDiff diff = lan.reconfigure(a, new NodeConfig(List.of(withWeightedInterface(router(150, "192.0.2.1"),
                "wan0", -70)), List.of()));

        assertThat(diff.changed()).singleElement().satisfies(c ->
                assertThat(c.changes()).containsExactly(ConfigDiff.Change.TRACKED_INTERFACES));
        assertThat(a.router("VI_1").priority()).as("wan0 still down, now -70").isEqualTo(80);
        assertThat(a.transitions("VI_1")).hasSize(transitions);
    }

    @Test
    void refusalsNameTheFieldTheValueAndTheRange() {
        assertThatThrownBy(() -> new TrackedInterfaceSpec("wan0", 254))
                .hasMessage("weight 254 out of range -253..253 (not 0)");
        assertThatThrownBy(() -> new TrackedInterfaceSpec("wan0", 0))
                .hasMessage("weight 0 for interface wan0 means Fault while it is down: track it unweighted instead");
        RouterSpec twice = withWeightedInterface(router(100, "192.0.2.1"), "wan0", -10);
        assertThatThrownBy(() -> withWeightedInterface(twice, "wan0", 10))
                .hasMessage("weightedInterfaces: wan0 is tracked twice by VI_1; each interface at most once");
        assertThatThrownBy(() -> withWeightedInterface(NodeLan.withTrackedInterface(router(100, "192.0.2.1"), "wan0"),
                "wan0", 10)).hasMessageContaining("wan0 is tracked twice");
    }
}
