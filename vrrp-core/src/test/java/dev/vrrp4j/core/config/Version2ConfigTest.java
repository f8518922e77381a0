package dev.vrrp4j.core.config;

import dev.vrrp4j.core.router.RouterConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * keepalived.conf for VRRPv2, keepalived's default: the {@code authentication} block, the interval
 * in whole seconds, and keepalived 2.2.7's own handling of odd cases (checked with
 * {@code keepalived -t}: it truncates a long password with "Truncating auth_pass to 8 characters",
 * ignores PASS without a password, and rounds a fractional VRRPv2 interval, which vrrp4j refuses).
 */
class Version2ConfigTest {
    private static final String FILE = "/etc/keepalived/keepalived.conf";

    /** An instance without a version line, as most operators' files are; {@code extra} goes inside it. */
    private static String instance(String advertInt, String extra) {
        return "vrrp_instance VI_1 {\n"           // line 1
                + "    state BACKUP\n"
                + "    interface eth0\n"
                + "    virtual_router_id 51\n"
                + "    priority 100\n"               // line 5
                + "    advert_int " + advertInt + "\n"
                + extra
                + "    virtual_ipaddress {\n        192.0.2.100/24\n    }\n}\n";
    }

    private static String pass(String password) {
        return "    authentication {\n"           // line 7
                + "        auth_type PASS\n"      // line 8
                + "        auth_pass " + password + "\n" // line 9
                + "    }\n";
    }

    /** The cloud floating-IP pattern: no virtual_ipaddress, notify_master moves the address through an API. */
    private static final String FLOATING_IP = """
            vrrp_instance VI_1 {
                state BACKUP
                interface eth0
                virtual_router_id 51
                priority 100
                advert_int 1
                unicast_src_ip 192.0.2.1
                unicast_peer {
                    192.0.2.2
                }
            %s    notify_master "/usr/local/bin/move-floating-ip"
            }
            """;

    @Test
    void aVersion2InstanceWithoutAddressesRunsWithKeepalivedsWarning() throws Exception {
        KeepalivedConfig config = Resources.parse(FLOATING_IP.formatted(""));

        VrrpInstance vi = config.instance("VI_1").orElseThrow();
        assertThat(vi.version()).isEqualTo(2);
        assertThat(vi.virtualAddresses()).isEmpty();
        assertThat(vi.toRouterConfig().virtualAddresses()).isEmpty();
        assertThat(config.warnings()).extracting(w -> w.where() + ": " + w.message()).containsExactly(FILE + ":1:"
                + " vrrp_instance VI_1 has no virtual_ipaddress: it advertises and installs no address (keepalived warns"
                + " too); no_virtual_ipaddress says this is meant");
    }

    @Test
    void noVirtualIpaddressSilencesTheWarningForVersion2() throws Exception {
        KeepalivedConfig config = Resources.parse(FLOATING_IP.formatted("    no_virtual_ipaddress\n"));

        assertThat(config.instance("VI_1").orElseThrow().virtualAddresses()).isEmpty();
        assertThat(config.warnings()).isEmpty();
    }

    @Test
    void withoutAddressesGlobalVrrpVersion3MakesItAnError() {
        ConfigException e = Resources.refuse("global_defs {\n    vrrp_version 3\n}\n" + FLOATING_IP.formatted(""));

        assertThat(e.errors()).extracting(ConfigError::toString).containsExactly(FILE + ":4: vrrp_instance VI_1 has no"
                + " virtual_ipaddress: VRRPv3 requires at least one address (RFC 9568 §5.2.5; keepalived refuses it"
                + " too); add one, or use version 2 on every node for an instance without addresses");
    }

    @Test
    void passwordAuthenticationIsHonoured() throws Exception {
        KeepalivedConfig config = Resources.parse(instance("1", pass("s3cr3t")));

        RouterConfig router = config.instance("VI_1").orElseThrow().toRouterConfig();
        assertThat(router.version()).isEqualTo(2);
        assertThat(router.authPassword()).isEqualTo("s3cr3t");
        assertThat(router.advertIntervalCentis()).isEqualTo(100);
        assertThat(config.warnings()).isEmpty();
        assertThat(config.instance("VI_1").orElseThrow().toString()).doesNotContain("s3cr3t").contains("********");
        assertThat(router.toString()).doesNotContain("s3cr3t");
    }

