package dev.vrrp4j.examples.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.vrrp4j.core.packet.PacketDropReason;
import dev.vrrp4j.core.router.State;
import dev.vrrp4j.netty.NodeStatus;
import dev.vrrp4j.netty.RouterStatus;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code --status-port}: serves the node's status on 127.0.0.1 only, as JSON at {@code /status} and
 * in the Prometheus text format at {@code /metrics}. Read-only; nothing here changes the node.
 */
final class StatusServer implements AutoCloseable {
    private final HttpServer server;
    private final Supplier<NodeStatus> status;

    StatusServer(int port, Supplier<NodeStatus> status) throws IOException {
        this.status = status;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 8);
        server.createContext("/status", exchange -> respond(exchange, "application/json", json(status.get())));
        server.createContext("/metrics", exchange -> respond(exchange, "text/plain; version=0.0.4",
                prometheus(status.get())));
        server.setExecutor(null); // the server's own single thread: status requests are rare and cheap
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    private static void respond(HttpExchange exchange, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        int code = exchange.getRequestMethod().equals("GET") ? 200 : 405;
        exchange.getResponseHeaders().set("Content-Type", contentType + "; charset=utf-8");
        exchange.sendResponseHeaders(code, code == 200 ? bytes.length : -1);
        if (code == 200) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
        exchange.close();
    }

    static String json(NodeStatus status) {
        StringBuilder sb = new StringBuilder("{\"routers\":[");
        for (int i = 0; i < status.routers().size(); i++) {
            RouterStatus r = status.routers().get(i);
            sb.append(i == 0 ? "" : ",").append('{')
                    .append("\"name\":").append(quote(r.name()))
                    .append(",\"vrid\":").append(r.vrid())
                    .append(",\"family\":").append(quote(r.family().name()))
                    .append(",\"interface\":").append(quote(r.interfaceName()))
                    .append(",\"state\":").append(quote(r.state().keepalivedName()))
                    .append(",\"priority\":").append(r.priority())
                    .append(",\"configuredPriority\":").append(r.configuredPriority())
                    .append(",\"activeAddress\":").append(r.activeAddress() == null ? "null"
                            : quote(r.activeAddress().getHostAddress()))
                    .append(",\"secondsInState\":").append(r.timeInState().toMillis() / 1000.0)
                    .append(",\"advertsSent\":").append(r.advertsSent())
                    .append(",\"advertsReceived\":").append(r.advertsReceived())
                    .append(",\"transitions\":").append(r.transitions())
                    .append(",\"addressesRestored\":").append(r.addressesRestored())
                    .append(",\"unsignedAdvertsAccepted\":").append(r.unsignedAdvertsAccepted())
                    .append(",\"drops\":").append(drops(r.drops()))
                    .append(",\"splitBrain\":").append(splitBrain(r))
                    .append('}');
        }
        return sb.append("],\"unattributedDrops\":").append(drops(status.unattributedDrops()))
                .append(",\"listenerFailures\":").append(status.listenerFailures())
                .append(",\"generation\":").append(status.generation()).append("}\n").toString();
    }

    /** Episode counts, whether one is going on, and the other party of the latest one. */
    private static String splitBrain(RouterStatus r) {
        StringBuilder sb = new StringBuilder("{\"episodes\":").append(r.splitBrainEpisodes())
                .append(",\"addressConflicts\":").append(r.addressConflictEpisodes())
                .append(",\"ongoing\":").append(r.splitBrainOngoing())
                .append(",\"last\":");
        var last = r.lastSplitBrain();
        if (last == null) {
            sb.append("null");
        } else {
            sb.append("{\"kind\":").append(quote(last.kind().name()))
                    .append(",\"other\":").append(quote(last.other()))
                    .append(",\"otherPriority\":").append(last.otherPriority())
                    .append(",\"yielding\":").append(last.yielding())
                    .append(",\"at\":").append(quote(last.at().toString())).append('}');
        }
        return sb.append('}').toString();
    }

