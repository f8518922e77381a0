package dev.vrrp4j.core.config;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * keepalived itself as the oracle: {@code keepalived -t -f FILE} only parses and checks a
 * configuration. The sample configurations must be accepted by both parsers (keepalived's remaining
 * remarks being the ones vrrp4j also reports as warnings), and values vrrp4j refuses must draw a
 * complaint from keepalived too, on the same line when keepalived names one. Skipped where
 * keepalived is not installed. Runs only on copies in a temporary directory.
 */
class KeepalivedCrossCheckTest {
    /** keepalived's remarks about this host rather than the configuration: absent interfaces and scripts. */
    private static final List<String> ABOUT_THE_HOST = List.of("doesn't exist", "Non-existent interface",
            "not found/accessible", "since not found", "Cannot find script", "resolved by path search",
            "Unable to access script", "default user");
    private static final Pattern LINE = Pattern.compile("Line (\\d+)\\)");

    private static Path keepalived;

    @TempDir
    Path dir;

    @BeforeAll
    static void findKeepalived() {
        keepalived = Stream.concat(Stream.of(System.getenv().getOrDefault("PATH", "").split(":")),
                        Stream.of("/usr/sbin", "/sbin", "/usr/local/sbin"))
                .filter(p -> !p.isEmpty())
                .map(p -> Path.of(p, "keepalived"))
                .filter(Files::isExecutable)
                .findFirst().orElse(null);
    }

    /** keepalived's remarks on {@code file}, minus the ones about this host. */
    private static List<String> keepalivedRemarks(Path file) throws IOException, InterruptedException {
        return keepalivedRemarks(file, null);
    }

    /** The same with {@code -i configId} when it is not {@code null}. */
    private static List<String> keepalivedRemarks(Path file, String configId) throws IOException, InterruptedException {
        assumeTrue(keepalived != null, "keepalived is not installed");
        List<String> command = new java.util.ArrayList<>(List.of(keepalived.toString(), "-t", "-f", file.toString()));
        if (configId != null) {
            command.addAll(List.of("-i", configId));
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("keepalived -t finished").isTrue();
        return output.lines()
                .filter(line -> !line.isBlank())
                .filter(line -> ABOUT_THE_HOST.stream().noneMatch(line::contains))
                .toList();
    }

    static Stream<Arguments> samples() {
        return Stream.of(
                arguments("nginx-failover/lb1.conf", List.of("VRRP version 3 does not support authentication")),
                arguments("nginx-failover/lb2.conf", List.of()),
                arguments("multi-instance-sync.conf", List.of()),
                arguments("ipv6.conf", List.of()),
                arguments("include/keepalived.conf", List.of()),
                arguments("lvs.conf", List.of()));
    }

    @ParameterizedTest
    @MethodSource("samples")
    void keepalivedAcceptsTheSampleConfigurationsToo(String name, List<String> remarks) throws Exception {
        Path source = Resources.keepalived("");
        try (Stream<Path> files = Files.walk(source)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Path copy = dir.resolve(source.relativize(f).toString());
                Files.createDirectories(copy.getParent());
                Files.copy(f, copy);
            }
        }
        Path file = dir.resolve(name);

        KeepalivedConfig ours = KeepalivedConfigParser.parse(file);
        List<String> theirs = keepalivedRemarks(file);

        assertThat(theirs).as("keepalived -t remarks on " + name).hasSize(remarks.size());
        for (int i = 0; i < remarks.size(); i++) {
            assertThat(theirs.get(i)).contains(remarks.get(i));
        }
        assertThat(ours.instances()).isNotEmpty();
    }

