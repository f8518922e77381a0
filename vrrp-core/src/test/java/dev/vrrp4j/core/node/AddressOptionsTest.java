package dev.vrrp4j.core.node;

import dev.vrrp4j.core.node.NodeLan.Host;
import dev.vrrp4j.core.packet.AddressFamily;
import dev.vrrp4j.core.router.AddressOptions;
import dev.vrrp4j.core.router.RouterConfig;
import dev.vrrp4j.core.router.State;
import dev.vrrp4j.core.router.VirtualAddress;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;

import static dev.vrrp4j.core.node.NodeLan.SECOND;
import static dev.vrrp4j.core.node.NodeLan.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Virtual addresses with install options ({@link AddressOptions}: keepalived's {@code dev},
 * {@code label}, {@code brd}, {@code scope}, {@code no_track}) on the simulated LAN: the
 * advertisement lists every address whatever its interface, the interface of an address not marked
 * no_track is tracked as keepalived tracks it (down means Fault), and a reload that changes an
 * option of an Active's address replaces that address.
 */
class AddressOptionsTest {
    private final NodeLan lan = new NodeLan();

    private static VirtualAddress vip(String text, AddressOptions options) {
        return VirtualAddress.parse(text).withOptions(options);
    }

    private static RouterConfig config(int priority, VirtualAddress... vips) {
        return RouterConfig.builder("VI_1", AddressFamily.IPV4, 1).priority(priority).advertIntervalCentis(100)
                .virtualAddresses(List.of(vips)).build();
    }

    private static NodeConfig node(RouterSpec spec) {
        return new NodeConfig(List.of(spec), List.of());
    }

    @Test
    void optionsAreValidatedWithTheFieldTheValueAndTheRange() {
        assertThatThrownBy(() -> AddressOptions.DEFAULT.withScope(256))
                .hasMessage("scope 256 out of range 0..255");
        assertThatThrownBy(() -> AddressOptions.DEFAULT.withLabel("abcdefghijklmnop"))
                .hasMessageStartingWith("label 'abcdefghijklmnop' length 16 out of range 1..15");
        assertThatThrownBy(() -> AddressOptions.onDevice("a/b")).hasMessageStartingWith("device 'a/b' length 3");
        assertThatThrownBy(() -> vip("2001:db8::1/64", AddressOptions.DEFAULT.withLabel("eth0:1")))
                .hasMessageContaining("labels are IPv4 only");
        assertThatThrownBy(() -> vip("2001:db8::1/64", AddressOptions.DEFAULT.withScope(AddressOptions.SCOPE_LINK)))
                .hasMessageContaining("scope 253 of 2001:db8:0:0:0:0:0:1");
        assertThat(vip("192.0.2.9/24", AddressOptions.onDevice("lo").withLabel("lo:9")
                .withScope(AddressOptions.SCOPE_HOST).withNoTrack(true)))
                .hasToString("192.0.2.9/24 dev lo label lo:9 scope host no_track");
    }

    @Test
    void theAdvertisementListsAddressesOnOtherInterfacesAndTheirInterfaceIsTracked() {
        RouterSpec spec = spec(config(150, VirtualAddress.parse("192.0.2.101/24"),
                vip("198.51.100.1/32", AddressOptions.onDevice("dummy0").withLabel("dummy0:v")),
                vip("203.0.113.1/32", AddressOptions.onDevice("lo").withNoTrack(true))), "eth0", "192.0.2.1");
        assertThat(spec.addressInterfaces()).as("lo is no_track").containsExactly("dummy0");
        assertThat(spec.trackedInterfaceNames()).containsExactly("dummy0");

        Host a = lan.add("a", spec);
        Host b = lan.add("b", spec(config(100, VirtualAddress.parse("192.0.2.101/24"),
                vip("198.51.100.1/32", AddressOptions.onDevice("dummy0").withLabel("dummy0:v")),
                vip("203.0.113.1/32", AddressOptions.onDevice("lo").withNoTrack(true))), "eth0", "192.0.2.2"));
        assertThat(a.node.trackedInterfaces()).containsExactly("dummy0");
        lan.startAll();
        lan.runFor(10 * SECOND);
        assertThat(lan.holders("VI_1")).containsExactly(a);
        ByteBuffer message = ByteBuffer.allocate(1500);
        a.router("VI_1").encodeAdvertisement(150, 0, message);
        assertThat(message.get(3)).as("Count IPvX Addr: every address, whatever its dev").isEqualTo((byte) 3);
        byte[] addresses = new byte[12];
        message.get(8, addresses); // the addresses follow the 8-byte header (RFC 9568 §5.1)
        assertThat(addresses).containsExactly(192, 0, 2, 101, 198, 51, 100, 1, 203, 0, 113, 1);

        lan.trackedInterface(a, "dummy0", false);
        lan.runFor(5 * SECOND);
        assertThat(a.state("VI_1")).as("the interface of a tracked address went down").isEqualTo(State.FAULT);
        assertThat(lan.holders("VI_1")).containsExactly(b);

        lan.trackedInterface(a, "dummy0", true);
        lan.runFor(10 * SECOND);
        assertThat(lan.holders("VI_1")).as("a preempts again").containsExactly(a);
    }