    private static String drops(Map<PacketDropReason, Long> drops) {
        StringBuilder sb = new StringBuilder("{");
        drops.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e ->
                sb.append(sb.length() == 1 ? "" : ",").append(quote(e.getKey().name())).append(':').append(e.getValue()));
        return sb.append('}').toString();
    }

    static String prometheus(NodeStatus status) {
        StringBuilder sb = new StringBuilder();
        sb.append("# HELP vrrp_state Router state: 0 INIT, 1 BACKUP, 2 MASTER (Active), 3 FAULT.\n# TYPE vrrp_state gauge\n");
        status.routers().forEach(r -> sb.append("vrrp_state").append(labels(r)).append(' ').append(code(r.state())).append('\n'));
        sb.append("# HELP vrrp_priority Priority in effect.\n# TYPE vrrp_priority gauge\n");
        status.routers().forEach(r -> sb.append("vrrp_priority").append(labels(r)).append(' ').append(r.priority()).append('\n'));
        counter(sb, status, "vrrp_adverts_sent_total", "Advertisements sent.", RouterStatus::advertsSent);
        counter(sb, status, "vrrp_adverts_received_total", "Advertisements received for the router's VRID.",
                RouterStatus::advertsReceived);
        counter(sb, status, "vrrp_transitions_total", "State changes.", RouterStatus::transitions);
        counter(sb, status, "vrrp_addresses_restored_total",
                "Virtual addresses another process removed while Active, put back.", RouterStatus::addressesRestored);
        counter(sb, status, "vrrp_unsigned_adverts_accepted_total",
                "Advertisements without an auth_hmac trailer accepted in receive-only or permissive mode.",
                RouterStatus::unsignedAdvertsAccepted);
        sb.append("# HELP vrrp_drops_total Packets dropped, by reason.\n# TYPE vrrp_drops_total counter\n");
        for (RouterStatus r : status.routers()) {
            for (PacketDropReason reason : PacketDropReason.values()) {
                String l = labels(r);
                sb.append("vrrp_drops_total").append(l, 0, l.length() - 1).append(",reason=\"").append(reason.name())
                        .append("\"} ").append(r.drops().getOrDefault(reason, 0L)).append('\n');
            }
        }
        sb.append("# HELP vrrp_split_brain_episodes_total Split-brain episodes while Active, by kind.\n"
                + "# TYPE vrrp_split_brain_episodes_total counter\n");
        for (RouterStatus r : status.routers()) {
            String l = labels(r);
            sb.append("vrrp_split_brain_episodes_total").append(l, 0, l.length() - 1).append(",kind=\"ADVERTISEMENT\"} ")
                    .append(r.splitBrainEpisodes()).append('\n');
            sb.append("vrrp_split_brain_episodes_total").append(l, 0, l.length() - 1).append(",kind=\"ADDRESS_CONFLICT\"} ")
                    .append(r.addressConflictEpisodes()).append('\n');
        }
        return sb.toString();
    }

    private static void counter(StringBuilder sb, NodeStatus status, String name, String help,
                                java.util.function.ToLongFunction<RouterStatus> value) {
        sb.append("# HELP ").append(name).append(' ').append(help).append("\n# TYPE ").append(name).append(" counter\n");
        status.routers().forEach(r -> sb.append(name).append(labels(r)).append(' ').append(value.applyAsLong(r)).append('\n'));
    }

    private static String labels(RouterStatus r) {
        return "{router=" + quote(r.name()) + ",vrid=\"" + r.vrid() + "\",family=\"" + r.family() + "\",interface="
                + quote(r.interfaceName()) + "}";
    }

    private static int code(State state) {
        return switch (state) {
            case INITIALIZE -> 0;
            case BACKUP -> 1;
            case ACTIVE -> 2;
            case FAULT -> 3;
        };
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
