package dev.vrrp4j.core.config;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * IPv4 addresses are read as keepalived reads them (inet_pton): four dotted decimal numbers.
 * {@code InetAddress} would read {@code 192.168.4} as 192.168.0.4 and install an address nobody wrote.
 */
class AddressLiteralTest {
    private static final String FILE = "/etc/keepalived/keepalived.conf";

    /** A valid VRRPv3 instance with {@code lines} at line 5 onwards and {@code vip} as its last address. */
    private static String instance(String vip, String... lines) {
        return "vrrp_instance VI_1 {\n"
                + "    interface eth0\n"
                + "    virtual_router_id 51\n"
                + "    version 3\n"
                + String.join("\n", lines) + (lines.length > 0 ? "\n" : "")
                + "    virtual_ipaddress {\n"
                + "        192.0.2.100/24\n"
                + (vip == null ? "" : "        " + vip + "\n")
                + "    }\n"
                + "}\n";
    }

    static Stream<Arguments> shortForms() {
        return Stream.of(
                arguments(instance("192.168.4/24"), 7, "virtual_ipaddress 192.168.4/24", "192.168.4"),
                arguments(instance("10.1 dev eth1"), 7, "virtual_ipaddress 10.1", "10.1"),
                arguments(instance("10"), 7, "virtual_ipaddress 10", "10"),
                arguments(instance("010.0.2.9"), 7, "virtual_ipaddress 010.0.2.9", "010.0.2.9"),
                arguments(instance("0xc0.0.2.9"), 7, "virtual_ipaddress 0xc0.0.2.9", "0xc0.0.2.9"),
                arguments(instance("3221225993"), 7, "virtual_ipaddress 3221225993", "3221225993"),
                arguments(instance(null, "    unicast_peer {", "        198.51.100", "    }"), 6, "unicast_peer 198.51.100", "198.51.100"),
                arguments(instance(null, "    unicast_src_ip 192.0.2"), 5, "unicast_src_ip 192.0.2", "192.0.2"),
                arguments(instance(null, "    mcast_src_ip 192.0.2"), 5, "mcast_src_ip 192.0.2", "192.0.2"),
                arguments(instance(null, "    mcast_dst_ip 224.18"), 5, "mcast_dst_ip 224.18", "224.18"),
                arguments("global_defs {\n    vrrp_mcast_group4 224.0.18\n}\n", 2, "vrrp_mcast_group4 224.0.18", "224.0.18"));
    }

    @ParameterizedTest
    @MethodSource("shortForms")
    void aShortOrNonDecimalIpv4FormIsAnErrorNamingTheLineAndTheValue(String config, int line, String prefix, String value) {
        ConfigException e = Resources.refuse(config);

        assertThat(e.errors()).anySatisfy(error -> {
            assertThat(error.where()).isEqualTo(new SourceLocation(Path.of(FILE), line));
            assertThat(error.message()).startsWith(prefix + ": '" + value + "' is not an IPv4 address in dotted-quad form");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "192.0.2.1", "255.255.255.255", "198.51.100.10", "2001:db8::1", "::ffff:192.0.2.1"})
    void dottedQuadsAndIpv6AreRead(String text) throws Exception {
        assertThat(Values.address(text)).isEqualTo(java.net.InetAddress.ofLiteral(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"192.0.2.256", "192.0.2.01", "1.2.3.4.5", "192.0.2.", ".192.0.2", "192..2.1", "1e2.0.0.1", "0x7f000001"})
    void otherNumericFormsAreRefused(String text) {
        assertThatThrownBy(() -> Values.address(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"192.0.2", "10.1"})
    void aVirtualIpCannotBeBuiltWithAShortForm(String text) {
        assertThatThrownBy(() -> new VirtualIp(text, 32, null, null, new SourceLocation(Path.of(FILE), 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dotted-quad");
    }
}
