package dev.vrrp4j.examples.cli;

import dev.vrrp4j.core.packet.AddressFamily;
import dev.vrrp4j.core.packet.PacketDropReason;
import dev.vrrp4j.core.router.State;
import dev.vrrp4j.netty.NodeStatus;
import dev.vrrp4j.netty.RouterStatus;
import dev.vrrp4j.netty.SplitBrainEvent;
import dev.vrrp4j.core.router.SplitBrainKind;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@code --status-port} serves, from a hand-built {@link NodeStatus}: the JSON at
 * {@code /status} (parsed back, and as exact text) and the Prometheus text at {@code /metrics}
 * (one sample per router and metric, one per drop reason), with awkward router names escaped;
 * and the server itself on an ephemeral loopback port.
 */
class StatusServerTest {
    private static final RouterStatus ACTIVE = new RouterStatus("VI_1", 51, AddressFamily.IPV4, "eth0", State.ACTIVE,
            150, 150, address("192.0.2.10"), Duration.ofMillis(2_500), 25, 3, 2,
            Map.of(PacketDropReason.BAD_TTL, 4L, PacketDropReason.BAD_CHECKSUM, 1L), 2, 1, true,
            new SplitBrainEvent("VI_1", 51, AddressFamily.IPV4, SplitBrainKind.ADVERTISEMENT, address("192.0.2.11"), 100,
                    null, address("192.0.2.10"), 150, false, java.time.Instant.parse("2025-01-02T03:04:05Z")), 6, 9);
    /** A name keepalived would accept quoted, with both characters JSON and Prometheus must escape. */
    private static final RouterStatus ODD = new RouterStatus("we\"ird\\VI", 52, AddressFamily.IPV6, "eth1",
            State.BACKUP, 50, 120, null, Duration.ofMillis(250), 0, 40, 1, Map.of(), 0, 0, false, null, 0, 0);
    private static final NodeStatus STATUS = new NodeStatus(List.of(ACTIVE, ODD),
            Map.of(PacketDropReason.VRID_MISMATCH, 7L), 1, 3);

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    // ------------------------------------------------------------------ JSON

    @Test
    void jsonIsWellFormedAndCarriesEveryRoutersStatus() {
        Object parsed = new Json(StatusServer.json(STATUS)).parse();

        assertThat(parsed).isInstanceOf(Map.class);
        Map<?, ?> node = (Map<?, ?>) parsed;
        assertThat(new ArrayList<Object>(node.keySet())).containsExactly("routers", "unattributedDrops", "listenerFailures",
                "generation");
        assertThat(node.get("unattributedDrops")).isEqualTo(Map.of("VRID_MISMATCH", 7.0));
        assertThat(node.get("listenerFailures")).isEqualTo(1.0);
        assertThat(node.get("generation")).isEqualTo(3.0);
        List<?> routers = (List<?>) node.get("routers");
        assertThat(routers).hasSize(2);

        Map<?, ?> active = (Map<?, ?>) routers.get(0);
        assertThat(active.get("name")).isEqualTo("VI_1");
        assertThat(active.get("vrid")).isEqualTo(51.0);
        assertThat(active.get("family")).isEqualTo("IPV4");
        assertThat(active.get("interface")).isEqualTo("eth0");
        assertThat(active.get("state")).as("keepalived's name for Active").isEqualTo("MASTER");
        assertThat(active.get("priority")).isEqualTo(150.0);
        assertThat(active.get("configuredPriority")).isEqualTo(150.0);
        assertThat(active.get("activeAddress")).isEqualTo("192.0.2.10");
        assertThat(active.get("secondsInState")).isEqualTo(2.5);
        assertThat(active.get("advertsSent")).isEqualTo(25.0);
        assertThat(active.get("advertsReceived")).isEqualTo(3.0);
        assertThat(active.get("transitions")).isEqualTo(2.0);
        assertThat(active.get("addressesRestored")).isEqualTo(6.0);
        assertThat(active.get("unsignedAdvertsAccepted")).isEqualTo(9.0);
        assertThat(active.get("drops")).isEqualTo(Map.of("BAD_TTL", 4.0, "BAD_CHECKSUM", 1.0));
        assertThat(active.get("splitBrain")).isEqualTo(Map.of("episodes", 2.0, "addressConflicts", 1.0, "ongoing", true,
                "last", Map.of("kind", "ADVERTISEMENT", "other", "192.0.2.11", "otherPriority", 100.0, "yielding", false,
                        "at", "2025-01-02T03:04:05Z")));

        Map<?, ?> odd = (Map<?, ?>) routers.get(1);
        assertThat(odd.get("name")).isEqualTo("we\"ird\\VI");
        assertThat(odd.get("state")).isEqualTo("BACKUP");
        assertThat(odd.get("family")).isEqualTo("IPV6");
        assertThat(odd.get("priority")).isEqualTo(50.0);
        assertThat(odd.get("configuredPriority")).isEqualTo(120.0);
        assertThat(odd.containsKey("activeAddress")).isTrue();
        assertThat(odd.get("activeAddress")).isNull();
        assertThat(odd.get("drops")).isEqualTo(Map.of());
    }

