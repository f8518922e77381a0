package dev.vrrp4j.core.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Refused configurations: every error names file:line and what is wrong. */
class ConfigErrorTest {
    private static final String FILE = "/etc/keepalived/keepalived.conf";

    /** A valid VRRPv3 instance with {@code lines} inserted after {@code version 3} (line 5 onwards). */
    private static String instance(String... lines) {
        return "vrrp_instance VI_1 {\n"      // 1
                + "    interface eth0\n"     // 2
                + "    virtual_router_id 51\n" // 3
                + "    version 3\n"          // 4
                + String.join("\n", lines) + (lines.length > 0 ? "\n" : "")
                + "    virtual_ipaddress {\n"
                + "        192.0.2.100/24\n"
                + "    }\n"
                + "}\n";
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                arguments(instance("    priority 0"), 5, "priority 0 out of range 1..255"),
                arguments(instance("    priority 256"), 5, "priority 256 out of range 1..255"),
                arguments(instance("    priority high"), 5, "priority 'high' is not an integer"),
                arguments(instance("    priority 100 150"), 5, "priority takes one value, got '100 150'"),
                arguments(instance("    priority"), 5, "priority needs a value"),
                arguments(instance("    advert_int 50"), 5, "advert_int 50 out of range 0.01..40.95 (VRRPv3)"),
                arguments(instance("    advert_int 0.001"), 5, "advert_int 0.001 is not a whole number of centiseconds"),
                arguments(instance("    advert_int 0.375"), 5, "advert_int 0.375 is not a whole number of centiseconds"),
                arguments(instance("    advert_int 0"), 5, "advert_int 0 out of range 0.01..40.95"),
                arguments(instance("    advert_int fast"), 5, "advert_int 'fast' is not a number of seconds"),
                arguments(instance("    preempt_delay 1001"), 5, "preempt_delay 1001 out of range 0..1000"),
                arguments(instance("    preempt_delay 0.0005"), 5, "preempt_delay 0.0005 is not a whole number of milliseconds"),
                arguments(instance("    state master"), 5, "state 'master' is not MASTER or BACKUP (keepalived would use BACKUP)"),
                arguments(instance("    state BACKUP", "    state MASTER"), 6, "state is given twice in vrrp_instance VI_1 (first at " + FILE + ":5)"),
                arguments(instance("    version 4"), 5, "version 4 out of range 2..3"),
                arguments(instance("    garp_master_repeat 0"), 5, "garp_master_repeat 0 out of range 1..2147483647"),
                arguments(instance("    nopreempt yes"), 5, "nopreempt takes no value, got 'yes'"),
                arguments(instance("    track_script {", "        chk_missing", "    }"), 6, "track_script chk_missing: no vrrp_script named chk_missing"),
                arguments(instance("    track_script chk_nginx"), 5, "track_script needs a { ... } block"),
                arguments(instance("    virtual_ipaddress {", "        vip.example.com/24", "    }"), 6,
                        "virtual_ipaddress vip.example.com/24: 'vip.example.com' is not a literal IPv4 or IPv6 address"),
                arguments(instance("    virtual_ipaddress {", "        192.0.2.7/33", "    }"), 6,
                        "virtual_ipaddress 192.0.2.7/33: prefix length 33 out of range 0..32"),
                arguments(instance("    virtual_ipaddress {", "        192.0.2.7/24 dev eth0 192.0.2.8", "    }"), 6,
                        "virtual_ipaddress 192.0.2.7/24: unknown option '192.0.2.8' (write one address per line)"),
                arguments(instance("    virtual_ipaddress {", "        192.0.2.7 dev", "    }"), 6,
                        "virtual_ipaddress 192.0.2.7: dev needs a value"),
                arguments(instance("    virtual_ipaddress {", "        2001:db8::7/64", "    }"), 9,
                        "virtual_ipaddress 192.0.2.100 is IPv4 but the first address of vrrp_instance VI_1 (2001:db8::7) is IPv6;"
                                + " an instance's addresses must all be of one family"),
                arguments(instance("    unicast_peer {", "        peer-b.example.com", "    }"), 6,
                        "unicast_peer peer-b.example.com: 'peer-b.example.com' is not a literal IPv4 or IPv6 address"),
                arguments(instance("    unicast_peer {", "        2001:db8::2", "    }"), 6,
                        "unicast_peer 2001:db8::2 is IPv6 but vrrp_instance VI_1 is IPv4"),
                arguments(instance("    unicast_src_ip 192.0.2.1", "    mcast_src_ip 192.0.2.2"), 6,
                        "mcast_src_ip 192.0.2.2 conflicts with the source address 192.0.2.1 set at " + FILE + ":5"),
                arguments(instance("    mcast_dst_ip 192.0.2.19"), 5,
                        "mcast_dst_ip 192.0.2.19 is not an IPv4 multicast address (224.0.0.0 to 239.255.255.255)"),
                arguments(instance("    mcast_dst_ip ff02::12"), 5,
                        "mcast_dst_ip ff02::12 is IPv6 but vrrp_instance VI_1 is IPv4"),
                arguments(instance("    mcast_dst_ip ff05::12").replace("192.0.2.100/24", "2001:db8::100/64"), 5,
                        "mcast_dst_ip ff05::12 is not an IPv6 link-local multicast address (ff02::/16), which"
                                + " keepalived requires too"),
                arguments(instance("    down_timer_adverts 5"), 5, "down_timer_adverts 5 is not supported"),
                arguments(instance("    track_interface {", "        eth1 weight -254", "    }"), 6,
                        "track_interface eth1 weight -254 out of range -253..253"),
                arguments(instance("    track_interface {", "        eth1 weight -20 reverse", "    }"), 6,
                        "track_interface eth1: reverse is not supported by vrrp4j"),
                arguments(instance("    notify_master /etc/keepalived/notify.sh master root wheel"), 5,
                        "notify_master takes a command and at most a user and a group; quote the whole command:"
                                + " notify_master \"/etc/keepalived/notify.sh master root wheel\""),
                arguments(instance("    notify_master \"/etc/keepalived/notify.sh it's\""), 5,
                        "notify_master: missing closing ' in /etc/keepalived/notify.sh it's"),
                arguments(instance("    priorty 150"), 5, "unknown keyword 'priorty' in vrrp_instance VI_1; did you mean 'priority'?"),
                arguments(instance("    no_preempt"), 5, "unknown keyword 'no_preempt' in vrrp_instance VI_1; did you mean 'nopreempt'?"),
                arguments(instance("    virtual_ipadress {", "        192.0.2.9", "    }"), 5,
                        "unknown keyword 'virtual_ipadress' in vrrp_instance VI_1; did you mean 'virtual_ipaddress'?"),
                arguments("vrrp_instace VI_1 {\n}\n", 1, "unknown keyword 'vrrp_instace' in the configuration; did you mean 'vrrp_instance'?"),
                arguments("vrrp_instance VI_1 {\n    interface eth0\n", 1, "'{' of 'vrrp_instance VI_1' is never closed"),
                arguments(instance() + "}\n", 9, "'}' without a matching '{'"),
                arguments("{\n}\n", 1, "'{' without a keyword before it"),
                arguments("vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n    version 3\n"
                        + "    virtual_ipaddress {\n        192.0.2.100/24\n    }\nvrrp_instance VI_2 {\n}\n", 8,
                        "vrrp_instance inside vrrp_instance VI_1: is a '}' missing before this line?"),
                arguments("vrrp_instance {\n}\n", 1, "vrrp_instance needs 1 name before '{'"),
                arguments("vrrp_instance VI_1\n", 1, "vrrp_instance needs a { ... } block"),
                arguments("vrrp_instance VI_1 {\n    virtual_router_id 51\n    version 3\n    virtual_ipaddress {\n"
                        + "        192.0.2.100\n    }\n}\n", 1, "vrrp_instance VI_1 has no interface"),
                arguments("vrrp_instance VI_1 {\n    interface eth0\n    version 3\n    virtual_ipaddress {\n"
                        + "        192.0.2.100\n    }\n}\n", 1, "vrrp_instance VI_1 has no virtual_router_id"),
                arguments("vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n    version 3\n}\n", 1,
                        "vrrp_instance VI_1 has no virtual_ipaddress: VRRPv3 requires at least one address (RFC 9568"
                                + " §5.2.5; keepalived refuses it too)"),
                arguments("vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n    version 3\n"
                        + "    no_virtual_ipaddress\n}\n", 5, "no_virtual_ipaddress in vrrp_instance VI_1, which is VRRPv3:"
                        + " RFC 9568 §5.2.5 requires at least one address"),
                // an IPv6 source makes it IPv6, so VRRPv3, as in keepalived
                arguments("vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n"
                        + "    unicast_src_ip 2001:db8::1\n}\n", 1, "vrrp_instance VI_1 has no virtual_ipaddress: VRRPv3"
                        + " requires at least one address"),
                arguments(instance().replace("51", "300"), 3, "virtual_router_id 300 out of range 1..255"),
                arguments(instance().replace("51", "fifty"), 3, "virtual_router_id 'fifty' is not an integer"),
                arguments(instance() + instance(), 9, "vrrp_instance VI_1 is defined twice (first at " + FILE + ":1)"),
                arguments(instance() + instance().replace("VI_1", "VI_2").replace("192.0.2.100", "192.0.2.101"), 11,
                        "virtual_router_id 51 of vrrp_instance VI_2 is already used on eth0 (IPv4) by vrrp_instance VI_1 at " + FILE + ":1"),
                arguments("vrrp_script chk {\n    script \"/bin/true\"\n    weight -254\n}\n", 3, "weight -254 out of range -253..253"),
                arguments("vrrp_script chk {\n    script \"/bin/true\"\n    weight 10 reverse\n}\n", 3,
                        "vrrp_script chk weight: reverse is not supported by vrrp4j"),
                arguments("vrrp_script chk {\n    script \"/bin/true\"\n    interval 0\n}\n", 3, "interval 0 out of range 1..4294"),
                arguments("vrrp_script chk {\n    script \"/bin/true\"\n    rise 0\n}\n", 3, "rise 0 out of range 1..2147483647"),
                arguments("vrrp_script chk {\n    interval 2\n}\n", 1, "vrrp_script chk has no script"),
                arguments("vrrp_script chk {\n    script \"\"\n}\n", 2, "script is empty"),
                arguments("vrrp_script chk_nginx {\n    script killall -0 nginx\n}\n", 2,
                        "script: keepalived runs only the first word ('killall') and drops the rest ('-0 nginx');"
                                + " quote the whole command: script \"killall -0 nginx\""),
                arguments("vrrp_sync_group G {\n    group {\n        VI_9\n    }\n}\n", 3, "vrrp_sync_group G: no vrrp_instance named VI_9"),
                arguments("vrrp_sync_group G {\n}\n", 1, "vrrp_sync_group G has no instances"),
                arguments(instance() + "vrrp_sync_group G {\n    group { VI_1 }\n}\nvrrp_sync_group H {\n    group { VI_1 }\n}\n",
                        13, "vrrp_sync_group H: vrrp_instance VI_1 is already in vrrp_sync_group G"),
                arguments("global_defs {\n    vrrp_version 4\n}\n", 2, "vrrp_version 4 out of range 2..3"),
                arguments("global_defs {\n    vrrp_mcast_group4 192.0.2.1\n}\n", 2,
                        "vrrp_mcast_group4 192.0.2.1 is not an IPv4 multicast address (224.0.0.0 to 239.255.255.255)"),
                arguments("global_defs {\n    vrrp_mcast_group4 ff02::12\n}\n", 2,
                        "vrrp_mcast_group4 ff02::12 is not an IPv4 multicast address"),
                arguments("global_defs {\n    vrrp_mcast_group6 2001:db8::12\n}\n", 2,
                        "vrrp_mcast_group6 2001:db8::12 is not an IPv6 multicast address (ff00::/8)"),
                arguments("global_defs {\n    vrrp_garp_master_delay 1.5\n}\n", 2, "vrrp_garp_master_delay '1.5' is not an integer"),
                arguments("global_defs {\n    v3_checksum_as_v2 maybe\n}\n", 2,
                        "v3_checksum_as_v2 'maybe' is not one of on, off, true, false, yes, no"),
                arguments("global_defs {\n    router_id \"LB1\n}\n", 2, "missing closing \" in router_id \"LB1"),
                arguments(instance("    priority ${PRIO}"), 5, "${PRIO} is not defined (define it with $PRIO=VALUE before this line)"),
                arguments(instance("    ~SEQ(i, 1, 0, 3) priority 1$i"), 5,
                        "invalid ~SEQ specification '~SEQ(i, 1, 0, 3)': step 0 never reaches 3"),
                arguments(instance("    ~SEQ(i, 5, 1, 3) priority 1$i"), 5,
                        "invalid ~SEQ specification '~SEQ(i, 5, 1, 3)': step 1 goes from 5 away from 3"),
                arguments(instance("    ~SEQ(i, one) priority 1$i"), 5, "invalid ~SEQ specification '~SEQ(i, one)': 'one' is not an integer"),
                arguments(instance("    ~SEQ priority 1"), 5, "invalid ~SEQ specification '~SEQ priority 1': expected ~SEQ(var, start, step, end)"),
                arguments(instance("    ~SEQx(i, -2, 2) priority 1$i"), 5, "invalid ~SEQx specification '~SEQx(i, -2, 2)': ~SEQx takes non-negative numbers only"),
                arguments(instance("    ~LST({a, b}, {1, 2}, {3}) priority 1$a"), 5,
                        "invalid ~LST specification '~LST({a, b}, {1, 2}, {3})': '{3}' does not give 2 value(s) for a, b"),
                arguments(instance("    priority ${_RANDOM 1 100}"), 5, "${_RANDOM 1 100} is not supported by vrrp4j"),
                arguments("$A=x $A\nvrrp_instance $A {\n}\n", 2, "parameter substitution nests more than 64 levels deep"),
                arguments("include\n", 1, "include takes one file name or pattern, got none"),
                // Found by KeepalivedConfigFuzzTest: these threw IllegalArgumentException from VrrpInstance.
                arguments("vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n    version 3\n"
                        + "    virtual_ipaddress {\n    }\n}\n", 1,
                        "vrrp_instance VI_1 has no usable address in virtual_ipaddress: VRRPv3 requires at least one"
                                + " address"),
                arguments("vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n    version 3\n"
                        + "    virtual_ipaddress {\n$       192.0.2.100/24\n    }\n}\n", 1,
                        "vrrp_instance VI_1 has no usable address in virtual_ipaddress"));
    }

    @ParameterizedTest
    @MethodSource("refused")
    void errorNamesFileLineAndWhatIsWrong(String config, int line, String message) {
        ConfigException e = Resources.refuse(config);

        assertThat(e.errors()).anySatisfy(error -> {
            assertThat(error.where()).isEqualTo(new SourceLocation(Path.of(FILE), line));
            assertThat(error.message()).contains(message);
        });
        assertThat(e.getMessage()).contains(FILE + ":" + line + ": " + message);
    }

    @Test
    void allErrorsAreReportedNotJustTheFirst() {
        ConfigException e = Resources.refuse("""
                vrrp_instance VI_1 {
                    interface eth0
                    virtual_router_id 300
                    priority 0
                    version 3
                    advert_int 0.375
                    virtual_ipaddress {
                        192.0.2.100/24
                    }
                    track_script {
                        chk_missing
                    }
                }
                """);

        assertThat(e.errors()).extracting(error -> error.where().line() + ": " + error.message()).containsExactly(
                "3: virtual_router_id 300 out of range 1..255",
                "4: priority 0 out of range 1..255",
                "6: advert_int 0.375 is not a whole number of centiseconds (VRRPv3 advertises the interval in centiseconds)",
                "11: track_script chk_missing: no vrrp_script named chk_missing");
        assertThat(e.getMessage()).isEqualTo(String.join("\n",
                FILE + ":3: virtual_router_id 300 out of range 1..255",
                FILE + ":4: priority 0 out of range 1..255",
                FILE + ":6: advert_int 0.375 is not a whole number of centiseconds (VRRPv3 advertises the interval in centiseconds)",
                FILE + ":11: track_script chk_missing: no vrrp_script named chk_missing"));
    }

    @Test
    void misspeltScriptAndInstanceNamesGetASuggestion() {
        ConfigException e = Resources.refuse("vrrp_script chk_nginx {\n    script \"/usr/bin/pidof nginx\"\n}\n"
                + instance("    track_script {", "        chk_ngnix", "    }")
                + "vrrp_sync_group G {\n    group {\n        VI_l\n    }\n}\n");

        assertThat(e.errors()).extracting(ConfigError::message).containsExactlyInAnyOrder(
                "track_script chk_ngnix: no vrrp_script named chk_ngnix (did you mean chk_nginx?)",
                "vrrp_sync_group G: no vrrp_instance named VI_l (did you mean VI_1?)");
    }

    /** An operator moving a file over wants every remark at once, not the warnings only after the errors are fixed. */
    @Test
    void theWarningsOfARefusedConfigurationAreAllKept() {
        ConfigException e = Resources.refuse("""
                global_defs {
                    enable_snmp_vrrp
                }
                vrrp_script chk_unused {
                    script "/bin/true"
                }
                vrrp_instance VI_1 {
                    interface eth0
                    state MASTER
                    nopreempt
                    virtual_router_id 51
                    version 3
                    priority 300
                    use_vmac
                    virtual_ipaddress {
                        192.0.2.100/24
                        192.0.2.100/24
                        192.168.4
                    }
                }
                virtual_server 192.0.2.100 80 {
                }
                """);

        assertThat(e.errors()).extracting(error -> error.where().line()).containsExactly(13, 18);
        assertThat(e.warnings()).extracting(w -> w.where().line() + " " + w.keyword()).containsExactlyInAnyOrder(
                "2 enable_snmp_vrrp", "4 vrrp_script", "10 nopreempt", "14 use_vmac", "17 virtual_ipaddress",
                "21 virtual_server");
    }

    @Test
    void theSyncGroupHintNamesInstancesOfTheFile() {
        String web = instance().replace("VI_1", "web");
        String db = instance().replace("VI_1", "db").replace("51", "52").replace("192.0.2.100", "192.0.2.101");

        assertThat(Resources.refuse(web + db + "vrrp_sync_group G {\n}\n").errors()).extracting(ConfigError::message)
                .containsExactly("vrrp_sync_group G has no instances (group { web db })");
        assertThat(Resources.refuse(web + db + "vrrp_sync_group F {\n    group { web }\n}\nvrrp_sync_group G {\n}\n")
                .errors()).extracting(ConfigError::message)
                .containsExactly("vrrp_sync_group G has no instances (group { db web })");
        assertThat(Resources.refuse("vrrp_sync_group G {\n}\n").errors()).extracting(ConfigError::message)
                .containsExactly("vrrp_sync_group G has no instances (group { ... } lists vrrp_instance names,"
                        + " and this configuration has no vrrp_instance)");
    }

    @Test
    void anUnreadableFileIsAnErrorAtLineZero() {
        Path missing = Path.of("/nonexistent/keepalived.conf");
        try {
            KeepalivedConfigParser.parse(missing);
            throw new AssertionError("accepted a missing file");
        } catch (ConfigException e) {
            assertThat(e.errors()).singleElement().satisfies(error -> {
                assertThat(error.where()).isEqualTo(new SourceLocation(missing, 0));
                assertThat(error.message()).startsWith("cannot read /nonexistent/keepalived.conf");
            });
        }
    }
}
