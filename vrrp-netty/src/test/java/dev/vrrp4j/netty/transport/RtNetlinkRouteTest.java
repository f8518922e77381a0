package dev.vrrp4j.netty.transport;

import dev.vrrp4j.core.packet.AddressFamily;
import dev.vrrp4j.core.router.IpRoute;
import dev.vrrp4j.core.router.IpRule;
import dev.vrrp4j.netty.testing.NetnsLan;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Routes and policy rules (keepalived {@code virtual_routes} / {@code virtual_rules}) added and removed
 * through rtnetlink in a network namespace, read back with iproute2.
 */
class RtNetlinkRouteTest {
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

    private static InetAddress ip(String literal) {
        return InetAddress.ofLiteral(literal);
    }

    private String routes(String family, long table) {
        return lan.run("ip", "-n", host, family, "route", "show", "table", Long.toString(table));
    }

    private String rules(String family) {
        return lan.run("ip", "-n", host, family, "rule", "show");
    }

    @Test
    void anIpv4RouteWithGatewaySourceAndMetricIsAddedOnceAndRemovedOnce() throws Exception {
        IpRoute route = new IpRoute(IpRoute.Type.UNICAST, ip("198.51.100.0"), 24, ip("192.0.2.10"), ip("192.0.2.1"),
                "eth0", 100, 7, 0, IpRoute.PROTOCOL_KEEPALIVED);
        try (RtNetlink netlink = lan.runIn(host, RtNetlink::open)) {
            assertThat(netlink.addRoute(route)).isTrue();
            assertThat(routes("-4", 100)).contains("198.51.100.0/24 via 192.0.2.1 dev eth0 proto keepalived src 192.0.2.10 metric 7");
            assertThat(netlink.addRoute(route)).as("already present: no error").isFalse();

            assertThat(netlink.deleteRoute(route)).isTrue();
            assertThat(routes("-4", 100)).doesNotContain("198.51.100.0/24");
            assertThat(netlink.deleteRoute(route)).as("already absent: no error").isFalse();
        }
    }

    @Test
    void aRouteOfAnotherProtocolIsNotRemoved() throws Exception {
        lan.run("ip", "-n", host, "route", "add", "203.0.113.0/24", "dev", "eth0", "table", "110", "proto", "static");
        try (RtNetlink netlink = lan.runIn(host, RtNetlink::open)) {
            IpRoute ours = new IpRoute(IpRoute.Type.UNICAST, ip("203.0.113.0"), 24, null, null, "eth0", 110, -1, 0,
                    IpRoute.PROTOCOL_KEEPALIVED);
            assertThat(netlink.deleteRoute(ours)).isFalse();
            assertThat(routes("-4", 110)).contains("203.0.113.0/24 dev eth0 proto static");
        } finally {
            lan.run("ip", "-n", host, "route", "flush", "table", "110");
        }
    }