    @Test
    void jsonText() {
        NodeStatus one = new NodeStatus(List.of(ODD), Map.of(), 0, 1);

        assertThat(StatusServer.json(one)).isEqualTo("{\"routers\":[{\"name\":\"we\\\"ird\\\\VI\",\"vrid\":52,"
                + "\"family\":\"IPV6\",\"interface\":\"eth1\",\"state\":\"BACKUP\",\"priority\":50,"
                + "\"configuredPriority\":120,\"activeAddress\":null,\"secondsInState\":0.25,\"advertsSent\":0,"
                + "\"advertsReceived\":40,\"transitions\":1,\"addressesRestored\":0,\"unsignedAdvertsAccepted\":0,\"drops\":{},\"splitBrain\":{\"episodes\":0,"
                + "\"addressConflicts\":0,\"ongoing\":false,\"last\":null}}],\"unattributedDrops\":{},"
                + "\"listenerFailures\":0,\"generation\":1}\n");
    }

    @Test
    void jsonOfANodeWithoutRouters() {
        assertThat(new Json(StatusServer.json(new NodeStatus(List.of(), Map.of(), 0, 1))).parse())
                .isEqualTo(Map.of("routers", List.of(), "unattributedDrops", Map.of(), "listenerFailures", 0.0, "generation", 1.0));
    }

    @Test
    void quoteEscapesWhatJsonRequires() {
        assertThat(StatusServer.quote("a\"b\\c\nd\te\u0001")).isEqualTo("\"a\\\"b\\\\c\\nd\\u0009e\\u0001\"");
        assertThat(new Json(StatusServer.quote("a\"b\\c\nd\te\u0001")).parse()).isEqualTo("a\"b\\c\nd\te\u0001");
    }

    // ------------------------------------------------------------------ Prometheus