    static Stream<Arguments> refusedByBoth() {
        return Stream.of(
                arguments("    priority 256"),
                arguments("    advert_int 50"),
                arguments("    advert_int 0.375"),
                arguments("    state master"),
                arguments("    priorty 150"),
                arguments("    preempt_delay 1001"),
                arguments("    garp_master_repeat 0"),
                arguments("    track_script {\n        chk_missing\n    }"),
                arguments("    virtual_ipaddress {\n        192.0.2.7/33\n    }"),
                arguments("    unicast_peer {\n        peer-b.example.com\n    }"),
                arguments("    virtual_router_id 300"),
                arguments("    mcast_dst_ip 192.0.2.19"),
                // lo: keepalived checks the weight of an interface that exists only (it warns and uses 253)
                arguments("    track_interface {\n        lo weight 254\n    }"),
                // short and non-decimal IPv4 forms (inet_pton refuses them; InetAddress does not)
                arguments("    virtual_ipaddress {\n        192.168.4/24\n    }"),
                arguments("    virtual_ipaddress {\n        010.0.2.9\n    }"),
                arguments("    unicast_peer {\n        198.51.100\n    }"),
                arguments("    unicast_peer {\n        0xc0.0.2.5\n    }"),
                arguments("    unicast_src_ip 192.0.2"),
                arguments("    mcast_src_ip 10.1"),
                arguments("    virtual_routes {\n        198.51.100.0/24 via 192.0.2\n    }"),
                arguments("    virtual_routes {\n        198.51.100/24 dev eth0\n    }"),
                arguments("    virtual_routes {\n        198.51.100.0/24 frob 3\n    }"),
                arguments("    virtual_routes {\n        198.51.100.0/33 dev eth0\n    }"),
                arguments("    virtual_routes {\n        198.51.100.0/24 proto static\n    }"),
                arguments("    virtual_routes {\n        198.51.100.0/24 metric 4294967296\n    }"),
                arguments("    virtual_routes {\n        198.51.100.0/24 via 2001:db8::1\n    }"),
                arguments("    virtual_routes {\n        src 192.0.2.100 dev eth0\n    }"),
                arguments("    virtual_routes {\n        198.51.100.0/24 scope bogus\n    }"),
                arguments("    virtual_rules {\n        from 192.0.2.0/24\n    }"),
                arguments("    virtual_rules {\n        from 192.0.2.0/24 table 0 priority 5\n    }"),
                arguments("    virtual_rules {\n        from 192.0.2 table 100 priority 5\n    }"),
                arguments("    virtual_rules {\n        from 192.0.2.0/24 to 2001:db8::/32 table 100 priority 5\n    }"),
                arguments("    virtual_rules {\n        fwmark abc table 100 priority 5\n    }"),
                arguments("    virtual_rules {\n        from 192.0.2.0/24 table 100 priority 4294967296\n    }"),
                arguments("    virtual_rules {\n        from 192.0.2.0/24 table 100 blackhole priority 5\n    }"),
                // virtual address options keepalived reports on the line (and drops the option or the address)
                arguments("    virtual_ipaddress {\n        192.0.2.101/24 scope bogus\n    }"),
                arguments("    virtual_ipaddress {\n        192.0.2.101/24 scope 300\n    }"),
                arguments("    virtual_ipaddress {\n        192.0.2.101/31 brd +\n    }"),
                arguments("    virtual_ipaddress {\n        192.0.2.101/24 brd 1.2.3\n    }"),
                arguments("    virtual_ipaddress {\n        192.0.2.101 label abcdefghijklmnopq\n    }"),
                arguments("    virtual_ipaddress {\n        192.0.2.101 dev eth0 dev eth1\n    }"),
                arguments("    virtual_ipaddress_excluded {\n        2001:db8::1/64 brd +\n    }"),
                arguments("    virtual_ipaddress_excluded {\n        2001:db8::1/64 scope link\n    }"),
                arguments("    virtual_ipaddress_excluded {\n        2001:db8::1/64 label eth0:1\n    }"));
    }

    @ParameterizedTest
    @MethodSource("refusedByBoth")
    void whatVrrp4jRefusesKeepalivedComplainsAbout(String lines) throws Exception {
        String text = "vrrp_instance VI_1 {\n    interface eth0\n"
                + (lines.contains("virtual_router_id") ? "" : "    virtual_router_id 51\n")
                + "    version 3\n" + lines + "\n    virtual_ipaddress {\n        192.0.2.100/24\n    }\n}\n";
        Path file = Files.writeString(dir.resolve("keepalived.conf"), text);

        ConfigException ours = refuse(file);
        List<String> theirs = keepalivedRemarks(file);

        assertThat(theirs).as("keepalived -t remarks").isNotEmpty();
        for (String remark : theirs) {
            Matcher m = LINE.matcher(remark);
            if (m.find()) {
                assertThat(ours.errors()).as("keepalived: " + remark)
                        .anySatisfy(e -> assertThat(e.where().line()).isEqualTo(Integer.parseInt(m.group(1))));
            }
        }
    }

