package dev.vrrp4j.examples.cli;

import dev.vrrp4j.core.config.KeepalivedConfigParser;
import dev.vrrp4j.netty.VrrpNode;
import dev.vrrp4j.netty.keepalived.KeepalivedConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** SIGHUP's reload step without a signal: what the operator reads, for a good and a broken file. */
class HangupReloadTest {
    private static final String VALID = """
            vrrp_instance VI_1 {
                interface eth0
                virtual_router_id 51
                priority 150
                version 3
                virtual_ipaddress {
                    192.0.2.100/24
                }
            }
            """;

    @TempDir
    Path directory;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    /** A node that is built but not started (applying a file to a running one needs root: Vrrp4jKeepalivedConfIT). */
    private HangupReload reloadOf(Path file) throws Exception {
        VrrpNode node = KeepalivedConf.of(KeepalivedConfigParser.parse(VALID, file)).toNode().node();
        return new HangupReload(file, null, node, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void aValidFileForANodeThatIsNotRunningIsAFailureThatNamesTheGeneration() throws Exception {
        Path file = Files.writeString(directory.resolve("keepalived.conf"), VALID);

        assertThat(reloadOf(file).reload()).isFalse();

        assertThat(out.toString(StandardCharsets.UTF_8)).contains("re-reading " + file + " (reload 1)");
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("reload of " + file
                + " failed: VrrpNode is not running; generation 1 keeps running unchanged");
    }

    @Test
    void aBrokenFileIsReportedWithFileAndLineAndNothingStops() throws Exception {
        Path file = Files.writeString(directory.resolve("keepalived.conf"), VALID.replace("priority 150", "priority 300"));
        HangupReload reload = reloadOf(file);

        assertThat(reload.reload()).isFalse();
        assertThat(reload.reload()).as("a second SIGHUP is handled the same way").isFalse();

        String errors = err.toString(StandardCharsets.UTF_8);
        assertThat(errors).contains(file + ":4: error: ").contains("priority").contains("300")
                .contains("1 error(s) in " + file + "; generation 1 keeps running unchanged");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("(reload 2)");
    }

    @Test
    void aFileThatVanishedIsAnErrorNotACrash() throws Exception {
        Path missing = directory.resolve("gone.conf");

        assertThat(reloadOf(missing).reload()).isFalse();
        assertThat(err.toString(StandardCharsets.UTF_8)).contains(missing.toString()).contains("keeps running unchanged");
    }
}
