package dev.vrrp4j.core.config;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keywords vrrp4j does not implement: one warning per keyword, with file and line, and no effect
 * on anything else; misspellings of implemented keywords are errors.
 */
class UnsupportedKeywordTest {

    private static String instance(String name, int vrid, String... extra) {
        return "vrrp_instance " + name + " {\n    interface eth0\n    virtual_router_id " + vrid + "\n    version 3\n"
                + "    priority 150\n    virtual_ipaddress {\n        192.0.2." + vrid + "/24\n    }\n"
                + String.join("\n", extra) + (extra.length > 0 ? "\n" : "") + "}\n";
    }

    @Test
    void eachUnsupportedKeywordIsReportedOnceWithItsFirstLine() throws Exception {
        KeepalivedConfig config = Resources.parse(
                instance("VI_1", 1, "    use_vmac", "    unicast_fault_no_peer")
                + instance("VI_2", 2, "    use_vmac vrrp.2", "    unicast_fault_no_peer", "    track_file {",
                        "        tf", "    }"));

        assertThat(config.warnings()).extracting(w -> w.where().line() + " " + w.keyword()).containsExactly(
                "9 use_vmac", "10 unicast_fault_no_peer", "22 track_file");
        assertThat(config.warnings().getFirst().message())
                .isEqualTo("use_vmac is not supported by vrrp4j (virtual MAC and ipvlan interfaces are not implemented); ignored");
    }

    @Test
    void unsupportedKeywordsChangeNothingElse() throws Exception {
        KeepalivedConfig plain = Resources.parse(instance("VI_1", 1));
        KeepalivedConfig decorated = Resources.parse(instance("VI_1", 1, "    use_vmac", "    vmac_xmit_base",
                "    smtp_alert", "    strict_mode on",
                "    unicast_ttl 64", "    track_file {", "        tf", "    }")
                + "global_defs {\n    enable_snmp_vrrp\n    vrrp_skip_check_adv_addr\n}\n");

        assertThat(decorated.instances()).isEqualTo(plain.instances());
        assertThat(decorated.warnings()).extracting(ConfigWarning::keyword).containsExactly("enable_snmp_vrrp",
                "vrrp_skip_check_adv_addr", "use_vmac", "vmac_xmit_base", "smtp_alert",
                "strict_mode", "unicast_ttl", "track_file");
    }

    @Test
    void globalKeywordsFromKeepalivedsOtherFeaturesAreWarnings() throws Exception {
        KeepalivedConfig config = Resources.parse("""
                global_defs {
                    router_id LB1
                    enable_snmp_vrrp
                    vrrp_strict
                    vrrp_iptables
                    vrrp_no_swap
                }
                static_ipaddress {
                    192.0.2.250/24 dev eth0
                }
                """ + instance("VI_1", 1));

        assertThat(config.warnings()).extracting(ConfigWarning::keyword)
                .containsExactly("enable_snmp_vrrp", "vrrp_strict", "vrrp_iptables", "vrrp_no_swap", "static_ipaddress");
        assertThat(config.warnings().get(1).message()).startsWith("vrrp_strict is not supported by vrrp4j (vrrp4j does not"
                + " implement keepalived's strict mode");
        assertThat(config.warnings().get(4).message()).endsWith("; the block is ignored");
    }

    @Test
    void unknownKeywordsThatAreNoTypoAreWarningsOncePerKeyword() throws Exception {
        KeepalivedConfig config = Resources.parse("global_defs {\n    lvs_id LVS1\n}\n"
                + instance("VI_1", 1, "    frobnicate_me yes", "    frobnicate_me no"));

        assertThat(config.warnings()).extracting(ConfigWarning::toString).containsExactly(
                "/etc/keepalived/keepalived.conf:2: warning: unknown keyword 'lvs_id' in global_defs; ignored",
                "/etc/keepalived/keepalived.conf:12: warning: unknown keyword 'frobnicate_me' in vrrp_instance VI_1; ignored");
    }

    @Test
    void anUnknownTopLevelBlockIsSkippedAsAUnit() throws Exception {
        KeepalivedConfig config = Resources.parse("""
                some_future_block NAME {
                    vrrp_instance_like_line 1
                    nested {
                        priority 1
                    }
                }
                """ + instance("VI_1", 1));

        assertThat(config.instances()).hasSize(1);
        assertThat(config.warnings()).singleElement().extracting(ConfigWarning::keyword).isEqualTo("some_future_block");
    }

    @Test
    void misspeltKeywordsAreErrorsWithASuggestionInEveryBlock() {
        ConfigException e = Resources.refuse("""
                global_defs {
                    router_di LB1
                }
                vrrp_script chk {
                    script /bin/true
                    intervall 2
                }
                vrrp_instance VI_1 {
                    interfce eth0
                    virtual_router_id 1
                    version 3
                    virtual_ipaddress {
                        192.0.2.1
                    }
                    track_script {
                        chk
                    }
                }
                vrrp_sync_group G {
                    gruop { VI_1 }
                }
                """);

        assertThat(e.errors()).extracting(ConfigError::toString).contains(
                "/etc/keepalived/keepalived.conf:2: unknown keyword 'router_di' in global_defs; did you mean 'router_id'?",
                "/etc/keepalived/keepalived.conf:6: unknown keyword 'intervall' in vrrp_script chk; did you mean 'interval'?",
                "/etc/keepalived/keepalived.conf:9: unknown keyword 'interfce' in vrrp_instance VI_1; did you mean 'interface'?",
                "/etc/keepalived/keepalived.conf:20: unknown keyword 'gruop' in vrrp_sync_group G; did you mean 'group'?");
    }

    @Test
    void reverseWeightsAreRefusedRatherThanIgnored() {
        ConfigException e = Resources.refuse("vrrp_script chk {\n    script /bin/true\n}\n" + instance("VI_1", 1,
                "    track_interface {", "        eth1 weight -20 reverse", "    }", "    track_script {",
                "        chk weight 5 reverse", "    }"));

        assertThat(e.errors()).extracting(ConfigError::message).containsExactly(
                "track_interface eth1: reverse is not supported by vrrp4j",
                "track_script chk: reverse is not supported by vrrp4j");
    }

    @Test
    void severalScriptsOnOneTrackScriptLineAreRefusedAsKeepalivedIgnoresTheLine() {
        ConfigException e = Resources.refuse("vrrp_script chk_a {\n    script /bin/true\n}\nvrrp_script chk_b {\n"
                + "    script /bin/true\n}\n" + instance("VI_1", 1, "    track_script { chk_a chk_b weight -20 }"));

        assertThat(e.errors()).singleElement().hasToString("/etc/keepalived/keepalived.conf:15: track_script chk_a:"
                + " unexpected 'chk_b' (write one script per line; keepalived ignores the whole line)");
    }
}