    @Test
    void routesAndRulesOfBothFamiliesAreAcceptedByBothWithTheSameRemarks() throws Exception {
        Path file = Files.writeString(dir.resolve("keepalived.conf"), """
                static_routes {
                    203.0.113.0/24 dev eth1 table 150
                }
                static_rules {
                    from 203.0.113.0/24 table 150 priority 150
                }
                vrrp_instance VI_1 {
                    interface eth0
                    virtual_router_id 51
                    version 3
                    virtual_ipaddress {
                        192.0.2.100/24
                    }
                    virtual_routes {
                        198.51.100.0/24 via 192.0.2.1 dev eth1 table 100 metric 5
                        src 192.0.2.100 to 198.51.101.0/24 dev eth0 table 100 scope link
                        blackhole 198.51.102.0/24 table 101
                        2001:db8:1::/64 dev eth0 table 100 protocol static no_track
                        default via 192.0.2.254 dev eth0 table 120
                    }
                    virtual_rules {
                        from 192.0.2.0/24 table 100 priority 100
                        to 198.51.100.0/24 lookup 100 preference 101 iif eth0 oif eth1
                        from 2001:db8::/32 table 100 order 102
                        fwmark 0x10/0xff table 101 priority 103
                        from 198.51.100.0/24 prohibit priority 104
                        to 203.0.113.0/24 table 100
                    }
                }
                """);

        KeepalivedConfig ours = KeepalivedConfigParser.parse(file);
        List<String> theirs = keepalivedRemarks(file);

        assertThat(ours.instances().getFirst().virtualRoutes()).hasSize(5);
        assertThat(ours.instances().getFirst().virtualRules()).hasSize(6);
        assertThat(ours.staticRoutes()).hasSize(1);
        assertThat(ours.staticRules()).hasSize(1);
        // keepalived 2.2.7 also remarks that it does not track the route without a dev (vrrp4j tracks none)
        List<String> remarks = theirs.stream().filter(remark -> !remark.contains("cannot track route")).toList();
        assertThat(remarks).as("keepalived -t remarks").hasSize(1).first().asString().contains("no preference");
        Matcher line = LINE.matcher(remarks.getFirst());
        assertThat(line.find()).isTrue();
        assertThat(ours.warnings()).extracting(w -> w.where().line() + " " + w.keyword())
                .containsExactly("18 no_track", line.group(1) + " virtual_rules");
    }

    @Test
    void anAddressListedTwiceIsAcceptedByBothAndVrrp4jWarns() throws Exception {
        Path file = Files.writeString(dir.resolve("keepalived.conf"), """
                vrrp_instance VI_1 {
                    interface eth0
                    virtual_router_id 51
                    version 3
                    virtual_ipaddress {
                        192.0.2.100/24
                        192.0.2.101
                        192.0.2.100/24
                        192.0.2.101/24
                    }
                }
                """);

        KeepalivedConfig ours = KeepalivedConfigParser.parse(file);
        List<String> theirs = keepalivedRemarks(file);

        assertThat(theirs).as("keepalived -t remarks").isEmpty();
        assertThat(ours.instances().getFirst().virtualAddresses()).hasSize(2);
        assertThat(ours.warnings()).extracting(w -> w.where().line()).containsExactly(8, 9);
    }

    @Test
    void addressOptionsAreAcceptedByBothWithoutRemarks() throws Exception {
        Path file = Files.writeString(dir.resolve("keepalived.conf"), """
                vrrp_instance VI_1 {
                    interface eth0
                    virtual_router_id 51
                    version 3
                    virtual_ipaddress {
                        192.0.2.100/24 dev lo label lo:vip brd + scope host
                        192.0.2.101/24 broadcast 192.0.2.255 scope 0x10 label anything no_track
                        192.0.2.102/26 brd - scope site dev lo
                    }
                    virtual_ipaddress_excluded {
                        198.51.100.7/24 dev lo scope link label lo:x
                        2001:db8::7/64 dev lo no_track
                    }
                }
                """);

        KeepalivedConfig ours = KeepalivedConfigParser.parse(file);
        List<String> theirs = keepalivedRemarks(file);

        assertThat(theirs).as("keepalived -t remarks").isEmpty();
        assertThat(ours.warnings()).isEmpty();
        assertThat(ours.instances().getFirst().virtualAddresses()).extracting(VirtualIp::toString).containsExactly(
                "192.0.2.100/24 dev lo label lo:vip brd 192.0.2.255 scope host",
                "192.0.2.101/24 label anything brd 192.0.2.255 scope 16 no_track",
                "192.0.2.102/26 dev lo brd 192.0.2.64 scope site");
    }

    @Test
    void excludedAddressesOfBothFamiliesAreAcceptedByBoth() throws Exception {
        Path file = Files.writeString(dir.resolve("keepalived.conf"), """
                vrrp_instance VI_1 {
                    interface eth0
                    virtual_router_id 51
                    version 3
                    virtual_ipaddress {
                        192.0.2.100/24
                    }
                    virtual_ipaddress_excluded {
                        198.51.100.7/24
                        2001:db8::7/64
                    }
                }
                """);

        KeepalivedConfig ours = KeepalivedConfigParser.parse(file);
        List<String> theirs = keepalivedRemarks(file);

        assertThat(theirs).as("keepalived -t remarks").isEmpty();
        assertThat(ours.warnings()).isEmpty();
        assertThat(ours.instances().getFirst().excludedAddresses()).hasSize(2);
    }

