package dev.vrrp4j.core.node;

import dev.vrrp4j.core.node.NodeLan.Host;
import dev.vrrp4j.core.packet.AddressFamily;
import dev.vrrp4j.core.packet.Advertisement;
import dev.vrrp4j.core.packet.AdvertisementCodec;
import dev.vrrp4j.core.router.State;
import dev.vrrp4j.core.router.VirtualAddress;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static dev.vrrp4j.core.node.NodeLan.SECOND;
import static dev.vrrp4j.core.node.NodeLan.ipv4;
import static dev.vrrp4j.core.node.NodeLan.spec;
import static dev.vrrp4j.core.node.NodeLan.withExcluded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * keepalived's {@code virtual_ipaddress_excluded} ({@link RouterSpec#excludedAddresses()}) on the
 * simulated LAN: installed and removed with the virtual addresses, never in an advertisement.
 */
class ExcludedAddressesTest {
    private final NodeLan lan = new NodeLan();

    private static RouterSpec router(int priority, String source, String... excluded) {
        return withExcluded(spec(ipv4("VI_1", 1, priority, "192.0.2.101/24"), "eth0", source), excluded);
    }

    private static NodeConfig node(RouterSpec spec) {
        return new NodeConfig(List.of(spec), List.of());
    }

    private static VirtualAddress a(String text) {
        return VirtualAddress.parse(text);
    }

    /** The addresses in the advertisement the router sends now, decoded as a peer would. */
    private static List<InetAddress> advertised(NodeRouter router) throws Exception {
        ByteBuffer out = ByteBuffer.allocate(1024);
        router.encodeAdvertisement(router.priority(), 0, out);
        Advertisement decoded = new Advertisement();
        AdvertisementCodec.decodeMessage(out, AddressFamily.IPV4, router.sourceAddress().getAddress(),
                router.destination(0).getAddress(), 255, decoded);
        List<InetAddress> addresses = new ArrayList<>();
        for (int i = 0; i < decoded.addressCount(); i++) {
            addresses.add(decoded.address(i));
        }
        return addresses;
    }

    @Test
    void theActiveInstallsTheExcludedAddressesOfBothFamiliesWithItsVipsAndAdvertisesOnlyTheVips() throws Exception {
        Host a = lan.add("a", router(200, "192.0.2.1", "198.51.100.7/24", "2001:db8::7/64"));
        Host b = lan.add("b", router(100, "192.0.2.2", "198.51.100.7/24", "2001:db8::7/64"));
        lan.startAll();
        lan.runFor(5 * SECOND);

        assertThat(a.state("VI_1")).isEqualTo(State.ACTIVE);
        assertThat(a.installed.get("VI_1")).containsExactlyInAnyOrder(a("192.0.2.101/24"), a("198.51.100.7/24"),
                a("2001:db8::7/64"));
        assertThat(b.installed.getOrDefault("VI_1", java.util.Set.of())).isEmpty();
        assertThat(advertised(a.router("VI_1"))).containsExactly(InetAddress.ofLiteral("192.0.2.101"));

        lan.kill(a);
        lan.runFor(5 * SECOND);
        assertThat(b.installed.get("VI_1")).as("the Backup that takes over installs them too")
                .containsExactlyInAnyOrder(a("192.0.2.101/24"), a("198.51.100.7/24"), a("2001:db8::7/64"));
        lan.shutdown(b);
        assertThat(b.installed.get("VI_1")).as("leaving removes them with the VIPs").isEmpty();
    }

