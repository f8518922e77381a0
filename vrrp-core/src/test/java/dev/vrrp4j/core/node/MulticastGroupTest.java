package dev.vrrp4j.core.node;

import dev.vrrp4j.core.node.NodeLan.Host;
import dev.vrrp4j.core.packet.AddressFamily;
import dev.vrrp4j.core.packet.Advertisement;
import dev.vrrp4j.core.packet.AdvertisementCodec;
import dev.vrrp4j.core.packet.MalformedPacketException;
import dev.vrrp4j.core.router.RouterConfig;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.List;

import static dev.vrrp4j.core.node.NodeLan.SECOND;
import static dev.vrrp4j.core.node.NodeLan.ipv4;
import static dev.vrrp4j.core.node.NodeLan.spec;
import static dev.vrrp4j.core.node.NodeLan.withMulticastGroup;
import static dev.vrrp4j.core.node.NodeLan.withPeers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A multicast group other than RFC 9568's (keepalived {@code mcast_dst_ip}, {@code vrrp_mcast_group4/6}):
 * where the advertisements go and what their IPv4 pseudo-header checksum covers.
 */
class MulticastGroupTest {
    private final NodeLan lan = new NodeLan();

    private static RouterSpec router(String group) {
        return withMulticastGroup(spec(ipv4("VI_1", 1, 200, "192.0.2.101/24"), "eth0", "192.0.2.1"), group);
    }

    @Test
    void advertisementsGoToTheConfiguredGroupWithTheChecksumOverIt() throws Exception {
        Host a = lan.add("a", router("224.0.0.19"));
        NodeRouter vi1 = a.router("VI_1");

        assertThat(vi1.destinationCount()).isOne();
        assertThat(vi1.destination(0)).isEqualTo(InetAddress.ofLiteral("224.0.0.19"));
        ByteBuffer out = ByteBuffer.allocate(64);
        vi1.encodeAdvertisement(200, 0, out);
        Advertisement decoded = new Advertisement();
        AdvertisementCodec.decodeMessage(out.duplicate(), AddressFamily.IPV4, vi1.sourceAddress().getAddress(),
                InetAddress.ofLiteral("224.0.0.19").getAddress(), 255, decoded);
        assertThat(decoded.priority()).isEqualTo(200);
        assertThatThrownBy(() -> AdvertisementCodec.decodeMessage(out.duplicate(), AddressFamily.IPV4,
                vi1.sourceAddress().getAddress(), AddressFamily.IPV4.multicastGroup(), 255, new Advertisement()))
                .as("the pseudo-header covers the group it was sent to, not 224.0.0.18")
                .isInstanceOf(MalformedPacketException.class);
    }

    @Test
    void withoutAGroupItIsRfc9568sAndUnicastIgnoresIt() {
        RouterSpec rfc = spec(ipv4("VI_1", 1, 200, "192.0.2.101/24"), "eth0", "192.0.2.1");
        RouterSpec v6 = spec(RouterConfig.builder("VI_6", AddressFamily.IPV6, 6).virtualAddresses("fe80::6").build(),
                "eth0", "fe80::1");
        Host a = lan.add("a", rfc, v6, withPeers(withMulticastGroup(spec(ipv4("VI_2", 2, 200, "192.0.2.102/24"),
                "eth0", "192.0.2.1"), "224.0.0.19"), "192.0.2.2"));

        assertThat(a.router("VI_1").destination(0)).isEqualTo(InetAddress.ofLiteral("224.0.0.18"));
        assertThat(a.router("VI_6").destination(0)).isEqualTo(InetAddress.ofLiteral("ff02::12"));
        assertThat(a.router("VI_2").destination(0)).isEqualTo(InetAddress.ofLiteral("192.0.2.2"));
    }

    @Test
    void aReloadToAnotherGroupIsAChangeInPlace() {
        Host a = lan.add("a", router("224.0.0.19"));
        lan.startAll();
        lan.runFor(5 * SECOND);
        int transitions = a.transitions("VI_1").size();

        ConfigDiff diff = lan.reconfigure(a, new NodeConfig(List.of(router("239.255.0.18")), List.of()));

        assertThat(diff.changed()).singleElement().satisfies(c ->
                assertThat(c.changes()).containsExactly(ConfigDiff.Change.MULTICAST_GROUP));
        assertThat(a.router("VI_1").destination(0)).isEqualTo(InetAddress.ofLiteral("239.255.0.18"));
        assertThat(a.transitions("VI_1")).hasSize(transitions);
        assertThat(ConfigDiff.between(new NodeConfig(List.of(router("224.0.0.18")), List.of()),
                new NodeConfig(List.of(spec(ipv4("VI_1", 1, 200, "192.0.2.101/24"), "eth0", "192.0.2.1")), List.of()))
                .isEmpty()).as("the RFC group spelled out is no change").isTrue();
    }

    @Test
    void aGroupThatIsNotMulticastOfTheRoutersFamilyIsRefused() {
        assertThatThrownBy(() -> router("192.0.2.19")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("multicastGroup 192.0.2.19 is not an IPv4 multicast address (224.0.0.0/4) for the router VI_1");
        assertThatThrownBy(() -> router("ff02::12")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("multicastGroup ff02:0:0:0:0:0:0:12 is not an IPv4 multicast address");
    }
}