    @Test
    void withoutVirtualAddressesVersion2RunsWithAWarningAndVersion3IsRefusedByBoth() throws Exception {
        // (no_virtual_ipaddress, which silences the warning, is keepalived 2.4's; 2.2.7 does not know it)
        String v2 = """
                vrrp_instance VI_1 {
                    interface eth0
                    virtual_router_id 51
                }
                """;
        Path file = Files.writeString(dir.resolve("keepalived.conf"), v2);
        KeepalivedConfig parsed = KeepalivedConfigParser.parse(file);
        assertThat(keepalivedRemarks(file)).as("keepalived -t remarks on version 2").isNotEmpty()
                .allSatisfy(remark -> assertThat(remark).contains("No VIP specified; at least one is sensible"));
        assertThat(parsed.instances()).singleElement().satisfies(vi -> assertThat(vi.version()).isEqualTo(2));
        assertThat(parsed.warnings()).singleElement().satisfies(w -> assertThat(w.where().line()).isEqualTo(1));

        Files.writeString(file, v2.replace("    virtual_router_id 51\n", "    virtual_router_id 51\n    version 3\n"));
        ConfigException ours = refuse(file);
        assertThat(keepalivedRemarks(file)).as("keepalived -t remarks on version 3")
                .anySatisfy(remark -> assertThat(remark).contains("No VIP specified; at least one is required"));
        assertThat(ours.errors()).singleElement().satisfies(e -> assertThat(e.where().line()).isEqualTo(1));
    }

    @Test
    void weightedTrackInterfacesAreAcceptedByBoth() throws Exception {
        Path file = Files.writeString(dir.resolve("keepalived.conf"), """
                vrrp_instance VI_1 {
                    interface eth0
                    virtual_router_id 51
                    version 3
                    track_interface {
                        lo weight 253
                        eth1 weight -20
                        eth3 weight 0
                    }
                    virtual_ipaddress {
                        192.0.2.100/24
                    }
                }
                """);

        KeepalivedConfig ours = KeepalivedConfigParser.parse(file);
        List<String> theirs = keepalivedRemarks(file);

        assertThat(theirs).as("keepalived -t remarks").isEmpty();
        assertThat(ours.warnings()).isEmpty();
        assertThat(ours.instances().getFirst().weightedTrackInterfaces()).hasSize(2);
    }

    @Test
    void otherMulticastGroupsAreAcceptedByBoth() throws Exception {
        Path file = Files.writeString(dir.resolve("keepalived.conf"), """
                global_defs {
                    vrrp_mcast_group4 224.0.0.19
                    vrrp_mcast_group6 ff02::19
                }
                vrrp_instance VI_1 {
                    interface eth0
                    virtual_router_id 51
                    version 3
                    virtual_ipaddress {
                        192.0.2.100/24
                    }
                }
                vrrp_instance VI_2 {
                    interface eth0
                    virtual_router_id 52
                    version 3
                    mcast_dst_ip 239.255.0.18
                    virtual_ipaddress {
                        192.0.2.101/24
                    }
                }
                """);

        KeepalivedConfig ours = KeepalivedConfigParser.parse(file);
        List<String> theirs = keepalivedRemarks(file);

        assertThat(theirs).as("keepalived -t remarks").isEmpty();
        assertThat(ours.warnings()).isEmpty();
        assertThat(ours.instances()).extracting(VrrpInstance::multicastGroup).containsExactly("224.0.0.19",
                "239.255.0.18");
    }

    static Stream<Arguments> conditionalFiles() {
        String multiline = """
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
                """;
        String sequences = """
                vrrp_instance VI_1 {
                    interface eth0
                    virtual_router_id 51
                    version 3
                    virtual_ipaddress {
                        ~SEQ(N, 1, 2, 5) 192.0.2.${N}/24
                        ~LST({A, B}, {10, 1}, {20, 2}) 203.0.113.${A}${B}
                    }
                }
                """;
        return Stream.of(arguments(ConditionalConfigTest.PAIR, "lb1"), arguments(ConditionalConfigTest.PAIR, "lb2"),
                arguments(ConditionalConfigTest.PAIR, "lb3"), arguments(multiline, "lb1"), arguments(multiline, "lb2"),
                arguments(sequences, null));
    }