    @Test
    void prometheusHasOneSamplePerRouterWithItsLabels() {
        List<String> lines = StatusServer.prometheus(STATUS).lines().toList();
        String vi1 = "{router=\"VI_1\",vrid=\"51\",family=\"IPV4\",interface=\"eth0\"}";
        String odd = "{router=\"we\\\"ird\\\\VI\",vrid=\"52\",family=\"IPV6\",interface=\"eth1\"}";

        assertThat(lines).contains(
                "# TYPE vrrp_state gauge",
                "vrrp_state" + vi1 + " 2",
                "vrrp_state" + odd + " 1",
                "# TYPE vrrp_priority gauge",
                "vrrp_priority" + vi1 + " 150",
                "vrrp_priority" + odd + " 50",
                "# TYPE vrrp_adverts_sent_total counter",
                "vrrp_adverts_sent_total" + vi1 + " 25",
                "vrrp_adverts_sent_total" + odd + " 0",
                "# TYPE vrrp_adverts_received_total counter",
                "vrrp_adverts_received_total" + vi1 + " 3",
                "vrrp_adverts_received_total" + odd + " 40",
                "# TYPE vrrp_split_brain_episodes_total counter",
                "vrrp_split_brain_episodes_total" + vi1.substring(0, vi1.length() - 1) + ",kind=\"ADVERTISEMENT\"} 2",
                "vrrp_split_brain_episodes_total" + vi1.substring(0, vi1.length() - 1) + ",kind=\"ADDRESS_CONFLICT\"} 1",
                "# TYPE vrrp_transitions_total counter",
                "vrrp_transitions_total" + vi1 + " 2",
                "vrrp_transitions_total" + odd + " 1",
                "# TYPE vrrp_addresses_restored_total counter",
                "vrrp_addresses_restored_total" + vi1 + " 6",
                "vrrp_addresses_restored_total" + odd + " 0",
                "# TYPE vrrp_unsigned_adverts_accepted_total counter",
                "vrrp_unsigned_adverts_accepted_total" + vi1 + " 9",
                "vrrp_unsigned_adverts_accepted_total" + odd + " 0",
                "# TYPE vrrp_drops_total counter",
                "vrrp_drops_total{router=\"VI_1\",vrid=\"51\",family=\"IPV4\",interface=\"eth0\",reason=\"BAD_TTL\"} 4",
                "vrrp_drops_total{router=\"VI_1\",vrid=\"51\",family=\"IPV4\",interface=\"eth0\",reason=\"BAD_CHECKSUM\"} 1",
                "vrrp_drops_total{router=\"VI_1\",vrid=\"51\",family=\"IPV4\",interface=\"eth0\",reason=\"TRUNCATED\"} 0",
                "vrrp_drops_total{router=\"we\\\"ird\\\\VI\",vrid=\"52\",family=\"IPV6\",interface=\"eth1\","
                        + "reason=\"UNKNOWN_PEER\"} 0");
    }

    @Test
    void prometheusReportsEveryDropReasonForEveryRouter() {
        List<String> drops = StatusServer.prometheus(STATUS).lines()
                .filter(l -> l.startsWith("vrrp_drops_total{")).toList();

        assertThat(drops).hasSize(2 * PacketDropReason.values().length);
        for (PacketDropReason reason : PacketDropReason.values()) {
            assertThat(drops).filteredOn(l -> l.contains(",reason=\"" + reason.name() + "\"} ")).hasSize(2);
        }
    }

    /** The text format: comments, or {@code name{label="value",...} number}, with only \\ \" \n escapes. */
    @Test
    void prometheusTextIsWellFormed() {
        java.util.regex.Pattern labelValue = java.util.regex.Pattern.compile("\"(?:[^\"\\\\\\n]|\\\\[\\\\\"n])*\"");
        java.util.regex.Pattern sample = java.util.regex.Pattern.compile(
                "[a-z_]+\\{(?:[a-z_]+=" + labelValue + ",)*[a-z_]+=" + labelValue + "} -?\\d+");
        String text = StatusServer.prometheus(STATUS);

        assertThat(text).endsWith("\n");
        assertThat(text.lines()).allSatisfy(line -> assertThat(line.startsWith("# HELP ")
                || line.startsWith("# TYPE ") || sample.matcher(line).matches()).as(line).isTrue());
        // Every metric is announced once, before its samples.
        for (String metric : List.of("vrrp_state", "vrrp_priority", "vrrp_adverts_sent_total",
                "vrrp_adverts_received_total", "vrrp_transitions_total", "vrrp_drops_total")) {
            List<String> lines = text.lines().toList();
            int help = lines.indexOf(lines.stream().filter(l -> l.startsWith("# HELP " + metric + " ")).findFirst()
                    .orElseThrow());
            assertThat(lines.get(help + 1)).startsWith("# TYPE " + metric + " ");
            assertThat(lines.get(help + 2)).startsWith(metric + "{");
            assertThat(lines).filteredOn(l -> l.startsWith("# TYPE " + metric + " ")).hasSize(1);
        }
    }

    // ------------------------------------------------------------------ the server

