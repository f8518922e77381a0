package dev.vrrp4j.core.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * keepalived's conditional configuration, parameter substitution and sequence/list blocks
 * (keepalived.conf(5), "ADVANCED CONFIGURATION"). The same files are checked against
 * {@code keepalived -t} in {@link KeepalivedCrossCheckTest}.
 */
class ConditionalConfigTest {
    private static final Path FILE = Path.of("/etc/keepalived/keepalived.conf");

    @TempDir
    Path dir;

    private static KeepalivedConfig parse(String text, String configId) throws ConfigException {
        return KeepalivedConfigParser.parse(text, FILE, configId);
    }

    /** One file for a pair of routers, as keepalived.conf(5) suggests. */
    static final String PAIR = """
            @lb1 $PRIO=150
            @^lb1 $PRIO=100
            $IF=eth0
            vrrp_instance VI_1 {
                interface $IF
                virtual_router_id 51
                version 3
                priority $PRIO
                @lb1 unicast_src_ip 192.0.2.1
                @lb2 unicast_src_ip 192.0.2.2
                unicast_peer {
                    @^lb1 192.0.2.1
                    @^lb2 192.0.2.2
                }
                virtual_ipaddress {
                    192.0.2.100/24 dev ${IF}
                }
            }
            """;

    @Test
    void conditionalLinesAndParametersFollowTheConfigId() throws Exception {
        VrrpInstance lb1 = parse(PAIR, "lb1").instance("VI_1").orElseThrow();
        VrrpInstance lb2 = parse(PAIR, "lb2").instance("VI_1").orElseThrow();
        VrrpInstance other = parse(PAIR, "lb3").instance("VI_1").orElseThrow();

        assertThat(lb1.priority()).isEqualTo(150);
        assertThat(lb1.unicastSrcIp()).isEqualTo("192.0.2.1");
        assertThat(lb1.unicastPeers()).containsExactly("192.0.2.2");
        assertThat(lb2.priority()).isEqualTo(100);
        assertThat(lb2.unicastSrcIp()).isEqualTo("192.0.2.2");
        assertThat(lb2.unicastPeers()).containsExactly("192.0.2.1");
        assertThat(other.unicastSrcIp()).isNull();
        assertThat(other.unicastPeers()).containsExactly("192.0.2.1", "192.0.2.2");
        assertThat(lb1.interfaceName()).isEqualTo("eth0");
        assertThat(lb1.virtualAddresses().getFirst().dev()).isEqualTo("eth0");
    }

    @Test
    void withoutAConfigIdNoConditionalLineMatches() throws Exception {
        VrrpInstance none = parse(PAIR, null).instance("VI_1").orElseThrow();

        assertThat(none.priority()).isEqualTo(100);
        assertThat(none.unicastSrcIp()).isNull();
        assertThat(none.unicastPeers()).containsExactly("192.0.2.1", "192.0.2.2");
    }

    @Test
    void theDefaultConfigIdIsTheHostNamesFirstLabel() throws Exception {
        Path hostname = Path.of("/proc/sys/kernel/hostname");
        assumeTrue(Files.isReadable(hostname), "no /proc/sys/kernel/hostname");
        String host = Files.readString(hostname).strip();
        String expected = host.contains(".") ? host.substring(0, host.indexOf('.')) : host;

        assertThat(KeepalivedConfigParser.defaultConfigId()).isEqualTo(expected);
        String text = "@" + expected + " $PRIO=201\n" + PAIR.replace("priority $PRIO", "priority ${PRIO}")
                .replace("@lb1 $PRIO=150\n", "").replace("@^lb1 $PRIO=100\n", "");
        assertThat(KeepalivedConfigParser.parse(text, FILE).instance("VI_1").orElseThrow().priority()).isEqualTo(201);
    }

    @Test
    void aParameterIsReplacedByItsValueAtTheTimeOfUse() throws Exception {
        KeepalivedConfig config = parse("""
                $BASE=192.0.2.${SUB}
                $SUB=10
                $IF_MAIN=@lb1
                vrrp_instance VI_1 {
                    interface eth0
                    virtual_router_id 51
                    version 3
                    $IF_MAIN priority 240
                    virtual_ipaddress {
                        ${BASE}0/24
                        $SUB=20
                        ${BASE}0/24
                    }
                    notify_master "/bin/echo ${_INSTANCE} $SUB ${_PWD}"
                }
                """, "lb1");

        VrrpInstance vi = config.instance("VI_1").orElseThrow();
        assertThat(vi.priority()).isEqualTo(240);
        assertThat(vi.virtualAddresses()).extracting(VirtualIp::address).containsExactly("192.0.2.100", "192.0.2.200");
        assertThat(vi.notifyCommands().master()).containsExactly("/bin/echo", "lb1", "20", "/etc/keepalived");
    }

