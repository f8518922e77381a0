package dev.vrrp4j.core.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code include}: globs, relative paths, includes inside blocks, missing files and cycles. */
class IncludeTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }

    private static String instance(String name, int vrid, String address) {
        return "vrrp_instance " + name + " {\n    interface eth0\n    virtual_router_id " + vrid + "\n    version 3\n"
                + "    virtual_ipaddress {\n        " + address + "\n    }\n}\n";
    }

    private static ConfigException refuse(Path file) {
        try {
            KeepalivedConfigParser.parse(file);
            throw new AssertionError("accepted " + file);
        } catch (ConfigException e) {
            return e;
        }
    }

    @Test
    void globMatchesAreReadInSortedOrderAndHiddenFilesAreSkipped() throws Exception {
        write("conf.d/b.conf", instance("VI_B", 2, "192.0.2.2"));
        write("conf.d/a.conf", instance("VI_A", 1, "192.0.2.1"));
        write("conf.d/c.conf.disabled", instance("VI_X", 9, "192.0.2.9"));
        write("conf.d/.hidden.conf", instance("VI_H", 8, "192.0.2.8"));
        Path main = write("keepalived.conf", "include conf.d/*.conf\n");

        KeepalivedConfig config = KeepalivedConfigParser.parse(main);

        assertThat(config.instances()).extracting(VrrpInstance::name).containsExactly("VI_A", "VI_B");
        assertThat(config.instance("VI_B").orElseThrow().where()).isEqualTo(new SourceLocation(dir.resolve("conf.d/b.conf"), 1));
    }

    @Test
    void nestedIncludesAreRelativeToTheIncludingFile() throws Exception {
        write("services/web/vip.inc", "        192.0.2.80/24\n");
        write("services/web.conf", "vrrp_instance VI_WEB {\n    interface eth0\n    virtual_router_id 80\n    version 3\n"
                + "    virtual_ipaddress {\n        include web/vip.inc\n    }\n}\n");
        Path main = write("keepalived.conf", "include services/web.conf\n");

        KeepalivedConfig config = KeepalivedConfigParser.parse(main);

        VirtualIp vip = config.instance("VI_WEB").orElseThrow().virtualAddresses().getFirst();
        assertThat(vip.toString()).isEqualTo("192.0.2.80/24");
        assertThat(vip.where()).isEqualTo(new SourceLocation(dir.resolve("services/web/vip.inc"), 1));
    }

    @Test
    void braceAlternativesAndAbsolutePatterns() throws Exception {
        write("one.conf", instance("VI_1", 1, "192.0.2.1"));
        write("two.conf", instance("VI_2", 2, "192.0.2.2"));
        write("three.conf", instance("VI_3", 3, "192.0.2.3"));
        Path main = write("keepalived.conf", "include {two,one}.conf\ninclude " + dir.resolve("th?ee.c[o]nf") + "\n");

        KeepalivedConfig config = KeepalivedConfigParser.parse(main);

        assertThat(config.instances()).extracting(VrrpInstance::name).containsExactly("VI_2", "VI_1", "VI_3");
    }

    @Test
    void aPatternThatMatchesNothingIsAWarning() throws Exception {
        Path main = write("keepalived.conf", instance("VI_1", 1, "192.0.2.1") + "include conf.d/*.conf # optional\n");

        KeepalivedConfig config = KeepalivedConfigParser.parse(main);

        assertThat(config.instances()).hasSize(1);
        assertThat(config.warnings()).singleElement().satisfies(w -> {
            assertThat(w.keyword()).isEqualTo("include");
            assertThat(w.where()).isEqualTo(new SourceLocation(main, 9));
            assertThat(w.message()).isEqualTo("include conf.d/*.conf matches no file (looked in " + dir + ")");
        });
    }

    @Test
    void theCheckingVariantsMakeAMissingMatchAnError() throws Exception {
        Path main = write("keepalived.conf", instance("VI_1", 1, "192.0.2.1") + "includew conf.d/*.conf\nincludea missing.conf\n"
                + "includer maybe/*.conf\n");

        ConfigException e = refuse(main);

        assertThat(e.errors()).extracting(ConfigError::toString).containsExactly(
                main + ":9: includew conf.d/*.conf matches no file (looked in " + dir + ")",
                main + ":10: includea missing.conf matches no file (looked in " + dir + ")");
        assertThat(e.warnings()).extracting(ConfigWarning::keyword).containsExactly("includer");
    }

    @Test
    void includeCyclesAreErrors() throws Exception {
        Path a = write("a.conf", instance("VI_1", 1, "192.0.2.1") + "include b.conf\n");
        write("b.conf", "include a.conf\n");

        ConfigException e = refuse(a);

        assertThat(e.errors()).singleElement().hasToString(dir.resolve("b.conf") + ":1: include cycle: "
                + a + " -> " + dir.resolve("b.conf") + " -> " + a);
    }

    @Test
    void aFileIncludingItselfIsACycle() throws Exception {
        Path main = write("keepalived.conf", "include *.conf\n");

        ConfigException e = refuse(main);

        assertThat(e.errors()).singleElement().extracting(ConfigError::message).asString().startsWith("include cycle: ");
    }

    @Test
    void includesWorkFromTextWithAPretendFile() throws Exception {
        write("conf.d/web.conf", instance("VI_WEB", 80, "192.0.2.80/24"));

        KeepalivedConfig config = KeepalivedConfigParser.parse("include conf.d/*.conf\n", dir.resolve("keepalived.conf"));

        assertThat(config.instance("VI_WEB")).isPresent();
    }

    @Test
    void theSameFileMayBeIncludedTwice() throws Exception {
        write("scripts.inc", "vrrp_script chk {\n    script /bin/true\n}\n");
        Path main = write("keepalived.conf", "include scripts.inc\ninclude scripts.inc\n");

        ConfigException e = refuse(main);

        assertThat(e.errors()).singleElement().hasToString(dir.resolve("scripts.inc") + ":1: vrrp_script chk is defined"
                + " twice (first at " + dir.resolve("scripts.inc") + ":1)");
    }

    /** Brace groups multiply: forty of them would be 2^40 patterns to look up. */
    @Test
    @Timeout(10)
    void aPatternWithTooManyBraceAlternativesIsAnErrorNotAStall() throws Exception {
        write("a.conf", instance("VI_1", 1, "192.0.2.1"));
        String bomb = "{a,b}".repeat(40) + ".conf";
        Path main = write("keepalived.conf", "include " + bomb + "\n");

        ConfigException e = refuse(main);

        assertThat(e.errors()).singleElement().hasToString(main + ":1: include " + bomb
                + ": not a valid pattern (braces expand to more than 1024 patterns)");
        // 1024 alternatives are still fine; one of these is a.conf.
        KeepalivedConfig config = KeepalivedConfigParser.parse("include {a,x}" + "{,b}".repeat(9) + ".conf\n", main);
        assertThat(config.instance("VI_1")).isPresent();
    }
}