    @Test
    void aReloadChangesAnActivesExcludedAddressesInPlaceWithoutAnAdvertisementOrATransition() {
        Host a = lan.add("a", router(200, "192.0.2.1", "198.51.100.7/24", "198.51.100.8/24"));
        lan.startAll();
        lan.runFor(5 * SECOND + 500 * NodeLan.MS);
        int transitions = a.transitions("VI_1").size();
        long lastSent = lan.sentBy(a, "VI_1").getLast().atNanos();

        ConfigDiff diff = lan.reconfigure(a, node(router(200, "192.0.2.1", "198.51.100.8/24", "2001:db8::9/64")));

        assertThat(diff.changed()).singleElement().satisfies(c ->
                assertThat(c.changes()).containsExactly(ConfigDiff.Change.EXCLUDED_ADDRESSES));
        assertThat(a.effects).filteredOn(e -> e instanceof NodeEffect.UpdateVirtualAddresses).singleElement()
                .satisfies(e -> {
                    NodeEffect.UpdateVirtualAddresses update = (NodeEffect.UpdateVirtualAddresses) e;
                    assertThat(update.removed()).containsExactly(a("198.51.100.7/24"));
                    assertThat(update.added()).containsExactly(a("2001:db8::9/64"));
                });
        assertThat(a.installed.get("VI_1")).containsExactlyInAnyOrder(a("192.0.2.101/24"), a("198.51.100.8/24"),
                a("2001:db8::9/64"));
        assertThat(a.transitions("VI_1")).hasSize(transitions);
        assertThat(lan.sentBy(a, "VI_1").getLast().atNanos()).as("nothing new to advertise").isEqualTo(lastSent);
    }

    @Test
    void anAddressMovedFromTheExcludedListToTheVipsStaysOnTheInterface() {
        Host a = lan.add("a", router(200, "192.0.2.1", "192.0.2.102/24"));
        lan.startAll();
        lan.runFor(5 * SECOND);

        lan.reconfigure(a, node(spec(ipv4("VI_1", 1, 200, "192.0.2.101/24", "192.0.2.102/24"), "eth0", "192.0.2.1")));

        assertThat(a.effects).filteredOn(e -> e instanceof NodeEffect.UpdateVirtualAddresses).singleElement()
                .satisfies(e -> {
                    NodeEffect.UpdateVirtualAddresses update = (NodeEffect.UpdateVirtualAddresses) e;
                    assertThat(update.removed()).isEmpty();
                    assertThat(update.added()).isEmpty();
                });
        assertThat(a.installed.get("VI_1")).containsExactlyInAnyOrder(a("192.0.2.101/24"), a("192.0.2.102/24"));
        assertThat(lan.sentBy(a, "VI_1").getLast().atNanos()).as("the VIP list changed: advertised at once")
                .isEqualTo(lan.now());
    }

    @Test
    void aReloadOfABackupsExcludedAddressesInstallsNothing() {
        Host a = lan.add("a", router(200, "192.0.2.1", "198.51.100.7/24"));
        Host b = lan.add("b", router(100, "192.0.2.2", "198.51.100.7/24"));
        lan.startAll();
        lan.runFor(5 * SECOND);

        lan.reconfigure(b, node(router(100, "192.0.2.2", "198.51.100.9/24")));
        lan.runFor(SECOND);

        assertThat(b.effects).noneMatch(e -> e instanceof NodeEffect.UpdateVirtualAddresses);
        assertThat(b.installed.getOrDefault("VI_1", java.util.Set.of())).isEmpty();
        lan.kill(a);
        lan.runFor(5 * SECOND);
        assertThat(b.installed.get("VI_1")).as("the new list when it takes over")
                .containsExactlyInAnyOrder(a("192.0.2.101/24"), a("198.51.100.9/24"));
    }

    @Test
    void anExcludedAddressThatIsAlsoAVipOrListedTwiceIsRefused() {
        assertThatThrownBy(() -> router(100, "192.0.2.1", "192.0.2.101/32"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("excludedAddresses: 192.0.2.101 is listed twice or is also a virtual address of VI_1");
        assertThatThrownBy(() -> router(100, "192.0.2.1", "2001:db8::7/64", "2001:db8::7/128"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2001:db8:0:0:0:0:0:7 is listed twice");
    }
}
