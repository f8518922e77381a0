package dev.vrrp4j.netty.transport;

import dev.vrrp4j.core.router.AddressOptions;
import dev.vrrp4j.netty.testing.NetnsLan;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.Inet4Address;
import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * IFA_LABEL, IFA_BROADCAST and ifa_scope through rtnetlink (keepalived's {@code label}, {@code brd}
 * and {@code scope}), on {@code lo} and a NOARP interface standing in for a dummy as well as on an Ethernet one, checked
 * against {@code ip -o addr}; and the link flags that say whether an interface can announce.
 */
class RtNetlinkAddressOptionsTest {
    private static NetnsLan lan;
    private static String host;

    @BeforeAll
    static void createLan() {
        lan = NetnsLan.create(1);
        host = lan.host(0);
        // an ifb interface stands in for a dummy one: both are NOARP Ethernet-like links, and this
        // kernel may lack the dummy module ("Unknown device type")
        lan.run("ip", "-n", host, "link", "add", "dummy0", "type", "ifb");
        lan.run("ip", "-n", host, "link", "set", "dummy0", "up");
        lan.run("ip", "-n", host, "link", "set", "lo", "up");
    }

    @AfterAll
    static void closeLan() {
        if (lan != null) {
            lan.close();
        }
    }

    private String line(String device, String address) {
        return lan.run("ip", "-n", host, "-o", "addr", "show", "dev", device).lines()
                .filter(l -> l.contains(" " + address + "/")).findFirst().orElse("");
    }

    @Test
    void labelBroadcastAndScopeAreInstalledOnADummyAndRemovedWithoutThem() throws Exception {
        InetAddress vip = InetAddress.getByName("198.51.100.7");
        AddressOptions options = AddressOptions.DEFAULT.withLabel("dummy0:vip")
                .withBroadcast((Inet4Address) InetAddress.getByName("198.51.100.255"))
                .withScope(AddressOptions.SCOPE_SITE);
        try (RtNetlink netlink = lan.runIn(host, RtNetlink::open)) {
            assertThat(netlink.addAddress("dummy0", vip, 24, options)).isTrue();
            assertThat(line("dummy0", "198.51.100.7"))
                    .contains("inet 198.51.100.7/24 brd 198.51.100.255 scope site dummy0:vip");

            assertThat(netlink.addAddress("dummy0", vip, 24, options)).as("already present: no error").isFalse();
            assertThat(netlink.deleteAddress("dummy0", vip, 24)).as("removed by address and prefix").isTrue();
            assertThat(line("dummy0", "198.51.100.7")).isEmpty();
        }
    }

    @Test
    void aHostScopedAddressGoesOnLoopbackByIndex() throws Exception {
        InetAddress vip = InetAddress.getByName("203.0.113.9");
        try (RtNetlink netlink = lan.runIn(host, RtNetlink::open)) {
            int index = netlink.link("lo").index();
            assertThat(netlink.addAddress(index, "lo", vip, 32,
                    AddressOptions.DEFAULT.withScope(AddressOptions.SCOPE_HOST).withLabel("lo:9"))).isTrue();
            assertThat(line("lo", "203.0.113.9")).contains("inet 203.0.113.9/32 scope host lo:9")
                    .doesNotContain("brd");
            assertThat(netlink.deleteAddress(index, "lo", vip, 32)).isTrue();
        }
    }

    @Test
    void withoutOptionsThereIsNoBroadcastAndGlobalScopeAsKeepalivedInstalls() throws Exception {
        InetAddress vip = InetAddress.getByName("192.0.2.77");
        try (RtNetlink netlink = lan.runIn(host, RtNetlink::open)) {
            assertThat(netlink.addAddress("eth0", vip, 24, AddressOptions.DEFAULT)).isTrue();
            assertThat(line("eth0", "192.0.2.77")).contains("inet 192.0.2.77/24 scope global secondary eth0")
                    .doesNotContain("brd");
            assertThat(netlink.deleteAddress("eth0", vip, 24)).isTrue();
        }
    }

    @Test
    void aLabelThatDoesNotStartWithTheInterfaceNameIsTakenByTheKernelAsGiven() throws Exception {
        // keepalived passes any label of up to 15 characters to the kernel; only iproute2's own
        // command line insists on the ifconfig form <dev>:<text>
        InetAddress vip = InetAddress.getByName("198.51.100.8");
        try (RtNetlink netlink = lan.runIn(host, RtNetlink::open)) {
            assertThat(netlink.addAddress("dummy0", vip, 32, AddressOptions.DEFAULT.withLabel("other"))).isTrue();
            assertThat(line("dummy0", "198.51.100.8")).endsWith("other\\       valid_lft forever preferred_lft forever");
            assertThat(netlink.deleteAddress("dummy0", vip, 32)).isTrue();
        }
    }

    @Test
    void loopbackAndDummyCannotAnnounceAndEthernetCan() throws Exception {
        try (RtNetlink netlink = lan.runIn(host, RtNetlink::open)) {
            assertThat(netlink.link("lo").arp()).as("IFF_LOOPBACK").isFalse();
            assertThat(netlink.link("dummy0").arp()).as("IFF_NOARP").isFalse();
            assertThat(netlink.link("eth0").arp()).isTrue();
        }
    }
}