    @Test
    void noTrackAddressesAndOnesOnTheRoutersOwnInterfaceTrackNothing() {
        RouterSpec spec = spec(config(150, vip("192.0.2.101/24", AddressOptions.onDevice("eth0").withLabel("eth0:1")),
                vip("203.0.113.1/32", AddressOptions.onDevice("lo").withNoTrack(true))), "eth0", "192.0.2.1");
        assertThat(spec.addressInterfaces()).isEmpty();
        Host a = lan.add("a", spec);
        assertThat(a.node.trackedInterfaces()).isEmpty();
        lan.startAll();
        lan.runFor(10 * SECOND);

        lan.trackedInterface(a, "lo", false); // not tracked: ignored
        lan.runFor(5 * SECOND);
        assertThat(a.state("VI_1")).isEqualTo(State.ACTIVE);
    }

    @Test
    void aTrackInterfaceWithAWeightKeepsItsWeightForTheInterfaceOfAnAddress() {
        RouterSpec plain = spec(config(150, vip("198.51.100.1/32", AddressOptions.onDevice("wan0"))), "eth0",
                "192.0.2.1");
        RouterSpec weighted = NodeLan.withWeightedInterface(plain, "wan0", -60);
        assertThat(plain.addressInterfaces()).containsExactly("wan0");
        assertThat(weighted.addressInterfaces()).isEmpty();
        assertThat(weighted.trackedInterfaceNames()).containsExactly("wan0");
    }

    @Test
    void aReloadThatChangesAnOptionOfAnActivesAddressReplacesIt() {
        VirtualAddress before = vip("198.51.100.1/32", AddressOptions.onDevice("lo").withLabel("lo:a"));
        VirtualAddress after = vip("198.51.100.1/32", AddressOptions.onDevice("lo").withLabel("lo:b")
                .withScope(AddressOptions.SCOPE_HOST));
        Host a = lan.add("a", spec(config(200, VirtualAddress.parse("192.0.2.101/24"), before), "eth0", "192.0.2.1"));
        lan.startAll();
        lan.runFor(5 * SECOND);
        int transitions = a.transitions("VI_1").size();

        ConfigDiff diff = lan.reconfigure(a, node(spec(config(200, VirtualAddress.parse("192.0.2.101/24"), after),
                "eth0", "192.0.2.1")));

        assertThat(diff.changed()).singleElement().satisfies(c -> assertThat(c.changes())
                .containsExactly(ConfigDiff.Change.VIRTUAL_ADDRESSES));
        assertThat(a.effects).filteredOn(e -> e instanceof NodeEffect.UpdateVirtualAddresses).singleElement()
                .satisfies(e -> {
                    NodeEffect.UpdateVirtualAddresses update = (NodeEffect.UpdateVirtualAddresses) e;
                    assertThat(update.removed()).containsExactly(before);
                    assertThat(update.added()).containsExactly(after);
                });
        assertThat(a.transitions("VI_1")).as("no flap").hasSize(transitions);
    }

    @Test
    void aReloadThatMovesAnAddressToAnotherInterfaceTracksTheNewOne() {
        RouterSpec before = spec(config(200, vip("198.51.100.1/32", AddressOptions.onDevice("dummy0"))), "eth0",
                "192.0.2.1");
        RouterSpec after = spec(config(200, vip("198.51.100.1/32", AddressOptions.onDevice("dummy1"))), "eth0",
                "192.0.2.1");
        Host a = lan.add("a", before);
        lan.startAll();
        lan.runFor(5 * SECOND);

        ConfigDiff diff = lan.reconfigure(a, node(after));

        assertThat(diff.changed()).singleElement().satisfies(c -> assertThat(c.changes())
                .contains(ConfigDiff.Change.VIRTUAL_ADDRESSES, ConfigDiff.Change.TRACKED_INTERFACES));
        assertThat(a.node.trackedInterfaces()).containsExactly("dummy1");
    }
}