    @Test
    void aMultiLineDefinitionExpandsToItsLinesEachTimeItIsUsed() throws Exception {
        KeepalivedConfig config = parse("""
                $INSTANCE= \\
                vrrp_instance VI_${NUM} { \\
                    interface eth0 \\
                    virtual_router_id ${NUM} \\
                    version 3 \\
                    @lb1 priority 130 \\
                    @lb2 priority 120 \\
                    virtual_ipaddress { \\
                        192.0.2.${NUM}/24 \\
                    } \\
                }

                $NUM=1
                $INSTANCE
                $NUM=2
                $INSTANCE
                """, "lb2");

        assertThat(config.instances()).extracting(VrrpInstance::name).containsExactly("VI_1", "VI_2");
        assertThat(config.instances()).extracting(VrrpInstance::priority).containsExactly(120, 120);
        assertThat(config.instance("VI_2").orElseThrow().virtualAddresses().getFirst().address()).isEqualTo("192.0.2.2");
        // every line an expansion produces is reported at the line that used it
        assertThat(config.instance("VI_2").orElseThrow().where().line()).isEqualTo(16);
    }

    @Test
    void sequenceAndListBlocksRepeatTheRestOfTheLine() throws Exception {
        KeepalivedConfig config = parse("""
                vrrp_instance VI_1 {
                    interface eth0
                    virtual_router_id 51
                    version 3
                    virtual_ipaddress {
                        ~SEQ(N, 1, 2, 5) 192.0.2.${N}/24
                        ~SEQ(M, 3) 198.51.100.$M
                        ~LST({A, B}, {10, 1}, {20, 2}) 203.0.113.${A}${B}
                        ~SEQ(X, 0, 1) ~LST(Y, 7, 8) 192.0.2.2${X}${Y}
                    }
                }
                vrrp_instance VI_6 {
                    interface eth0
                    virtual_router_id 52
                    version 3
                    virtual_ipaddress {
                        ~SEQx(H, 0x9, 0x10, 0x1a) 2001:db8::${H}
                    }
                }
                """, null);

        assertThat(config.instance("VI_1").orElseThrow().virtualAddresses()).extracting(VirtualIp::address).containsExactly(
                "192.0.2.1", "192.0.2.3", "192.0.2.5", "198.51.100.1", "198.51.100.2", "198.51.100.3",
                "203.0.113.101", "203.0.113.202", "192.0.2.207", "192.0.2.208", "192.0.2.217", "192.0.2.218");
        assertThat(config.instance("VI_6").orElseThrow().virtualAddresses()).extracting(VirtualIp::address)
                .containsExactly("2001:db8::9", "2001:db8::19");
    }

    @Test
    void anUndefinedParameterStaysAsWrittenWithAWarning() throws Exception {
        KeepalivedConfig config = parse("""
                $PRIORITY=150
                vrrp_script chk {
                    script "/usr/bin/test -n $HOME"
                }
                vrrp_instance VI_1 {
                    interface eth0
                    virtual_router_id 51
                    version 3
                    priority $PRIORITY
                    track_script {
                        chk
                    }
                    virtual_ipaddress {
                        192.0.2.100/24
                    }
                    notify_master /bin/true $PRIORTY
                }
                """, null);

        assertThat(config.scripts().getFirst().command()).containsExactly("/usr/bin/test", "-n", "$HOME");
        assertThat(config.warnings()).filteredOn(w -> w.keyword().equals("$")).singleElement().satisfies(w -> {
            assertThat(w.where().line()).isEqualTo(16);
            assertThat(w.message()).isEqualTo("$PRIORTY is not defined; left as written, as keepalived does"
                    + " (define it with $PRIORTY=VALUE before this line; did you mean $PRIORITY?)");
        });
    }

    @Test
    void runawayExpansionsAreErrorsNotHangs() {
        assertThat(Resources.refuse("$A=$A $A\n$A\n").errors()).extracting(ConfigError::message)
                .containsExactly("parameter substitution makes a line longer than 65536 characters;"
                        + " does a parameter refer to itself?");
        assertThat(Resources.refuse("~SEQ(A, 1, 65536) ~SEQ(B, 1, 65536) $Q\n").errors()).extracting(ConfigError::message)
                .contains("~SEQ/~LST and parameter substitution produce more than 1000000 lines");
        assertThat(Resources.refuse("~SEQ(A, 0, 65536) x\n").errors()).extracting(ConfigError::message)
                .containsExactly("invalid ~SEQ specification '~SEQ(A, 0, 65536)': 65537 values; at most 65536");
    }

    @Test
    void anUndefinedParameterInASequenceIsReportedOnce() throws Exception {
        KeepalivedConfig config = parse("~SEQ(N, 1, 3) $UNDEF\n" + PAIR, "lb1");

        assertThat(config.warnings()).filteredOn(w -> w.keyword().equals("$")).hasSize(1);
    }

    @Test
    void includesMayBeConditionalAndUseParameters() throws Exception {
        Files.writeString(dir.resolve("lb1.conf"), "vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n"
                + "    version 3\n    virtual_ipaddress {\n        192.0.2.100/24\n    }\n}\n");
        Files.writeString(dir.resolve("lb2.conf"), "syntax error {\n");
        Path main = Files.writeString(dir.resolve("keepalived.conf"), "$HOST=lb1\n@lb1 include ${HOST}.conf\n"
                + "@lb2 include lb2.conf\n");

        assertThat(KeepalivedConfigParser.parse(main, "lb1").instances()).extracting(VrrpInstance::name)
                .containsExactly("VI_1");
    }
}
