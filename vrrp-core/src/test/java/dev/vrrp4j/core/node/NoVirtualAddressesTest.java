package dev.vrrp4j.core.node;

import dev.vrrp4j.core.node.NodeLan.Host;
import dev.vrrp4j.core.packet.AddressFamily;
import dev.vrrp4j.core.packet.PacketDropReason;
import dev.vrrp4j.core.router.RouterConfig;
import dev.vrrp4j.core.router.State;
import dev.vrrp4j.core.router.TransitionReason;
import org.junit.jupiter.api.Test;

import static dev.vrrp4j.core.node.NodeLan.MS;
import static dev.vrrp4j.core.node.NodeLan.SECOND;
import static dev.vrrp4j.core.node.NodeLan.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A VRRPv2 router without virtual addresses (keepalived's cloud floating-IP pattern: a notify script
 * moves the address): RFC 3768 §5.3.6 sets no minimum count, so it elects, advertises a count of 0
 * and fails over like any other; VRRPv3 requires one (RFC 9568 §5.2.5).
 */
class NoVirtualAddressesTest {
    private final NodeLan lan = new NodeLan();

    private static RouterConfig v2(int priority) {
        return RouterConfig.builder("VI_1", AddressFamily.IPV4, 51).version(RouterConfig.VERSION_2).priority(priority)
                .advertIntervalCentis(100).build();
    }

    @Test
    void twoVersion2RoutersWithoutAddressesElectAndFailOver() {
        Host a = lan.add("a", spec(v2(150), "eth0", "192.0.2.1"));
        Host b = lan.add("b", spec(v2(100), "eth0", "192.0.2.2"));
        lan.startAll();
        lan.runFor(8 * SECOND); // Active after Master_Down_Interval (3.6 s), then 1 s adverts

        assertThat(lan.actives("VI_1")).containsExactly(a);
        assertThat(b.state("VI_1")).isEqualTo(State.BACKUP);
        assertThat(b.router("VI_1").counters().drops(PacketDropReason.NO_ADDRESSES)).as("count 0 is well-formed v2")
                .isZero();
        assertThat(b.router("VI_1").counters().advertsReceived()).isGreaterThanOrEqualTo(4);
        assertThat(a.installed.getOrDefault("VI_1", java.util.Set.of())).as("nothing to install").isEmpty();

        lan.kill(a);
        long lastHeard = lan.sentBy(a, "VI_1").getLast().atNanos() + lan.latencyNanos();
        lan.runFor(4 * SECOND);
        assertThat(b.state("VI_1")).isEqualTo(State.ACTIVE);
        assertThat(b.transitions("VI_1")).last().satisfies(t ->
                assertThat(t.reason()).isEqualTo(TransitionReason.ADVERT_TIMEOUT));
        // RFC 3768 §6.1: Master_Down_Interval = 3 * 1 s + (256 - 100) / 256 s after the last advertisement heard
        long masterDown = 3 * SECOND + (256 - 100) * SECOND / 256;
        assertThat(b.lastEntered("VI_1", State.ACTIVE) - lastHeard).isBetween(masterDown - MS, masterDown + MS);
        assertThat(lan.sentBy(b, "VI_1")).as("b advertises as Active").isNotEmpty();
    }

    @Test
    void aVersion3RouterWithoutAddressesIsRefused() {
        assertThatThrownBy(() -> RouterConfig.builder("VI_1", AddressFamily.IPV4, 51).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("virtualAddresses of VI_1 is empty: VRRPv3 needs at least one address (RFC 9568 §5.2.5,"
                        + " Count IPvX Addr 1..255)");
    }
}
