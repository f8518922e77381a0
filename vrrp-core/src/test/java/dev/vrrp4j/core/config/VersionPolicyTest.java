package dev.vrrp4j.core.config;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * keepalived defaults to VRRPv2 for IPv4, and vrrp4j follows it: an instance runs the version its
 * keepalived peers would, whether it comes from the instance, {@code vrrp_version} or the default.
 */
class VersionPolicyTest {
    private static final String FILE = "/etc/keepalived/keepalived.conf";

    private static String instance(String name, String version, String address) {
        return "vrrp_instance " + name + " {\n"
                + "    interface eth0\n"
                + "    virtual_router_id " + (name.equals("VI_1") ? 51 : 52) + "\n"
                + (version == null ? "" : "    version " + version + "\n")
                + "    virtual_ipaddress {\n        " + address + "\n    }\n}\n";
    }

    @Test
    void keepalivedsDefaultIsVersion2() throws Exception {
        KeepalivedConfig config = Resources.parse("global_defs {\n    router_id LB1\n}\n" + instance("VI_1", null, "192.0.2.100/24"));

        VrrpInstance vi = config.instance("VI_1").orElseThrow();
        assertThat(vi.version()).isEqualTo(2);
        assertThat(vi.toRouterConfig().version()).isEqualTo(2);
        assertThat(config.warnings()).isEmpty();
    }

    @Test
    void anExplicitVersion2RunsAsVersion2() throws Exception {
        KeepalivedConfig config = Resources.parse(instance("VI_1", "2", "192.0.2.100/24"));

        assertThat(config.instance("VI_1").orElseThrow().toRouterConfig().version()).isEqualTo(2);
    }

    @Test
    void aGlobalVrrpVersion2CoversEachInstance() throws Exception {
        KeepalivedConfig config = Resources.parse("global_defs {\n    vrrp_version 2\n}\n"
                + instance("VI_1", null, "192.0.2.100/24") + instance("VI_2", null, "192.0.2.101/24"));

        assertThat(config.instances()).extracting(VrrpInstance::version).containsExactly(2, 2);
    }

    @Test
    void theInstanceVersionWinsOverTheGlobalOne() throws Exception {
        KeepalivedConfig config = Resources.parse("global_defs {\n    vrrp_version 2\n}\n" + instance("VI_1", "3", "192.0.2.100/24"));

        assertThat(config.instance("VI_1").orElseThrow().version()).isEqualTo(3);
        assertThat(config.globals().vrrpVersion()).isEqualTo(2);
    }

    @Test
    void globalVrrpVersion3CoversEveryInstance() throws Exception {
        KeepalivedConfig config = Resources.parse(instance("VI_1", null, "192.0.2.100/24")
                + "global_defs {\n    vrrp_version 3\n}\n");

        assertThat(config.instance("VI_1").orElseThrow().version()).as("global_defs applies wherever it is").isEqualTo(3);
    }

    @Test
    void ipv6InstancesAreVrrpV3EvenUnderAGlobalVrrpVersion2() throws Exception {
        KeepalivedConfig config = Resources.parse("global_defs {\n    vrrp_version 2\n}\n" + instance("VI_1", null, "2001:db8::1/64"));

        assertThat(config.instance("VI_1").orElseThrow().version()).isEqualTo(3);
    }

    @Test
    void version2WithIpv6AddressesIsAnError() {
        ConfigException e = Resources.refuse(instance("VI_1", "2", "2001:db8::1/64"));

        assertThat(e.errors()).singleElement().hasToString(FILE + ":4: version 2 in vrrp_instance VI_1, whose addresses"
                + " are IPv6: VRRPv2 is IPv4 only; use version 3 (keepalived ignores this line)");
    }

    @Test
    void versions2And3AreSupported() {
        assertThat(VersionPolicy.SUPPORTED_VERSIONS).containsExactlyInAnyOrder(2, 3);
    }
}