    @ParameterizedTest
    @MethodSource("conditionalFiles")
    void conditionalLinesParametersAndSequencesAreAcceptedByBoth(String text, String configId) throws Exception {
        Path file = Files.writeString(dir.resolve("keepalived.conf"), text);

        KeepalivedConfig ours = KeepalivedConfigParser.parse(file, configId);
        List<String> theirs = keepalivedRemarks(file, configId);

        assertThat(theirs).as("keepalived -t -i " + configId + " remarks").isEmpty();
        assertThat(ours.instances()).isNotEmpty();
        assertThat(ours.warnings()).isEmpty();
    }

    /** Lines that are wrong only once expanded, or only for one config id: both must complain on the same line. */
    static Stream<Arguments> refusedByBothOnceExpanded() {
        return Stream.of(
                arguments("    @lb1 priority 300", "lb1"),
                arguments("    @^lb2 priority 300", "lb1"),
                arguments("    $P=300\n    priority $P", "lb1"),
                arguments("    $P=30\n    priority ${P}0", null),
                // (an undefined ${NAME} is refused too, but keepalived's remarks then run on past its line)
                arguments("    ~SEQ(N, 254, 1, 256) priority $N", null),
                arguments("    ~SEQ(N, 1, 0, 3) priority $N", null),
                arguments("    ~SEQ(N, 3, 1, 1) priority $N", null),
                arguments("    $A=0 \\\n        priority 256\n    $A", null),
                arguments("    $V=192.168.4\n    virtual_ipaddress {\n        $V\n    }", null));
    }

    @ParameterizedTest
    @MethodSource("refusedByBothOnceExpanded")
    void whatVrrp4jRefusesOnceExpandedKeepalivedComplainsAboutOnTheSameLine(String lines, String configId) throws Exception {
        String text = "vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n    version 3\n" + lines
                + "\n    virtual_ipaddress {\n        192.0.2.100/24\n    }\n}\n";
        Path file = Files.writeString(dir.resolve("keepalived.conf"), text);

        ConfigException ours;
        try {
            KeepalivedConfigParser.parse(file, configId);
            throw new AssertionError("vrrp4j accepted " + text);
        } catch (ConfigException e) {
            ours = e;
        }
        List<String> theirs = keepalivedRemarks(file, configId);

        assertThat(theirs).as("keepalived -t remarks").isNotEmpty();
        for (String remark : theirs) {
            Matcher m = LINE.matcher(remark);
            if (m.find()) {
                assertThat(ours.errors()).as("keepalived: " + remark)
                        .anySatisfy(e -> assertThat(e.where().line()).isEqualTo(Integer.parseInt(m.group(1))));
            }
        }
        // and with another config id the conditional line is not there for either
        if (lines.startsWith("    @" + configId + " ")) {
            assertThat(keepalivedRemarks(file, "lb2-other")).isEmpty();
            assertThat(KeepalivedConfigParser.parse(file, "lb2-other").instances()).hasSize(1);
        }
    }

    @Test
    void aConditionalIncludeNamedByAParameterIsReadForItsConfigIdOnly() throws Exception {
        Files.writeString(dir.resolve("lb1.conf"), "vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n"
                + "    version 3\n    priority 300\n    virtual_ipaddress {\n        192.0.2.100/24\n    }\n}\n");
        Path file = Files.writeString(dir.resolve("keepalived.conf"), "$HOST=lb1\n@lb1 include ${HOST}.conf\n");

        assertThat(keepalivedRemarks(file, "lb2")).isEmpty();
        assertThat(KeepalivedConfigParser.parse(file, "lb2").instances()).isEmpty();
        assertThat(keepalivedRemarks(file, "lb1")).anySatisfy(r -> assertThat(r).contains("lb1.conf: Line 5"));
        assertThat(refuse(file, "lb1").errors()).singleElement().satisfies(e -> {
            assertThat(e.where()).isEqualTo(new SourceLocation(dir.resolve("lb1.conf"), 5));
            assertThat(e.message()).isEqualTo("priority 300 out of range 1..255");
        });
    }

    private static ConfigException refuse(Path file, String configId) {
        try {
            KeepalivedConfigParser.parse(file, configId);
            throw new AssertionError("vrrp4j accepted " + file);
        } catch (ConfigException e) {
            return e;
        }
    }

    private static ConfigException refuse(Path file) {
        try {
            KeepalivedConfigParser.parse(file);
            throw new AssertionError("vrrp4j accepted " + file);
        } catch (ConfigException e) {
            return e;
        }
    }
}