    @Test
    void blackholeDefaultAndIpv6RoutesInATableAbove255() throws Exception {
        IpRoute blackhole = new IpRoute(IpRoute.Type.BLACKHOLE, ip("198.51.101.0"), 24, null, null, null, 120, -1, 0,
                IpRoute.PROTOCOL_KEEPALIVED);
        IpRoute defaultRoute = new IpRoute(IpRoute.Type.UNICAST, ip("0.0.0.0"), 0, null, ip("192.0.2.1"), null, 120, -1,
                0, IpRoute.PROTOCOL_KEEPALIVED);
        IpRoute v6 = new IpRoute(IpRoute.Type.UNICAST, ip("2001:db8:1::"), 64, null, ip("2001:db8::1"), "eth0", 1000, -1,
                0, IpRoute.PROTOCOL_KEEPALIVED);
        IpRoute unreachable = new IpRoute(IpRoute.Type.UNREACHABLE, ip("2001:db8:2::"), 48, null, null, null, 1000, -1,
                0, IpRoute.PROTOCOL_KEEPALIVED);
        try (RtNetlink netlink = lan.runIn(host, RtNetlink::open)) {
            for (IpRoute route : new IpRoute[] {blackhole, defaultRoute, v6, unreachable}) {
                assertThat(netlink.addRoute(route)).as("%s", route).isTrue();
            }
            assertThat(routes("-4", 120)).contains("blackhole 198.51.101.0/24 proto keepalived")
                    .contains("default via 192.0.2.1 dev eth0 proto keepalived");
            assertThat(routes("-6", 1000)).contains("2001:db8:1::/64 via 2001:db8::1 dev eth0 proto keepalived")
                    .contains("unreachable 2001:db8:2::/48 dev lo proto keepalived");
            for (IpRoute route : new IpRoute[] {blackhole, defaultRoute, v6, unreachable}) {
                assertThat(netlink.deleteRoute(route)).as("%s", route).isTrue();
            }
            assertThat(routes("-4", 120)).isBlank();
            assertThat(routes("-6", 1000)).isBlank();
        }
    }

    @Test
    void aRouteOnAMissingDeviceFailsNamingTheCallAndErrno() throws Exception {
        IpRoute route = new IpRoute(IpRoute.Type.UNICAST, ip("198.51.100.0"), 24, null, null, "nosuch0", 100, -1, 0,
                IpRoute.PROTOCOL_KEEPALIVED);
        try (RtNetlink netlink = lan.runIn(host, RtNetlink::open)) {
            assertThatThrownBy(() -> netlink.addRoute(route))
                    .isInstanceOfSatisfying(NativeException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENODEV))
                    .hasMessageStartingWith("RTM_NEWROUTE 198.51.100.0/24 dev nosuch0 table 100 failed: ENODEV");
            assertThat(netlink.deleteRoute(route)).as("gone with its device").isFalse();
        }
    }

    @Test
    void rulesOfBothFamiliesAreAddedOnceAndRemovedOnce() throws Exception {
        IpRule fromTable = new IpRule(AddressFamily.IPV4, ip("192.0.2.0"), 24, ip("198.51.100.0"), 24,
                IpRule.Action.TABLE, 100, 100, "eth0", null, 0x10, 0xff);
        IpRule prohibit = new IpRule(AddressFamily.IPV4, null, 0, ip("203.0.113.0"), 24, IpRule.Action.PROHIBIT, 0,
                101, null, "eth0", -1, -1);
        IpRule v6 = new IpRule(AddressFamily.IPV6, ip("2001:db8::"), 32, null, 0, IpRule.Action.TABLE, 1000, 102, null,
                null, -1, -1);
        try (RtNetlink netlink = lan.runIn(host, RtNetlink::open)) {
            for (IpRule rule : new IpRule[] {fromTable, prohibit, v6}) {
                assertThat(netlink.addRule(rule)).as("%s", rule).isTrue();
                assertThat(netlink.addRule(rule)).as("again: %s", rule).isFalse();
            }
            assertThat(rules("-4")).contains("100:\tfrom 192.0.2.0/24 to 198.51.100.0/24 fwmark 0x10/0xff iif eth0"
                    + " lookup 100 proto keepalived")
                    .contains("101:\tfrom all to 203.0.113.0/24 oif eth0 prohibit proto keepalived");
            assertThat(rules("-6")).contains("102:\tfrom 2001:db8::/32 lookup 1000 proto keepalived");
            for (IpRule rule : new IpRule[] {fromTable, prohibit, v6}) {
                assertThat(netlink.deleteRule(rule)).as("%s", rule).isTrue();
                assertThat(netlink.deleteRule(rule)).as("again: %s", rule).isFalse();
            }
            assertThat(rules("-4")).doesNotContain("192.0.2.0/24", "203.0.113.0/24");
            assertThat(rules("-6")).doesNotContain("2001:db8::/32");
        }
    }
}
