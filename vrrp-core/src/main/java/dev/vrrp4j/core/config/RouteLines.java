package dev.vrrp4j.core.config;

import dev.vrrp4j.core.packet.AddressFamily;
import dev.vrrp4j.core.router.IpRoute;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The lines of {@code virtual_routes} and {@code static_routes} (keepalived.conf(5), following
 * {@code ip route}): {@code [to] [blackhole|unreachable|prohibit] PREFIX|default} with {@code src},
 * {@code via}/{@code gw}, {@code dev}/{@code oif}, {@code table}, {@code metric} (also {@code priority},
 * {@code preference}), {@code scope}, {@code protocol}, with keepalived's defaults ({@link IpRoute}).
 * One of keepalived's other options is an error, since installing the route without it would route
 * differently.
 */
final class RouteLines extends RoutingWords {
    /** Scopes by name (iproute2's rt_scopes). */
    private static final Map<String, Integer> SCOPES = Map.of("global", 0, "universe", 0, "site", 200, "link", 253,
            "host", 254, "nowhere", 255);
    /** Protocols by name (iproute2's rt_protos). */
    private static final Map<String, Integer> PROTOCOLS = Map.ofEntries(Map.entry("unspec", 0),
            Map.entry("redirect", 1), Map.entry("kernel", 2), Map.entry("boot", 3), Map.entry("static", 4),
            Map.entry("gated", 8), Map.entry("ra", 9), Map.entry("mrt", 10), Map.entry("zebra", 11),
            Map.entry("bird", 12), Map.entry("dnrouted", 13), Map.entry("xorp", 14), Map.entry("ntk", 15),
            Map.entry("dhcp", 16), Map.entry("keepalived", 18), Map.entry("babel", 42), Map.entry("bgp", 186),
            Map.entry("isis", 187), Map.entry("ospf", 188), Map.entry("rip", 189), Map.entry("eigrp", 192));
    /** keepalived route options vrrp4j does not install. */
    private static final Set<String> UNSUPPORTED_ROUTE_OPTIONS = Set.of("from", "tos", "dsfield", "onlink", "encap",
            "expires", "mtu", "hoplimit", "advmss", "rtt", "rttvar", "reordering", "window", "cwnd", "ssthresh",
            "realms", "rto_min", "initcwnd", "initrwnd", "features", "quickack", "congctl", "pref", "ttl-propagate",
            "fastopen_no_cookie", "add", "append", "or", "nexthop", "track_group", "vrf", "as", "local", "broadcast",
            "anycast", "multicast", "throw", "nat", "xresolve");

    RouteLines(Diagnostics diagnostics) {
        super(diagnostics);
    }

    /** Reads the lines of one {@code virtual_routes} or {@code static_routes} block into {@code routes}. */
    void readRoutes(Statement block, String keyword, List<IpRoute> routes) {
        readLines(block, keyword, routes, this::route);
    }

