package dev.vrrp4j.core.config;

import dev.vrrp4j.core.packet.AddressFamily;
import dev.vrrp4j.core.router.IpRoute;
import dev.vrrp4j.core.router.IpRule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code virtual_routes}, {@code virtual_rules}, {@code static_routes}, {@code static_rules}: keepalived's
 * options read into the routes and rules the node installs, with keepalived's defaults; what vrrp4j
 * cannot install is an error naming the line, the option and the value.
 */
class RoutesAndRulesConfigTest {

    /** An instance whose line 9 is the first line inside {@code block}. */
    private static String instance(String block, String... lines) {
        return "vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n    version 3\n"
                + "    virtual_ipaddress {\n        192.0.2.100/24\n    }\n    " + block + " {\n        "
                + String.join("\n        ", lines) + "\n    }\n}\n";
    }

    private static InetAddress ip(String literal) {
        return InetAddress.ofLiteral(literal);
    }

    @Test
    void virtualRoutesOfBothFamiliesAndOnAnyDeviceAreReadWithKeepalivedsDefaults() throws Exception {
        KeepalivedConfig config = Resources.parse(instance("virtual_routes",
                "198.51.100.0/24 via 192.0.2.1 dev eth1 table 100 metric 5",
                "src 192.0.2.100 to 203.0.113.0/24 dev eth0 scope link",
                "blackhole 198.51.101.0/24 table 101",
                "2001:db8:1::/64 via 2001:db8::1 table 150",
                "default gw 192.0.2.254 table 100",
                "inet6 unreachable default table 120",
                "198.51.102.0/24 table 0 protocol static"));

        assertThat(config.instances().getFirst().virtualRoutes()).containsExactly(
                new IpRoute(IpRoute.Type.UNICAST, ip("198.51.100.0"), 24, null, ip("192.0.2.1"), "eth1", 100, 5, 0, 18),
                new IpRoute(IpRoute.Type.UNICAST, ip("203.0.113.0"), 24, ip("192.0.2.100"), null, "eth0", 254, -1, 253, 18),
                new IpRoute(IpRoute.Type.BLACKHOLE, ip("198.51.101.0"), 24, null, null, null, 101, -1, 0, 18),
                new IpRoute(IpRoute.Type.UNICAST, ip("2001:db8:1::"), 64, null, ip("2001:db8::1"), null, 150, -1, 0, 18),
                new IpRoute(IpRoute.Type.UNICAST, ip("0.0.0.0"), 0, null, ip("192.0.2.254"), null, 100, -1, 0, 18),
                new IpRoute(IpRoute.Type.UNREACHABLE, ip("::"), 0, null, null, null, 120, -1, 0, 18),
                // no dev: keepalived does not track it, so its protocol stays; table 0 is the kernel's main
                new IpRoute(IpRoute.Type.UNICAST, ip("198.51.102.0"), 24, null, null, null, 254, -1, 0, 4));
        assertThat(config.warnings()).isEmpty();
    }

    @Test
    void virtualRulesAreReadWithKeepalivedsNumberingOfRulesWithoutPreference() throws Exception {
        KeepalivedConfig config = Resources.parse(instance("virtual_rules",
                "from 192.0.2.0/24 table 100 priority 100",
                "to 198.51.100.0/24 lookup 101 preference 101 iif eth0 oif eth1",
                "from 2001:db8::/32 table 100 order 102",
                "fwmark 0x10/0xff table 101 priority 103",
                "from 198.51.100.7/24 prohibit priority 104",
                "from all to 203.0.113.0/24 table main",
                "inet6 to 2001:db8:2::/48 unreachable",
                "fwmark 7 table 102"));

        assertThat(config.instances().getFirst().virtualRules()).containsExactly(
                new IpRule(AddressFamily.IPV4, ip("192.0.2.0"), 24, null, 0, IpRule.Action.TABLE, 100, 100, null, null, -1, -1),
                new IpRule(AddressFamily.IPV4, null, 0, ip("198.51.100.0"), 24, IpRule.Action.TABLE, 101, 101, "eth0", "eth1", -1, -1),
                new IpRule(AddressFamily.IPV6, ip("2001:db8::"), 32, null, 0, IpRule.Action.TABLE, 100, 102, null, null, -1, -1),
                new IpRule(AddressFamily.IPV4, null, 0, null, 0, IpRule.Action.TABLE, 101, 103, null, null, 0x10, 0xff),
                new IpRule(AddressFamily.IPV4, ip("198.51.100.7"), 24, null, 0, IpRule.Action.PROHIBIT, 0, 104, null, null, -1, -1),
                new IpRule(AddressFamily.IPV4, null, 0, ip("203.0.113.0"), 24, IpRule.Action.TABLE, 254, 16384, null, null, -1, -1),
                new IpRule(AddressFamily.IPV6, null, 0, ip("2001:db8:2::"), 48, IpRule.Action.UNREACHABLE, 0, 16384, null, null, -1, -1),
                new IpRule(AddressFamily.IPV4, null, 0, null, 0, IpRule.Action.TABLE, 102, 16383, null, null, 7, -1));
        assertThat(config.warnings()).extracting(w -> w.where().line() + " " + w.message()).containsExactly(
                "14 virtual_rules 'from all to 203.0.113.0/24 table main' has no preference; it gets 16384, as keepalived"
                        + " numbers such rules (give a priority)",
                "15 virtual_rules 'inet6 to 2001:db8:2::/48 unreachable' has no preference; it gets 16384, as keepalived"
                        + " numbers such rules (give a priority)",
                "16 virtual_rules 'fwmark 7 table 102' has no preference; it gets 16383, as keepalived numbers such rules"
                        + " (give a priority)");
    }

