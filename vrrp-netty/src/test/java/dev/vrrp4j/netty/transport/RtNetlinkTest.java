package dev.vrrp4j.netty.transport;

import dev.vrrp4j.netty.testing.NetnsLan;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Virtual address changes and interface queries through rtnetlink, checked against iproute2. */
class RtNetlinkTest {
    private static NetnsLan lan;
    private static String host;

    @BeforeAll
    static void createLan() {
        lan = NetnsLan.create(1);
        host = lan.host(0);
    }

    @AfterAll
    static void closeLan() {
        if (lan != null) {
            lan.close();
        }
    }

    private String addresses() {
        return lan.run("ip", "-n", host, "-o", "addr", "show", "dev", "eth0");
    }

    @Test
    void ipv4AddressIsAddedOnceAndRemovedOnce() throws Exception {
        InetAddress vip = InetAddress.getByName("192.0.2.100");
        try (RtNetlink netlink = lan.runIn(host, RtNetlink::open)) {
            assertThat(netlink.addAddress("eth0", vip, 24)).isTrue();
            assertThat(addresses()).contains("inet 192.0.2.100/24");

            assertThat(netlink.addAddress("eth0", vip, 24)).as("already present: no error").isFalse();

            assertThat(netlink.deleteAddress("eth0", vip, 24)).isTrue();
            assertThat(addresses()).doesNotContain("192.0.2.100");
            assertThat(addresses()).as("the host's own address stays").contains("inet 192.0.2.10/24");

            assertThat(netlink.deleteAddress("eth0", vip, 24)).as("already absent: no error").isFalse();
        }
    }

    @Test
    void addressIsAddedAndRemovedByInterfaceIndex() throws Exception {
        InetAddress vip = InetAddress.getByName("192.0.2.101");
        try (RtNetlink netlink = lan.runIn(host, RtNetlink::open)) {
            int index = netlink.link("eth0").index();
            assertThat(netlink.addAddress(index, "eth0", vip, 24)).isTrue();
            assertThat(addresses()).contains("inet 192.0.2.101/24");
            assertThat(netlink.addAddress(index, "eth0", vip, 24)).isFalse();
            assertThat(netlink.deleteAddress(index, "eth0", vip, 24)).isTrue();
            assertThat(addresses()).doesNotContain("192.0.2.101");
            assertThat(netlink.deleteAddress(index, "eth0", vip, 24)).isFalse();
            // A stale index (the interface was deleted and created again) fails, naming the interface.
            assertThatThrownBy(() -> netlink.addAddress(9999, "eth0", vip, 24))
                    .isInstanceOfSatisfying(NativeException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENODEV))
                    .hasMessageStartingWith("RTM_NEWADDR 192.0.2.101/24 dev eth0 failed: ENODEV");
        }
    }

    @Test
    void ipv6AddressIsAddedWithoutDadAndRemoved() throws Exception {
        InetAddress vip = InetAddress.getByName("2001:db8::100");
        // DAD is on for this interface, so only IFA_F_NODAD keeps the address from being tentative.
        lan.run("ip", "netns", "exec", host, "sysctl", "-qw", "net.ipv6.conf.eth0.accept_dad=1");
        try (RtNetlink netlink = lan.runIn(host, RtNetlink::open)) {
            assertThat(netlink.addAddress("eth0", vip, 64)).isTrue();
            String line = addresses().lines().filter(l -> l.contains("2001:db8::100/64")).findFirst().orElseThrow();
            assertThat(line).contains("nodad").doesNotContain("tentative");

            assertThat(netlink.addAddress("eth0", vip, 64)).isFalse();
            assertThat(netlink.deleteAddress("eth0", vip, 64)).isTrue();
            assertThat(addresses()).doesNotContain("2001:db8::100");
            assertThat(netlink.deleteAddress("eth0", vip, 64)).isFalse();
        } finally {
            lan.run("ip", "netns", "exec", host, "sysctl", "-qw", "net.ipv6.conf.eth0.accept_dad=0");
        }
    }

    @Test
    void unknownInterfaceIsNamedInTheError() throws Exception {
        try (RtNetlink netlink = lan.runIn(host, RtNetlink::open)) {
            assertThatThrownBy(() -> netlink.addAddress("eth9", InetAddress.getByName("192.0.2.100"), 24))
                    .isInstanceOfSatisfying(NativeException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENODEV))
                    .hasMessage("RTM_NEWADDR 192.0.2.100/24 dev eth9 failed: ENODEV (No such device)");
            assertThatThrownBy(() -> netlink.link("eth9"))
                    .hasMessageStartingWith("RTM_GETLINK eth9 failed: ENODEV");
        }
    }

    @Test
    void kernelRefusalIsReportedWithAddressInterfaceAndErrno() throws Exception {
        try (RtNetlink netlink = lan.runIn(host, RtNetlink::open)) {
            // A multicast address is no interface address; the kernel says why in an extended ack.
            assertThatThrownBy(() -> netlink.addAddress("eth0", InetAddress.getByName("ff0e::1"), 64))
                    .isInstanceOf(NativeException.class)
                    .hasMessageStartingWith("RTM_NEWADDR ff0e:0:0:0:0:0:0:1/64 dev eth0 failed: EADDRNOTAVAIL"
                            + " (Cannot assign requested address) (kernel: ")
                    .hasMessageContaining("multicast");
            assertThatThrownBy(() -> netlink.addAddress("eth0", InetAddress.getByName("192.0.2.100"), 33))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("prefix length 33 of 192.0.2.100 out of range 0..32");
        }
    }

    @Test
    void linkQueriesMatchIproute2() throws Exception {
        try (RtNetlink netlink = lan.runIn(host, RtNetlink::open)) {
            LinkInfo link = netlink.link("eth0");
            String ipLink = lan.run("ip", "-n", host, "-o", "link", "show", "dev", "eth0");

            assertThat(ipLink).startsWith(link.index() + ": eth0@");
            assertThat(link.hardwareAddress()).hasToString(lan.macAddress(host, "eth0"));
            assertThat(link.up()).isTrue();
            assertThat(link.running()).isTrue();
            assertThat(netlink.primaryIpv4Address("eth0")).contains(NetnsLan.ipv4(0));
            Inet6Address linkLocal = netlink.ipv6LinkLocalAddress("eth0").orElseThrow();
            assertThat(linkLocal.getHostAddress()).startsWith(lan.linkLocalAddress(host, "eth0").replace("::", ":0:0:0:"));
            assertThat(linkLocal.getScopeId()).isEqualTo(link.index());
            assertThat(netlink.primaryIpv4Address("lo")).contains((Inet4Address) InetAddress.getByName("127.0.0.1"));
            assertThat(netlink.ipv6LinkLocalAddress("lo")).isEmpty();
        }
    }

    @Test
    void secondaryAddressIsNotPrimary() throws Exception {
        try (RtNetlink netlink = lan.runIn(host, RtNetlink::open)) {
            netlink.addAddress("eth0", InetAddress.getByName("192.0.2.200"), 24);
            try {
                assertThat(addresses()).contains("inet 192.0.2.200/24").contains("secondary");
                assertThat(netlink.primaryIpv4Address("eth0")).contains(NetnsLan.ipv4(0));
            } finally {
                netlink.deleteAddress("eth0", InetAddress.getByName("192.0.2.200"), 24);
            }
        }
    }
}