    private IpRoute route(Statement line, String keyword) {
        if (!values.noBlock(line)) {
            return null;
        }
        List<String> words = words(line);
        String what = keyword + " '" + String.join(" ", words) + "'";
        AddressFamily family = null;
        IpRoute.Type type = IpRoute.Type.UNICAST;
        Prefix destination = null;
        InetAddress source = null;
        InetAddress gateway = null;
        String device = null;
        long table = IpRoute.TABLE_MAIN;
        long metric = -1;
        int scope = 0;
        int protocol = IpRoute.PROTOCOL_KEEPALIVED;
        boolean protocolGiven = false;
        boolean noTrack = false;
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            switch (word) {
                case "inet", "inet6" -> {
                    AddressFamily f = word.equals("inet") ? AddressFamily.IPV4 : AddressFamily.IPV6;
                    if (family != null && family != f) {
                        return mixed(line, what);
                    }
                    family = f;
                }
                case "prepend" -> { } // keepalived's default: added without NLM_F_EXCL, as vrrp4j does
                case "no_track" -> {
                    noTrack(line, keyword);
                    noTrack = true;
                }
                case "proto" -> {
                    diagnostics.error(line.where(), what + ": unknown option 'proto' (keepalived's is 'protocol')");
                    return null;
                }
                case "src", "via", "gw", "table", "protocol", "scope", "metric", "priority", "preference", "dev",
                     "oif" -> {
                    String value = value(line, what, words, ++i);
                    if (value == null) {
                        return null;
                    }
                    if ((word.equals("via") || word.equals("gw")) && (value.equals("inet") || value.equals("inet6"))) {
                        value = value(line, what, words, ++i); // the family is the address's
                        if (value == null) {
                            return null;
                        }
                    }
                    switch (word) {
                        case "src", "via", "gw" -> {
                            InetAddress address = values.literal(line, what + ": " + word, value);
                            if (address == null) {
                                return null;
                            }
                            AddressFamily f = familyOf(address);
                            if (family != null && family != f) {
                                return mixed(line, what);
                            }
                            family = f;
                            if (word.equals("src")) {
                                source = address;
                            } else {
                                gateway = address;
                            }
                        }
                        case "table" -> {
                            Long t = table(line, what, value, 0);
                            if (t == null) {
                                return null;
                            }
                            table = t == 0 ? IpRoute.TABLE_MAIN : t; // the kernel's reading of RT_TABLE_UNSPEC
                        }
                        case "protocol" -> {
                            Long p = named(line, what + ": protocol", value, PROTOCOLS, 0, 255);
                            if (p == null) {
                                return null;
                            }
                            protocol = p.intValue();
                            protocolGiven = true;
                        }
                        case "scope" -> {
                            Long s = named(line, what + ": scope", value, SCOPES, 0, 255);
                            if (s == null) {
                                return null;
                            }
                            scope = s.intValue();
                        }
                        case "metric", "priority", "preference" -> {
                            Long m = values.integer(line, what + ": " + word, value, 0, U32);
                            if (m == null) {
                                return null;
                            }
                            metric = m;
                        }
                        default -> device = value; // dev, oif
                    }
                }
                default -> {
                    if (UNSUPPORTED_ROUTE_OPTIONS.contains(word)) {
                        diagnostics.error(line.where(), what + ": option '" + word + "' is not supported by vrrp4j"
                                + " (it implements src, via/gw, dev/oif, table, metric, scope, protocol and the types"
                                + " blackhole, unreachable, prohibit)");
                        return null;
                    }
                    if (word.equals("to")) {
                        word = value(line, what, words, ++i);
                        if (word == null) {
                            return null;
                        }
                    }
                    IpRoute.Type named = switch (word) {
                        case "unicast" -> IpRoute.Type.UNICAST;
                        case "blackhole" -> IpRoute.Type.BLACKHOLE;
                        case "unreachable" -> IpRoute.Type.UNREACHABLE;
                        case "prohibit" -> IpRoute.Type.PROHIBIT;
                        default -> null;
                    };
                    if (named != null) {
                        type = named;
                        word = value(line, what, words, ++i);
                        if (word == null) {
                            return null;
                        }
                    }
                    if (destination != null) {
                        diagnostics.error(line.where(), what + (looksLikePrefix(word)
                                ? ": a second destination '" + word + "'; one route per line"
                                : ": unknown option '" + word + "'"));
                        return null;
                    }
                    destination = prefix(line, what, "destination", word);
                    if (destination == null) {
                        return null;
                    }
                    if (destination.address() != null) {
                        AddressFamily f = familyOf(destination.address());
                        if (family != null && family != f) {
                            return mixed(line, what);
                        }
                        family = f;
                    }
                }
            }
        }
        if (destination == null) {
            diagnostics.error(line.where(), what + ": no destination (write the prefix, e.g. 198.51.100.0/24, or"
                    + " default)");
            return null;
        }
        if (family == null) {
            family = AddressFamily.IPV4; // keepalived's default for a route that names no address
        }
        if (protocolGiven && protocol != IpRoute.PROTOCOL_KEEPALIVED && !noTrack && device != null) {
            // keepalived tracks a route with a device unless no_track, and a tracked route is its own
            diagnostics.warn(line.where(), keyword, what + ": protocol " + protocol + " is replaced by keepalived (18),"
                    + " as keepalived does for a route with a dev and without no_track");
            protocol = IpRoute.PROTOCOL_KEEPALIVED;
        }
        InetAddress dst = destination.address() != null ? destination.address() : any(family);
        try {
            return new IpRoute(type, dst, destination.bits(), source, gateway, device, table, metric, scope, protocol);
        } catch (IllegalArgumentException e) {
            diagnostics.error(line.where(), what + ": " + e.getMessage());
            return null;
        }
    }

    private static boolean looksLikePrefix(String word) {
        int slash = word.indexOf('/');
        try {
            Values.address(slash < 0 ? word : word.substring(0, slash));
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
