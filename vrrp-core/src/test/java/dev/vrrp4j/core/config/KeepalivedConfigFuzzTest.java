package dev.vrrp4j.core.config;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing of {@link KeepalivedConfigParser} with Jazzer. The invariant: any text
 * either parses into a configuration whose every instance yields a valid {@code RouterConfig}, or
 * is refused with a {@link ConfigException} listing at least one located error; nothing else is
 * thrown, and no input takes longer than the timeout (includes and their globs must end).
 *
 * <p>The text is parsed as {@code keepalived.conf} in a scratch directory that holds the
 * {@code include} sample's files and a file that includes itself, so relative includes, globs and
 * cycles are reached. Inputs whose include lines could leave that directory (absolute patterns,
 * {@code ..}, escapes) are skipped: the fuzzer must not walk the machine's file system.
 *
 * <p>Inputs: {@code src/test/resources/dev/vrrp4j/core/config/KeepalivedConfigFuzzTestInputs/parse/},
 * the sample configurations plus committed findings; README "Fuzzing" has the fuzzing command.
 */
class KeepalivedConfigFuzzTest {
    private static Path sandbox;

    @BeforeAll
    static void createSandbox() throws IOException {
        sandbox = Files.createTempDirectory("vrrp4j-config-fuzz");
        copy("include/conf.d/10-web.conf", "conf.d/10-web.conf");
        copy("include/conf.d/20-db.conf", "conf.d/20-db.conf");
        copy("include/scripts/checks.inc", "scripts/checks.inc");
        Files.writeString(sandbox.resolve("cycle.conf"), "include cycle.conf\n");
        Files.createDirectories(sandbox.resolve("empty.d"));
    }

    @AfterAll
    static void deleteSandbox() throws IOException {
        try (Stream<Path> files = Files.walk(sandbox)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @FuzzTest(maxDuration = "20s")
    @Timeout(10) // per input when fuzzing (Jazzer passes it to libFuzzer as -timeout)
    @DictionaryEntries({"vrrp_instance", "vrrp_script", "vrrp_sync_group", "global_defs", "virtual_ipaddress",
            "virtual_router_id", "priority", "advert_int", "include", "includeb", "includea", "{", "}", "\"", "*",
            "conf.d/", "{a,b}", "track_script", "unicast_peer", "version 3", "fe80::1", "192.0.2.1/24",
            "@fuzz ", "@^fuzz ", "$A=", "$A", "${A}", " \\", "~SEQ(A, 1, 3) ", "~SEQx(A, 3) ", "~LST({A, B}, {1, 2}) "})
    void parse(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        if (!includesStayInSandbox(text)) {
            return;
        }
        Path file = sandbox.resolve("keepalived.conf");
        KeepalivedConfig config;
        try {
            config = KeepalivedConfigParser.parse(text, file, "fuzz");
        } catch (ConfigException e) {
            assertThat(e.errors()).as(text).isNotEmpty();
            int lines = text.split("\n", -1).length;
            for (ConfigError error : e.errors()) {
                assertThat(error.message()).as(text).isNotBlank();
                if (error.where().file().equals(file)) {
                    assertThat(error.where().line()).as("%s in %s", error, text).isBetween(0, lines);
                }
            }
            return;
        }
        for (VrrpInstance instance : config.instances()) {
            // What the parser accepts must build: a bad value is the parser's error, never the router's.
            assertThat(instance.toRouterConfig()).as(text).isNotNull();
        }
    }

    /** The seeds are the sample configurations, so that the fuzzer starts from real keepalived files. */
    @Test
    void seedCorpusHoldsTheSampleConfigurations() throws IOException {
        for (String sample : List.of("ipv6.conf", "lvs.conf", "multi-instance-sync.conf", "include/keepalived.conf",
                "nginx-failover/lb1.conf", "nginx-failover/lb2.conf")) {
            byte[] seed = resource("/dev/vrrp4j/core/config/KeepalivedConfigFuzzTestInputs/parse/"
                    + sample.replace('/', '-'));
            assertThat(seed).as(sample).isEqualTo(Files.readAllBytes(Resources.keepalived(sample)));
        }
    }

    @Test
    void includeLinesThatCouldLeaveTheSandboxAreSkipped() {
        assertThat(includesStayInSandbox("include conf.d/*.conf\n  include scripts/check?.inc # x\n")).isTrue();
        assertThat(includesStayInSandbox("vrrp_instance a/b {\n")).isTrue();
        for (String escape : List.of("include /etc/x", "include ../x", "include {a,}/etc", "include \"/etc\"",
                "include \\/etc", "  includeb {/,x}etc", "include\t/etc", "include '/x'", "@fuzz include /etc/x",
                "$R=/etc\ninclude ${R}/x", "$I=include /etc/x\n$I", "~SEQ(A, 1) include /etc/x")) {
            assertThat(includesStayInSandbox("a\n" + escape + "\n")).as(escape).isFalse();
        }
    }

    /**
     * Whether no include line can name a path outside the sandbox: no {@code ..}, no escapes, and
     * every {@code /} follows a name character, so that no brace alternative or quoted word starts
     * with one. Lines are split and stripped as the lexer does.
     */
    static boolean includesStayInSandbox(String text) {
        // conditional lines, parameters and sequences can build an include line the checks below do not see
        if (text.contains("include") && (text.indexOf('@') >= 0 || text.indexOf('$') >= 0 || text.indexOf('~') >= 0)) {
            return false;
        }
        for (String raw : text.split("\n", -1)) {
            String line = raw.strip();
            if (!line.startsWith("include")) {
                continue;
            }
            if (line.contains("..") || line.indexOf('\\') >= 0) {
                return false;
            }
            for (int i = line.indexOf('/'); i >= 0; i = line.indexOf('/', i + 1)) {
                char before = i == 0 ? ' ' : line.charAt(i - 1);
                if (!Character.isLetterOrDigit(before) && "_-.*?]".indexOf(before) < 0) {
                    return false;
                }
            }
        }
        return true;
    }

    private static void copy(String sample, String to) throws IOException {
        Path target = sandbox.resolve(to);
        Files.createDirectories(target.getParent());
        Files.copy(Resources.keepalived(sample), target);
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = KeepalivedConfigFuzzTest.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("missing test resource " + name);
            }
            return in.readAllBytes();
        }
    }
}