    @Test
    void staticRoutesAndRulesAreReadAtTheTopLevelAndNumberedWithTheInstancesRules() throws Exception {
        KeepalivedConfig config = Resources.parse("""
                static_routes {
                    203.0.113.0/24 dev eth1 table 150
                }
                static_rules {
                    from 203.0.113.0/24 table 150
                }
                """ + instance("virtual_rules", "to 198.51.100.0/24 table 100"));

        assertThat(config.staticRoutes()).containsExactly(
                new IpRoute(IpRoute.Type.UNICAST, ip("203.0.113.0"), 24, null, null, "eth1", 150, -1, 0, 18));
        assertThat(config.staticRules()).extracting(IpRule::priority).containsExactly(16384L);
        assertThat(config.instances().getFirst().virtualRules()).extracting(IpRule::priority).containsExactly(16383L);
        assertThat(config.instances().getFirst().virtualRoutes()).isEmpty();
    }

    @Test
    void aProtocolOnATrackedRouteIsReplacedByKeepalivedsAsKeepalivedDoes() throws Exception {
        KeepalivedConfig config = Resources.parse(instance("virtual_routes",
                "198.51.100.0/24 dev eth0 protocol static",
                "198.51.101.0/24 dev eth0 protocol static no_track"));

        assertThat(config.instances().getFirst().virtualRoutes()).extracting(IpRoute::protocol).containsExactly(18, 4);
        assertThat(config.warnings()).extracting(w -> w.where().line() + " " + w.message()).containsExactly(
                "9 virtual_routes '198.51.100.0/24 dev eth0 protocol static': protocol 4 is replaced by keepalived (18),"
                        + " as keepalived does for a route with a dev and without no_track",
                "10 virtual_routes option no_track has no effect: vrrp4j does not watch its routes and rules for removal");
    }

