package dev.vrrp4j.examples;

import dev.vrrp4j.core.router.VirtualAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** NginxFailover's command line: defaults, and errors that name the option, the value and the range. */
class NginxFailoverTest {
    @TempDir
    Path directory;

    private String[] args(String... extra) throws IOException {
        Path conf = Files.writeString(directory.resolve("nginx.conf"), "pid " + directory.resolve("nginx.pid") + ";\n");
        List<String> all = new ArrayList<>(List.of("--nginx", "/bin/true", "--nginx-conf", conf.toString()));
        all.addAll(List.of(extra));
        return all.toArray(String[]::new);
    }

    @Test
    void defaultsAreKeepalivedsAndTheGuidesCheck() throws Exception {
        NginxFailover.Options options = NginxFailover.parse(args("--vip", "192.0.2.100/24", "--check-url",
                "http://127.0.0.1/"));
        assertThat(options.spec().interfaceName()).isEqualTo("eth0");
        assertThat(options.spec().config().vrid()).isEqualTo(51);
        assertThat(options.spec().config().priority()).isEqualTo(100);
        assertThat(options.spec().config().advertIntervalCentis()).isEqualTo(100);
        assertThat(options.spec().config().virtualAddresses()).containsExactly(VirtualAddress.parse("192.0.2.100/24"));
        assertThat(options.spec().isUnicast()).isFalse();
        assertThat(options.mode()).isEqualTo(NginxFailover.Mode.START_STOP);
        assertThat(options.checkWeight()).isEqualTo(-60);
        assertThat(options.checkInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(options.checkRise()).isEqualTo(2);
        assertThat(options.checkFall()).isEqualTo(2);
    }

    @Test
    void repeatableVipsAndPeersAndKeepRunningMode() throws Exception {
        NginxFailover.Options options = NginxFailover.parse(args("--vip", "192.0.2.100/24", "--vip", "192.0.2.101/24",
                "--peer", "192.0.2.12", "--peer", "192.0.2.13", "--mode", "keep-running", "--priority", "150"));
        assertThat(options.spec().config().virtualAddresses()).hasSize(2);
        assertThat(options.spec().unicastPeers()).hasSize(2);
        assertThat(options.mode()).isEqualTo(NginxFailover.Mode.KEEP_RUNNING);
        assertThat(options.spec().config().priority()).isEqualTo(150);
    }

    @Test
    void errorsNameTheOptionTheValueAndTheRange() {
        assertThatThrownBy(() -> NginxFailover.parse(args("--vip", "192.0.2.100/24", "--vrid", "300")))
                .hasMessage("--vrid 300 out of range 1..255");
        assertThatThrownBy(() -> NginxFailover.parse(args("--vip", "192.0.2.100/24", "--priority", "high")))
                .hasMessage("--priority 'high' is not a number (1..255)");
        assertThatThrownBy(() -> NginxFailover.parse(args("--vip", "192.0.2.100/24", "--advert-int-centis", "0")))
                .hasMessage("--advert-int-centis 0 out of range 1..4095");
        assertThatThrownBy(() -> NginxFailover.parse(args("--vip", "192.0.2.100/24", "--check-weight", "-300")))
                .hasMessage("--check-weight -300 out of range -253..253");
        assertThatThrownBy(() -> NginxFailover.parse(args("--vip", "192.0.2.100/24", "--mode", "always")))
                .hasMessage("--mode 'always' is not start-stop or keep-running");
        assertThatThrownBy(() -> NginxFailover.parse(args("--vip", "eth0")))
                .hasMessageStartingWith("--vip 'eth0': ");
        assertThatThrownBy(() -> NginxFailover.parse(args("--vip", "192.0.2.100/24", "--peer", "2001:db8::1")))
                .hasMessageStartingWith("--peer: ").hasMessageContaining("2001:db8");
        assertThatThrownBy(() -> NginxFailover.parse(args("--vip", "192.0.2.100/24", "--check-url", "ftp://x/")))
                .hasMessage("--check-url 'ftp://x/' is not an http:// or https:// URL with a host");
        assertThatThrownBy(() -> NginxFailover.parse(args("--vip", "192.0.2.100/24", "--interface", "a/b")))
                .hasMessageStartingWith("--interface: interfaceName 'a/b'");
        assertThatThrownBy(() -> NginxFailover.parse(args("--vip", "192.0.2.100/24", "--vrid")))
                .hasMessage("--vrid needs a value");
        assertThatThrownBy(() -> NginxFailover.parse(args("--vip", "192.0.2.100/24", "--bogus", "1")))
                .hasMessage("unknown option --bogus");
        assertThatThrownBy(() -> NginxFailover.parse(args()))
                .hasMessageStartingWith("--vip is required");
        assertThatThrownBy(() -> NginxFailover.parse(new String[] {"--vip", "192.0.2.100/24"}))
                .hasMessageStartingWith("--nginx-conf is required");
    }

    @Test
    void usageErrorsExit2AndHelpExits0() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = NginxFailover.run(new String[] {"--vrid", "0"}, new PrintStream(out), new PrintStream(err));
        assertThat(code).isEqualTo(NginxFailover.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("NginxFailover: --vrid 0 out of range 1..255");
        code = NginxFailover.run(new String[] {"--help"}, new PrintStream(out), new PrintStream(err));
        assertThat(code).isEqualTo(NginxFailover.OK);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--mode start-stop|keep-running");
    }

    @Test
    void thePidFileComesFromTheNginxConfiguration() throws Exception {
        Path conf = Files.writeString(directory.resolve("a.conf"), """
                daemon on;
                  pid   /run/nginx-a.pid ;
                events {}
                """);
        assertThat(NginxControl.pidFileOf(Path.of("/bin/true"), conf)).isEqualTo(Path.of("/run/nginx-a.pid"));
        assertThat(NginxControl.mainContextPid("daemon on; pid /tmp/x/nginx.pid; events {}")).isEqualTo("/tmp/x/nginx.pid");
        assertThat(NginxControl.mainContextPid("# pid /commented.pid;\npid \"/quoted.pid\";")).isEqualTo("/quoted.pid");
        assertThat(NginxControl.mainContextPid("events {} http { pid /in-a-block.pid; }")).isNull();
        Path relative = Files.writeString(directory.resolve("b.conf"), "pid logs/nginx.pid;\n");
        assertThatThrownBy(() -> NginxControl.pidFileOf(Path.of("/bin/true"), relative))
                .hasMessageContaining("relative");
    }
}