    @Test
    void aPasswordLongerThanEightBytesIsTruncatedWithAWarningAsKeepalivedDoes() throws Exception {
        KeepalivedConfig config = Resources.parse(instance("3", pass("0123456789abc")));

        assertThat(config.instance("VI_1").orElseThrow().toRouterConfig().authPassword()).isEqualTo("01234567");
        assertThat(config.warnings()).singleElement().satisfies(w -> {
            assertThat(w.keyword()).isEqualTo("auth_pass");
            assertThat(w.toString()).startsWith(FILE + ":9: warning: ").contains("auth_pass is 13 bytes",
                    "only the first 8 are used");
        });
    }

    @Test
    void passWithoutAPasswordMeansNoAuthenticationWithAWarning() throws Exception {
        KeepalivedConfig config = Resources.parse(instance("1",
                "    authentication {\n        auth_type PASS\n    }\n"));

        assertThat(config.instance("VI_1").orElseThrow().toRouterConfig().hasPassword()).isFalse();
        assertThat(config.warnings()).singleElement().satisfies(w ->
                assertThat(w.toString()).contains("auth_type PASS without auth_pass"));
    }

    @Test
    void ipsecAhIsRefusedWithTheFix() {
        ConfigException e = Resources.refuse(instance("1",
                "    authentication {\n        auth_type AH\n        auth_pass secret\n    }\n"));

        assertThat(e.errors()).singleElement().hasToString(FILE + ":8: auth_type AH in vrrp_instance VI_1: IPsec AH"
                + " authentication (RFC 2338 §5.3.6.2) is not supported by vrrp4j; use auth_type PASS or remove the"
                + " authentication block, on every node");
    }

    @Test
    void anUnknownAuthTypeOrKeywordIsAnError() {
        ConfigException e = Resources.refuse(instance("1",
                "    authentication {\n        auth_type MD5\n        auth_key x\n    }\n"));

        assertThat(e.errors()).extracting(ConfigError::toString).containsExactlyInAnyOrder(
                FILE + ":9: unknown keyword 'auth_key' in authentication in vrrp_instance VI_1; expected auth_type or"
                        + " auth_pass",
                FILE + ":8: auth_type 'MD5' in vrrp_instance VI_1 is not PASS or AH");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.5", "1.5", "0", "256"})
    void aVrrpV2IntervalThatIsNotWholeSeconds1To255IsRefused(String advertInt) {
        ConfigException e = Resources.refuse(instance(advertInt, ""));

        assertThat(e.errors()).singleElement().hasToString(FILE + ":6: advert_int " + advertInt + " is not allowed"
                + " for VRRPv2: it must be whole seconds 1..255 (RFC 3768 §5.3.7; keepalived's fractions are"
                + " non-standard and it rounds them); use a whole number on every node, or `version 3` on every"
                + " node for sub-second intervals");
    }

    @Test
    void wholeSecondIntervalsUpTo255AreAccepted() throws Exception {
        assertThat(Resources.parse(instance("255", "")).instance("VI_1").orElseThrow().toRouterConfig()
                .advertIntervalSeconds()).isEqualTo(255);
        assertThat(Resources.parse(instance("2.0", "")).instance("VI_1").orElseThrow().advertIntervalCentis())
                .isEqualTo(200);
    }

    @Test
    void aVersion3InstanceIgnoresAuthenticationWithAWarningAsKeepalivedDoes() throws Exception {
        KeepalivedConfig config = Resources.parse(instance("1", "    version 3\n" + pass("s3cr3t")));

        assertThat(config.instance("VI_1").orElseThrow().toRouterConfig().hasPassword()).isFalse();
        assertThat(config.warnings()).singleElement().satisfies(w -> {
            assertThat(w.keyword()).isEqualTo("authentication");
            assertThat(w.toString()).startsWith(FILE + ":8: warning: authentication is not supported by vrrp4j");
        });
    }
}