    @Test
    void servesStatusAndMetricsOnLoopbackAndRefusesOtherMethods() throws Exception {
        try (StatusServer server = new StatusServer(0, () -> STATUS);
             HttpClient client = HttpClient.newHttpClient()) {
            URI base = URI.create("http://127.0.0.1:" + server.port());

            HttpResponse<String> status = client.send(HttpRequest.newBuilder(base.resolve("/status")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(status.statusCode()).isEqualTo(200);
            assertThat(status.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
            assertThat(status.body()).isEqualTo(StatusServer.json(STATUS));

            HttpResponse<String> metrics = client.send(HttpRequest.newBuilder(base.resolve("/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
            assertThat(metrics.body()).isEqualTo(StatusServer.prometheus(STATUS));

            HttpResponse<String> post = client.send(HttpRequest.newBuilder(base.resolve("/status"))
                    .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(405);
        }
    }

    // ------------------------------------------------------------------ a tiny JSON reader

    /** RFC 8259 without leniency: objects (insertion-ordered), arrays, strings, numbers (as Double), literals. */
    private static final class Json {
        private final String text;
        private int at;

        Json(String text) {
            this.text = text;
        }

        Object parse() {
            Object value = value();
            space();
            if (at != text.length()) {
                throw new AssertionError("trailing text at " + at + " in " + text);
            }
            return value;
        }

        private Object value() {
            space();
            if (at >= text.length()) {
                throw new AssertionError("unexpected end of " + text);
            }
            char c = text.charAt(at);
            return switch (c) {
                case '{' -> object();
                case '[' -> array();
                case '"' -> string();
                case 't' -> literal("true", Boolean.TRUE);
                case 'f' -> literal("false", Boolean.FALSE);
                case 'n' -> literal("null", null);
                default -> number();
            };
        }

        private Map<String, Object> object() {
            Map<String, Object> map = new LinkedHashMap<>();
            expect('{');
            space();
            if (peek() == '}') {
                at++;
                return map;
            }
            while (true) {
                space();
                String key = string();
                space();
                expect(':');
                if (map.containsKey(key)) {
                    throw new AssertionError("duplicate key " + key + " in " + text);
                }
                map.put(key, value());
                space();
                if (peek() == ',') {
                    at++;
                } else {
                    expect('}');
                    return map;
                }
            }
        }

        private List<Object> array() {
            List<Object> list = new ArrayList<>();
            expect('[');
            space();
            if (peek() == ']') {
                at++;
                return list;
            }
            while (true) {
                list.add(value());
                space();
                if (peek() == ',') {
                    at++;
                } else {
                    expect(']');
                    return list;
                }
            }
        }

        private String string() {
            expect('"');
            StringBuilder sb = new StringBuilder();
            while (true) {
                char c = text.charAt(at++);
                if (c == '"') {
                    return sb.toString();
                }
                if (c < 0x20) {
                    throw new AssertionError("unescaped control character at " + (at - 1) + " in " + text);
                }
                if (c != '\\') {
                    sb.append(c);
                    continue;
                }
                char e = text.charAt(at++);
                switch (e) {
                    case '"', '\\', '/' -> sb.append(e);
                    case 'b' -> sb.append('\b');
                    case 'f' -> sb.append('\f');
                    case 'n' -> sb.append('\n');
                    case 'r' -> sb.append('\r');
                    case 't' -> sb.append('\t');
                    case 'u' -> {
                        sb.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
                        at += 4;
                    }
                    default -> throw new AssertionError("bad escape \\" + e + " in " + text);
                }
            }
        }

        private Double number() {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("-?(0|[1-9]\\d*)(\\.\\d+)?([eE][+-]?\\d+)?")
                    .matcher(text).region(at, text.length());
            if (!m.lookingAt()) {
                throw new AssertionError("not a JSON value at " + at + " in " + text);
            }
            at = m.end();
            return Double.parseDouble(m.group());
        }

        private Object literal(String word, Object value) {
            if (!text.startsWith(word, at)) {
                throw new AssertionError("not a JSON value at " + at + " in " + text);
            }
            at += word.length();
            return value;
        }

        private void expect(char c) {
            if (peek() != c) {
                throw new AssertionError("expected '" + c + "' at " + at + " in " + text);
            }
            at++;
        }

        private char peek() {
            return at < text.length() ? text.charAt(at) : '\0';
        }

        private void space() {
            while (at < text.length() && " \t\r\n".indexOf(text.charAt(at)) >= 0) {
                at++;
            }
        }
    }
}
