package dev.vrrp4j.core.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The configuration language: comments, quotes, escapes and braces, as keepalived 2.2.7 reads them. */
class SyntaxTest {

    private static List<String> words(String text) {
        return Words.split(text, false, problem -> {
            throw new AssertionError(problem);
        }).stream().map(Words.Word::text).toList();
    }

    @Test
    void scriptsSplitAtUnquotedWhitespaceLikeKeepalived() throws Exception {
        // keepalived 2.2.7 dumps this script as: '/usr/bin/curl' '-s' 'http://a b/x#y' 'q' '!x'
        KeepalivedConfig config = Resources.parse("""
                vrrp_script chk {
                    script "/usr/bin/curl -s 'http://a b/x#y' \\"q\\" !x"
                }
                """);

        assertThat(config.script("chk").orElseThrow().command())
                .containsExactly("/usr/bin/curl", "-s", "http://a b/x#y", "q", "!x");
    }

    @Test
    void quotesJoinAndKeepWhitespace() {
        assertThat(words("abcd\" efg h jkl \"mnop")).containsExactly("abcd efg h jkl mnop");
        assertThat(words("abcd \"efg h jkl\" mnop")).containsExactly("abcd", "efg h jkl", "mnop");
        assertThat(words("/bin/sh -c 'echo \"a b\"'")).containsExactly("/bin/sh", "-c", "echo \"a b\"");
        assertThat(words("a '' b")).containsExactly("a", "", "b");
    }

    @Test
    void backslashEscapes() {
        assertThat(words("a\\ b")).containsExactly("a b");
        assertThat(words("\"a\\\"b\" c\\\\d")).containsExactly("a\"b", "c\\d");
        assertThat(words("\\t\\x41\\101\\cA\\q")).containsExactly("\tAA\u0001q");
    }

    @Test
    void anUnterminatedQuoteIsReported() {
        StringBuilder problems = new StringBuilder();
        assertThat(Words.split("echo 'it", false, problems::append)).extracting(Words.Word::text).containsExactly("echo", "it");
        assertThat(problems).hasToString("missing closing ' in echo 'it");
    }

    @Test
    void hashAndBangStartCommentsAnywhereOutsideQuotes() throws Exception {
        KeepalivedConfig config = Resources.parse("""
                # a comment
                ! another one
                global_defs { # trailing
                    router_id LB1#glued comment, as keepalived reads it
                }
                vrrp_instance VI_1 {   ! trailing
                    interface eth0
                    virtual_router_id 51 # the VRID
                    version 3
                    virtual_ipaddress {
                        192.0.2.100/24 # the VIP
                    }
                    notify_master "/usr/local/bin/notify #1 !"
                }
                """);

        assertThat(config.globals().routerId()).isEqualTo("LB1");
        VrrpInstance vi = config.instance("VI_1").orElseThrow();
        assertThat(vi.vrid()).isEqualTo(51);
        assertThat(vi.notifyCommands().master()).containsExactly("/usr/local/bin/notify", "#1", "!");
    }

    @Test
    void bracesMayBeGluedOnOneLineOrOnTheNextLine() throws Exception {
        KeepalivedConfig config = Resources.parse("""
                vrrp_script chk_c
                {
                    script /bin/true
                }
                vrrp_instance VI_3{
                    interface eth0
                    virtual_router_id 53
                    version 3
                    virtual_ipaddress {192.0.2.7}
                    track_script { chk_c }
                }
                vrrp_instance VI_5
                {
                  interface eth0
                  virtual_router_id 55
                  version 3
                  virtual_ipaddress
                  {
                    192.0.2.9
                  }
                }
                """);

        assertThat(config.script("chk_c").orElseThrow().command()).containsExactly("/bin/true");
        VrrpInstance vi3 = config.instance("VI_3").orElseThrow();
        assertThat(vi3.virtualAddresses()).extracting(VirtualIp::toString).containsExactly("192.0.2.7/32");
        assertThat(vi3.trackScripts()).containsExactly(new TrackScriptRef("chk_c", null));
        assertThat(config.instance("VI_5").orElseThrow().virtualAddresses()).extracting(VirtualIp::toString)
                .containsExactly("192.0.2.9/32");
    }

    @Test
    void crlfLineEndingsAreFine() throws Exception {
        KeepalivedConfig config = Resources.parse("vrrp_instance VI_1 {\r\n  interface eth0\r\n  virtual_router_id 51\r\n"
                + "  version 3\r\n  virtual_ipaddress {\r\n    192.0.2.100/24\r\n  }\r\n}\r\n");

        assertThat(config.instance("VI_1").orElseThrow().interfaceName()).isEqualTo("eth0");
    }