    @Test
    void aRouteListedTwiceIsAWarningAndInstalledOnce() throws Exception {
        KeepalivedConfig config = Resources.parse(instance("virtual_routes",
                "198.51.100.0/24 via 192.0.2.1", "198.51.100.0/24 via 192.0.2.1 table main"));

        assertThat(config.instances().getFirst().virtualRoutes()).hasSize(1);
        assertThat(config.warnings()).extracting(w -> w.where().line() + " " + w.message()).containsExactly(
                "10 virtual_routes 198.51.100.0/24 via 192.0.2.1 is listed twice; it is installed once");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            virtual_routes | 198.51.100.0/24 metric 4294967296 | virtual_routes '198.51.100.0/24 metric 4294967296': metric 4294967296 out of range 0..4294967295
            virtual_routes | 198.51.100.0/33 dev eth0 | virtual_routes '198.51.100.0/33 dev eth0': destination prefix length 33 out of range 0..32
            virtual_routes | 198.51.100.0/24 via 192.0.2 | virtual_routes '198.51.100.0/24 via 192.0.2': via 192.0.2: '192.0.2' is not an IPv4 address in dotted-quad form (four decimal numbers 0..255 without leading zeros, such as 192.0.2.1); keepalived refuses it too
            virtual_routes | 198.51.100.0/24 via 2001:db8::1 | virtual_routes '198.51.100.0/24 via 2001:db8::1': mixes IPv4 and IPv6; a route or rule is of one family
            virtual_routes | 198.51.100.0/24 proto static | virtual_routes '198.51.100.0/24 proto static': unknown option 'proto' (keepalived's is 'protocol')
            virtual_routes | src 192.0.2.100 dev eth0 | virtual_routes 'src 192.0.2.100 dev eth0': no destination (write the prefix, e.g. 198.51.100.0/24, or default)
            virtual_routes | 198.51.100.0/24 scope bogus | virtual_routes '198.51.100.0/24 scope bogus': scope 'bogus' is not a number 0..255 or one of [global, host, link, nowhere, site, universe]
            virtual_routes | 198.51.100.0/24 table 4294967296 | virtual_routes '198.51.100.0/24 table 4294967296': table 4294967296 out of range 0..4294967295
            virtual_routes | 198.51.100.0/24 table web | virtual_routes '198.51.100.0/24 table web': table 'web' is not a number 0..4294967295 or main, local, default (vrrp4j reads no rt_tables file)
            virtual_routes | 198.51.100.0/24 dev eth0 onlink | virtual_routes '198.51.100.0/24 dev eth0 onlink': option 'onlink' is not supported by vrrp4j (it implements src, via/gw, dev/oif, table, metric, scope, protocol and the types blackhole, unreachable, prohibit)
            virtual_routes | 198.51.100.7/24 dev eth0 | virtual_routes '198.51.100.7/24 dev eth0': destination 198.51.100.7/24 has host bits set; the kernel takes only a network prefix (e.g. 198.51.100.0/24)
            virtual_routes | blackhole 198.51.100.0/24 via 192.0.2.1 | virtual_routes 'blackhole 198.51.100.0/24 via 192.0.2.1': gateway 192.0.2.1 on a blackhole route; only a unicast route has a gateway
            virtual_routes | 198.51.100.0/24 via | virtual_routes '198.51.100.0/24 via': 'via' needs a value
            virtual_routes | 198.51.100.0/24 frob 3 | virtual_routes '198.51.100.0/24 frob 3': unknown option 'frob'
            virtual_routes | 198.51.100.0/24 198.51.101.0/24 | virtual_routes '198.51.100.0/24 198.51.101.0/24': a second destination '198.51.101.0/24'; one route per line
            virtual_routes | frob 198.51.100.0/24 | virtual_routes 'frob 198.51.100.0/24': unknown option 'frob' (and not a destination prefix)
            virtual_routes | 198.51.100/24 dev eth0 | virtual_routes '198.51.100/24 dev eth0': destination '198.51.100' is not an IPv4 address in dotted-quad form (four decimal numbers 0..255 without leading zeros, such as 192.0.2.1); keepalived refuses it too
            virtual_rules | from 192.0.2.0/24 | virtual_rules 'from 192.0.2.0/24': no action (give a table, or blackhole, unreachable or prohibit)
            virtual_rules | from 192.0.2.0/24 table 0 priority 5 | virtual_rules 'from 192.0.2.0/24 table 0 priority 5': table 0 out of range 1..4294967295
            virtual_rules | from 192.0.2 table 100 priority 5 | virtual_rules 'from 192.0.2 table 100 priority 5': from '192.0.2' is not an IPv4 address in dotted-quad form (four decimal numbers 0..255 without leading zeros, such as 192.0.2.1); keepalived refuses it too
            virtual_rules | from 192.0.2.0/24 to 2001:db8::/32 table 100 priority 5 | virtual_rules 'from 192.0.2.0/24 to 2001:db8::/32 table 100 priority 5': mixes IPv4 and IPv6; a route or rule is of one family
            virtual_rules | fwmark abc table 100 priority 5 | virtual_rules 'fwmark abc table 100 priority 5': fwmark 'abc' is not N or N/MASK, each 0..4294967295 (decimal or 0x hex)
            virtual_rules | from 192.0.2.0/24 table 100 priority 4294967296 | virtual_rules 'from 192.0.2.0/24 table 100 priority 4294967296': priority 4294967296 out of range 0..4294967295
            virtual_rules | from 192.0.2.0/24 table 100 blackhole priority 5 | virtual_rules 'from 192.0.2.0/24 table 100 blackhole priority 5': more than one of table, blackhole, unreachable, prohibit
            virtual_rules | from 192.0.2.0/24 not table 100 priority 5 | virtual_rules 'from 192.0.2.0/24 not table 100 priority 5': option 'not' is not supported by vrrp4j (it implements from, to, table/lookup, priority/preference/order, iif/dev, oif, fwmark and the actions blackhole, unreachable, prohibit)
            virtual_rules | from 192.0.2.0/24 table 100 priority 5 frob | virtual_rules 'from 192.0.2.0/24 table 100 priority 5 frob': unknown option 'frob'
            """)
    void whatCannotBeInstalledIsAnErrorNamingLineOptionAndValue(String block, String line, String message) {
        ConfigException e = Resources.refuse(instance(block, line));

        assertThat(e.errors()).extracting(ConfigError::toString)
                .containsExactly("/etc/keepalived/keepalived.conf:9: " + message);
    }

    @Test
    void staticBlocksBelongAtTheTopLevel() {
        ConfigException e = Resources.refuse(instance("static_routes", "198.51.100.0/24 dev eth0"));

        assertThat(e.errors()).extracting(ConfigError::toString).containsExactly(
                "/etc/keepalived/keepalived.conf:8: static_routes inside vrrp_instance VI_1: is a '}' missing before this line?");
    }
}
