package dev.vrrp4j.examples.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bin/vrrp4j} as an operator meets it before anything runs: {@code --check} on real-looking
 * keepalived.conf files (exit code, the summary line, every error and warning as
 * {@code file:line: ...}), and the command line itself. Calls {@link Vrrp4jMain#run} in-process;
 * no root, no sockets.
 */
class Vrrp4jMainTest {
    @TempDir
    Path directory;

    /** What one run printed and returned. */
    private record Run(int exitCode, String out, String err) {
        List<String> errLines() {
            return err.isEmpty() ? List.of() : List.of(err.split("\n"));
        }
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = Vrrp4jMain.run(args, o, e);
        }
        return new Run(code, out.toString(StandardCharsets.UTF_8).replace("\r", ""),
                err.toString(StandardCharsets.UTF_8).replace("\r", ""));
    }

    /** Copies a configuration from the test resources next to this class into the temp directory. */
    private Path resource(String name) throws IOException {
        try (InputStream in = Vrrp4jMainTest.class.getResourceAsStream(name)) {
            assertThat(in).as("test resource " + name).isNotNull();
            Path file = directory.resolve(name);
            Files.write(file, in.readAllBytes());
            return file;
        }
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(directory.resolve(name), text);
    }

    /** The 1-based line of {@code text} containing {@code fragment} (exactly one must). */
    private static int lineOf(String text, String fragment) {
        List<String> lines = Arrays.asList(text.split("\n", -1));
        List<Integer> hits = new java.util.ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(fragment)) {
                hits.add(i + 1);
            }
        }
        assertThat(hits).as("lines containing '%s'", fragment).hasSize(1);
        return hits.getFirst();
    }

    // ------------------------------------------------------------------ --check: valid files

    @Test
    void anAddressOptionVrrp4jDoesNotApplyIsReportedAsIgnoredRatherThanDroppedSilently() throws IOException {
        String text = """
                vrrp_instance VI_1 {
                    interface eth0
                    virtual_router_id 51
                    version 3
                    virtual_ipaddress {
                        192.0.2.100/24 dev eth0 label eth0:1 noprefixroute
                    }
                }
                """;
        Path file = write("label.conf", text);
        Run run = run("--config", file.toString(), "--check");
        assertThat(run.exitCode()).isZero();
        assertThat(run.errLines()).as("the label is applied; noprefixroute is not").containsExactly(file + ":"
                + lineOf(text, "label eth0:1") + ": warning: noprefixroute: virtual_ipaddress option noprefixroute"
                + " is not supported by vrrp4j; ignored");
    }

    @Test
    void checkAcceptsTheTwoServerNginxGuideConfigAndWarnsAboutItsAuthenticationBlock() throws IOException {
        Path file = resource("nginx-two-servers.conf");
        String text = Files.readString(file);

        Run run = run("--config", file.toString(), "--check");

        assertThat(run.exitCode()).as("exit code; stderr:\n" + run.err()).isZero();
        assertThat(run.out()).isEqualTo("vrrp4j: " + file + " is valid: 1 vrrp_instance(s), 1 vrrp_script(s),"
                + " 0 vrrp_sync_group(s), 1 warning(s)\n");
        assertThat(run.errLines()).singleElement().asString()
                .startsWith(file + ":" + lineOf(text, "authentication {") + ": warning: authentication: ")
                .contains("not supported by vrrp4j");
    }

    @Test
    void checkAcceptsTwoInstancesInASyncGroup() throws IOException {
        Path file = resource("sync-group.conf");

        Run run = run("--check", "--config", file.toString());

        assertThat(run.exitCode()).as("exit code; stderr:\n" + run.err()).isZero();
        assertThat(run.out()).isEqualTo("vrrp4j: " + file + " is valid: 2 vrrp_instance(s), 0 vrrp_script(s),"
                + " 1 vrrp_sync_group(s), 0 warning(s)\n");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void checkAcceptsAnIpv6InstanceWithoutAVersionLine() throws IOException {
        Path file = resource("ipv6.conf");

        Run run = run("-t", "-f", file.toString()); // keepalived's own spelling of --check --config

        assertThat(run.exitCode()).as("exit code; stderr:\n" + run.err()).isZero();
        assertThat(run.out()).isEqualTo("vrrp4j: " + file + " is valid: 1 vrrp_instance(s), 0 vrrp_script(s),"
                + " 0 vrrp_sync_group(s), 0 warning(s)\n");
        assertThat(run.err()).isEmpty();
    }

    // ------------------------------------------------------------------ --check: invalid files

    private static final String VRRP_V2 = """
            vrrp_instance VI_1 {
                state MASTER
                interface eth0
                virtual_router_id 51
                priority 101
                advert_int 1
                virtual_ipaddress {
                    192.0.2.100/24
                }
            }
            """;

    @Test
    void aVrrpV2ConfigurationWithoutAVersionLineIsValid() throws IOException {
        Path file = write("v2.conf", VRRP_V2);

        Run run = run("--config", file.toString(), "--check");

        assertThat(run.exitCode()).as("stderr:\n" + run.err()).isZero();
        assertThat(run.out()).isEqualTo("vrrp4j: " + file + " is valid: 1 vrrp_instance(s), 0 vrrp_script(s),"
                + " 0 vrrp_sync_group(s), 0 warning(s)\n");
    }

    @Test
    void aSubSecondVrrpV2IntervalIsRefusedWithTheFix() throws IOException {
        String text = VRRP_V2.replace("advert_int 1", "advert_int 0.5");
        Path file = write("v2-fast.conf", text);

        Run run = run("--config", file.toString(), "--check");

        assertThat(run.exitCode()).isEqualTo(Vrrp4jMain.CONFIG_ERROR);
        assertThat(run.errLines()).first().asString().startsWith(file + ":" + lineOf(text, "advert_int 0.5")
                + ": error: advert_int 0.5 is not allowed for VRRPv2: it must be whole seconds 1..255");
    }

    @Test
    void everyErrorOfAFileIsReportedWithItsLine() throws IOException {
        String text = """
                vrrp_script chk_nginx {
                    script "/usr/bin/pgrep -x nginx"
                    weight -20
                }
                vrrp_instance VI_1 {
                    state MASTER
                    interface eth0
                    virtual_router_id 51
                    priority 256
                    version 3
                    virtual_ipaddress {
                        192.0.2.100/24
                    }
                    track_script {
                        chk_ngnix
                    }
                }
                """;
        Path file = write("broken.conf", text);

        Run run = run("--check", "--config", file.toString());

        assertThat(run.exitCode()).isEqualTo(Vrrp4jMain.CONFIG_ERROR);
        assertThat(run.out()).isEmpty();
        assertThat(run.errLines()).containsExactly(
                file + ":" + lineOf(text, "vrrp_script chk_nginx") + ": warning: vrrp_script: vrrp_script chk_nginx"
                        + " is not tracked by any vrrp_instance; it will not run (keepalived does not run it either)",
                file + ":" + lineOf(text, "priority 256") + ": error: priority 256 out of range 1..255",
                file + ":" + lineOf(text, "chk_ngnix") + ": error: track_script chk_ngnix: no vrrp_script named"
                        + " chk_ngnix (did you mean chk_nginx?)",
                "vrrp4j: 2 error(s) in " + file);
    }

    @Test
    void aVirtualAddressOnAnotherInterfaceIsValidAndABadOptionIsAnErrorWithItsLine() throws IOException {
        String text = """
                vrrp_instance VI_1 {
                    interface eth0
                    virtual_router_id 51
                    version 3
                    virtual_ipaddress {
                        192.0.2.100/24
                        198.51.100.100/24 dev eth1 label eth1:vip brd + scope site
                        203.0.113.100/32 dev lo scope host no_track
                    }
                }
                """;
        Path good = write("dev.conf", text);
        Path bad = write("bad.conf", text.replace("scope site", "scope 256"));

        Run valid = run("--check", "--config", good.toString());
        Run refused = run("--check", "--config", bad.toString());

        assertThat(valid.exitCode()).as("exit code; stderr:\n" + valid.err()).isZero();
        assertThat(valid.err()).as("nothing ignored").isEmpty();
        assertThat(refused.exitCode()).isEqualTo(Vrrp4jMain.CONFIG_ERROR);
        assertThat(refused.errLines()).containsExactly(
                bad + ":" + lineOf(text, "dev eth1") + ": error: virtual_ipaddress 198.51.100.100/24: scope 256"
                        + " out of range 0..255 (or one of global, site, link, host, nowhere)",
                "vrrp4j: 1 error(s) in " + bad);
    }

    @Test
    void aMissingFileIsAConfigurationError() {
        Path file = directory.resolve("nope.conf");

        Run run = run("--check", "--config", file.toString());

        assertThat(run.exitCode()).isEqualTo(Vrrp4jMain.CONFIG_ERROR);
        assertThat(run.err()).contains(file.toString());
    }

    // ------------------------------------------------------------------ warnings

    private static final String UNSUPPORTED = """
            global_defs {
                enable_snmp_vrrp
                enable_snmp_checker
                enable_snmp_vrrp
            }
            vrrp_instance VI_1 {
                interface eth0
                virtual_router_id 51
                version 3
                use_vmac
                virtual_ipaddress {
                    192.0.2.100/24
                }
            }
            vrrp_instance VI_2 {
                interface eth0
                virtual_router_id 52
                version 3
                use_vmac vrrp.52
                virtual_ipaddress {
                    192.0.2.101/24
                }
            }
            virtual_server 192.0.2.100 80 {
                real_server 192.0.2.21 80 {
                    weight 1
                }
            }
            virtual_server 192.0.2.101 80 {
                real_server 192.0.2.22 80 {
                    weight 1
                }
            }
            """;

    @Test
    void unsupportedKeywordsAreWarnedAboutOnceEachAtTheirFirstLine() throws IOException {
        Path file = write("unsupported.conf", UNSUPPORTED);

        Run run = run("--check", "--config", file.toString());

        assertThat(run.exitCode()).as("exit code; stderr:\n" + run.err()).isZero();
        assertThat(run.out()).endsWith(" 4 warning(s)\n");
        assertThat(run.errLines()).hasSize(4);
        assertWarnedOnceAt(run, file, lineOf(UNSUPPORTED, "enable_snmp_checker"), "enable_snmp_checker");
        assertWarnedOnceAt(run, file, UNSUPPORTED.lines().toList().indexOf("    enable_snmp_vrrp") + 1,
                "enable_snmp_vrrp");
        assertWarnedOnceAt(run, file, UNSUPPORTED.lines().toList().indexOf("    use_vmac") + 1, "use_vmac");
        assertWarnedOnceAt(run, file, lineOf(UNSUPPORTED, "virtual_server 192.0.2.100"), "virtual_server");
    }

    private static void assertWarnedOnceAt(Run run, Path file, int line, String keyword) {
        assertThat(run.errLines()).as("warnings about " + keyword)
                .filteredOn(l -> l.contains(": warning: " + keyword + ": "))
                .singleElement().asString()
                .startsWith(file + ":" + line + ": warning: " + keyword + ": ")
                .contains("not supported by vrrp4j");
    }

    /** An operator moving a keepalived.conf over wants the whole list at once, not the warnings after the fix. */
    @Test
    void warningsArePrintedAlongsideErrors() throws IOException {
        String text = UNSUPPORTED.replace("    version 3\n    use_vmac vrrp.52\n", "    version 4\n    use_vmac vrrp.52\n");
        Path file = write("both.conf", text);

        Run run = run("--check", "--config", file.toString());

        assertThat(run.exitCode()).isEqualTo(Vrrp4jMain.CONFIG_ERROR);
        assertThat(run.errLines()).filteredOn(l -> l.contains(": error: ")).singleElement().asString()
                .startsWith(file + ":" + lineOf(text, "version 4") + ": error: version 4 out of range 2..3");
        assertThat(run.errLines()).filteredOn(l -> l.contains(": warning: ")).hasSize(4);
        assertThat(run.errLines()).last().isEqualTo("vrrp4j: 1 error(s) in " + file);
    }

    // ------------------------------------------------------------------ the command line

    /** keepalived's -i: one file for both routers, each line marked with the router it is for. */
    @Test
    void configIdChoosesTheConditionalLines() throws IOException {
        String text = """
                vrrp_instance VI_1 {
                    interface eth0
                    virtual_router_id 51
                    version 3
                    @lb1 priority 150
                    @lb2 priority 300
                    virtual_ipaddress {
                        192.0.2.100/24
                    }
                }
                """;
        Path file = write("pair.conf", text);

        Run lb1 = run("--check", "--config", file.toString(), "--config-id", "lb1");
        Run lb2 = run("--check", "-i", "lb2", "--config", file.toString());

        assertThat(lb1.exitCode()).isEqualTo(Vrrp4jMain.OK);
        assertThat(lb2.exitCode()).isEqualTo(Vrrp4jMain.CONFIG_ERROR);
        assertThat(lb2.errLines()).contains(file + ":" + lineOf(text, "@lb2") + ": error: priority 300 out of range 1..255");
        assertThat(run("--check", "--config", file.toString(), "--config-id").exitCode()).isEqualTo(Vrrp4jMain.USAGE);
    }

    @Test
    void helpPrintsTheUsageAndSucceeds() {
        Run run = run("--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("usage: vrrp4j --config FILE").contains("--check", "--status-port");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void withoutConfigItIsAUsageError() {
        Run run = run("--check");

        assertThat(run.exitCode()).isEqualTo(Vrrp4jMain.USAGE);
        assertThat(run.errLines()).first().isEqualTo("vrrp4j: --config FILE is required");
        assertThat(run.err()).contains("usage: vrrp4j --config FILE");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void anUnknownOptionIsAUsageError() throws IOException {
        Path file = resource("ipv6.conf");

        Run run = run("--config", file.toString(), "--vrrp");

        assertThat(run.exitCode()).isEqualTo(Vrrp4jMain.USAGE);
        assertThat(run.errLines()).first().isEqualTo("vrrp4j: unknown option --vrrp");
        assertThat(run.out()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http", "0", "65536", "-1", "8080.5"})
    void aBadStatusPortIsAUsageError(String port) throws IOException {
        Path file = resource("ipv6.conf");

        Run run = run("--config", file.toString(), "--status-port", port);

        assertThat(run.exitCode()).isEqualTo(Vrrp4jMain.USAGE);
        assertThat(run.errLines()).first().asString().startsWith("vrrp4j: --status-port " + port + " ");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void anOptionWithoutItsValueIsAUsageError() {
        assertThat(run("--config").exitCode()).isEqualTo(Vrrp4jMain.USAGE);
        assertThat(run("--config", "x.conf", "--status-port").exitCode()).isEqualTo(Vrrp4jMain.USAGE);
    }
}