    @Test
    void groupTakesNamesOnOneOrManyLines() throws Exception {
        String instances = "vrrp_instance A {\n interface eth0\n virtual_router_id 1\n version 3\n virtual_ipaddress {\n 192.0.2.1\n }\n}\n"
                + "vrrp_instance B {\n interface eth0\n virtual_router_id 2\n version 3\n virtual_ipaddress {\n 192.0.2.2\n }\n}\n"
                + "vrrp_instance C {\n interface eth0\n virtual_router_id 3\n version 3\n virtual_ipaddress {\n 192.0.2.3\n }\n}\n";
        KeepalivedConfig config = Resources.parse(instances + "vrrp_sync_group G {\n    group { A B\n        C }\n}\n");

        assertThat(config.syncGroups().getFirst().instances()).containsExactly("A", "B", "C");
    }

    @Test
    void virtualIpaddressOptions() throws Exception {
        KeepalivedConfig config = Resources.parse("""
                vrrp_instance VI_1 {
                    interface eth0
                    virtual_router_id 51
                    version 3
                    virtual_ipaddress {
                        192.0.2.100/24 brd 192.0.2.255 dev eth1 scope global label eth1:1
                        192.0.2.101/24 dev eth1 scope link
                        192.0.2.102 no_track
                    }
                }
                """);

        VrrpInstance vi = config.instance("VI_1").orElseThrow();
        assertThat(vi.virtualAddresses()).extracting(VirtualIp::toString).containsExactly(
                "192.0.2.100/24 dev eth1 label eth1:1 brd 192.0.2.255", "192.0.2.101/24 dev eth1 scope link",
                "192.0.2.102/32 no_track");
        assertThat(config.warnings()).isEmpty();
    }

    @Test
    void brdPlusAndMinusAreWorkedOutFromThePrefixAndScopesByNameOrNumber() throws Exception {
        KeepalivedConfig config = Resources.parse("""
                vrrp_instance VI_1 {
                    interface eth0
                    virtual_router_id 51
                    version 3
                    virtual_ipaddress {
                        192.0.2.100/24 brd + scope host
                        198.51.100.77/26 broadcast - scope 0x10
                        203.0.113.9/30 brd + scope 253
                        203.0.113.200/0 brd - scope nowhere
                    }
                }
                """);

        List<VirtualIp> vips = config.instance("VI_1").orElseThrow().virtualAddresses();
        assertThat(vips).extracting(VirtualIp::broadcast)
                .containsExactly("192.0.2.255", "198.51.100.64", "203.0.113.11", "0.0.0.0");
        assertThat(vips).extracting(VirtualIp::scope).containsExactly(254, 16, 253, 255);
        assertThat(vips.getFirst().toVirtualAddress().options().broadcast().getHostAddress()).isEqualTo("192.0.2.255");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "192.0.2.101/31 brd +    | virtual_ipaddress 192.0.2.101/31: brd +: prefix length 31 out of range 0..30",
            "192.0.2.101 brd 1.2.3   | virtual_ipaddress 192.0.2.101: brd: '1.2.3' is not",
            "192.0.2.101 scope bogus | virtual_ipaddress 192.0.2.101: scope bogus out of range 0..255",
            "192.0.2.101 scope 256   | virtual_ipaddress 192.0.2.101: scope 256 out of range 0..255",
            "192.0.2.101 label abcdefghijklmnop | virtual_ipaddress 192.0.2.101: label abcdefghijklmnop length 16 out of range 1..15",
            "192.0.2.101 dev lo dev eth1 | virtual_ipaddress 192.0.2.101: dev eth1: dev given twice",
            "192.0.2.101 label \"eth0 1\" | virtual_ipaddress 192.0.2.101: label 'eth0 1' length 6 out of range 1..15",
    })
    void badAddressOptionsAreErrorsNamingTheLineTheOptionAndTheRange(String line, String message) {
        assertThatThrownBy(() -> Resources.parse("""
                vrrp_instance VI_1 {
                    interface eth0
                    virtual_router_id 51
                    virtual_ipaddress {
                        %s
                    }
                }
                """.formatted(line))).isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).errors()).singleElement()
                        .satisfies(error -> {
                            assertThat(error.where().line()).isEqualTo(5);
                            assertThat(error.message()).startsWith(message);
                        }));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "2001:db8::7/64 brd +       | brd +: IPv6 has no broadcast",
            "2001:db8::7/64 scope link  | scope link: IPv6 address scopes",
            "2001:db8::7/64 label eth0:1 | label eth0:1: labels are IPv4 only",
    })
    void ipv4OnlyOptionsOnAnIpv6AddressAreErrorsAsKeepalivedReportsThem(String line, String message) {
        assertThatThrownBy(() -> Resources.parse("""
                vrrp_instance VI_1 {
                    interface eth0
                    virtual_router_id 51
                    virtual_ipaddress {
                        192.0.2.100/24
                    }
                    virtual_ipaddress_excluded {
                        %s
                    }
                }
                """.formatted(line))).isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).errors()).singleElement()
                        .satisfies(error -> {
                            assertThat(error.where().line()).isEqualTo(8);
                            assertThat(error.message()).contains(message);
                        }));
    }
}
