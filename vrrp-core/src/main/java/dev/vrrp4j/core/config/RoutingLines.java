package dev.vrrp4j.core.config;

import dev.vrrp4j.core.packet.AddressFamily;
import dev.vrrp4j.core.router.IpRoute;
import dev.vrrp4j.core.router.IpRule;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The lines of {@code virtual_routes} / {@code static_routes} and {@code virtual_rules} /
 * {@code static_rules}, in keepalived's syntax (keepalived.conf(5), which follows {@code ip route}
 * and {@code ip rule}), one route or rule per line. vrrp4j implements the options that choose what
 * is routed where ({@code src}, {@code via}/{@code gw}, {@code dev}/{@code oif}, {@code table},
 * {@code metric}, {@code scope}, {@code protocol}, the types {@code blackhole}, {@code unreachable},
 * {@code prohibit}; rules {@code from}, {@code to}, {@code table}/{@code lookup},
 * {@code priority}/{@code preference}/{@code order}, {@code iif}/{@code dev}, {@code oif},
 * {@code fwmark}); one of keepalived's other options is an error, since installing the route
 * without it would route differently. One instance reads the whole file, because keepalived numbers
 * the rules written without a preference across it.
 */
final class RoutingLines {
    /** keepalived's first preference for a rule written without one, counted down per family. */
    private static final long FIRST_DEFAULT_RULE_PRIORITY = 16384;
    private static final long U32 = IpRoute.MAX_UNSIGNED_32;
    /** The tables iproute2 names without an rt_tables file. */
    private static final Map<String, Long> TABLES = Map.of("main", 254L, "local", 255L, "default", 253L);
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
    /** keepalived rule options vrrp4j does not install. */
    private static final Set<String> UNSUPPORTED_RULE_OPTIONS = Set.of("not", "tos", "dsfield", "realms",
            "suppress_prefixlength", "sup_pl", "suppress_ifgroup", "sup_group", "tunnel-id", "uidrange", "l3mdev",
            "protocol", "ipproto", "sport", "dport", "goto", "nop", "track_group");

    private final Diagnostics diagnostics;
    private final Values values;
    private long nextDefaultRulePriorityV4 = FIRST_DEFAULT_RULE_PRIORITY;
    private long nextDefaultRulePriorityV6 = FIRST_DEFAULT_RULE_PRIORITY;

    RoutingLines(Diagnostics diagnostics) {
        this.diagnostics = diagnostics;
        this.values = new Values(diagnostics);
    }

    /** A prefix as written: {@code A}, {@code A/N}, or {@code default}/{@code all}/{@code any} (family open). */
    private record Prefix(InetAddress address, int bits) {}

    /** Reads the lines of one {@code virtual_routes} or {@code static_routes} block into {@code routes}. */
    void readRoutes(Statement block, String keyword, List<IpRoute> routes) {
        if (values.block(block, 0)) {
            for (Statement line : block.block()) {
                IpRoute route = route(line, keyword);
                if (route != null && routes.contains(route)) {
                    diagnostics.warn(line.where(), keyword, keyword + " " + route + " is listed twice; it is installed once");
                } else if (route != null) {
                    routes.add(route);
                }
            }
        }
    }

    /** Reads the lines of one {@code virtual_rules} or {@code static_rules} block into {@code rules}. */
    void readRules(Statement block, String keyword, List<IpRule> rules) {
        if (values.block(block, 0)) {
            for (Statement line : block.block()) {
                IpRule rule = rule(line, keyword);
                if (rule != null && rules.contains(rule)) {
                    diagnostics.warn(line.where(), keyword, keyword + " " + rule + " is listed twice; it is installed once");
                } else if (rule != null) {
                    rules.add(rule);
                }
            }
        }
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
                        diagnostics.error(line.where(), what + ": a second destination '" + word + "'; one route per line");
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

    private IpRule rule(Statement line, String keyword) {
        if (!values.noBlock(line)) {
            return null;
        }
        List<String> words = words(line);
        String what = keyword + " '" + String.join(" ", words) + "'";
        AddressFamily family = null;
        Prefix from = null;
        Prefix to = null;
        IpRule.Action action = null;
        long table = 0;
        long priority = -1;
        String iif = null;
        String oif = null;
        long fwmark = -1;
        long fwmask = -1;
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
                case "no_track" -> noTrack(line, keyword);
                case "from", "to", "table", "lookup", "priority", "preference", "order", "dev", "iif", "oif", "fwmark",
                     "type" -> {
                    String value = value(line, what, words, ++i);
                    if (value == null) {
                        return null;
                    }
                    switch (word) {
                        case "from", "to" -> {
                            Prefix p = prefix(line, what, word, value);
                            if (p == null) {
                                return null;
                            }
                            if (p.address() != null) {
                                AddressFamily f = familyOf(p.address());
                                if (family != null && family != f) {
                                    return mixed(line, what);
                                }
                                family = f;
                            }
                            if (word.equals("from")) {
                                from = p;
                            } else {
                                to = p;
                            }
                        }
                        case "table", "lookup" -> {
                            Long t = table(line, what, value, 1);
                            if (t == null || !oneAction(line, what, action)) {
                                return null;
                            }
                            table = t;
                            action = IpRule.Action.TABLE;
                        }
                        case "priority", "preference", "order" -> {
                            Long p = values.integer(line, what + ": " + word, value, 0, U32);
                            if (p == null) {
                                return null;
                            }
                            priority = p;
                        }
                        case "dev", "iif" -> iif = value;
                        case "oif" -> oif = value;
                        case "fwmark" -> {
                            long[] markAndMask = fwmark(line, what, value);
                            if (markAndMask == null) {
                                return null;
                            }
                            fwmark = markAndMask[0];
                            fwmask = markAndMask[1];
                        }
                        default -> { // type
                            IpRule.Action a = ruleType(value);
                            if (a == null) {
                                diagnostics.error(line.where(), what + ": type '" + value + "' is not blackhole,"
                                        + " unreachable or prohibit");
                                return null;
                            }
                            if (!oneAction(line, what, action)) {
                                return null;
                            }
                            action = a;
                        }
                    }
                }
                default -> {
                    IpRule.Action a = ruleType(word);
                    if (a != null) {
                        if (!oneAction(line, what, action)) {
                            return null;
                        }
                        action = a;
                    } else if (UNSUPPORTED_RULE_OPTIONS.contains(word)) {
                        diagnostics.error(line.where(), what + ": option '" + word + "' is not supported by vrrp4j"
                                + " (it implements from, to, table/lookup, priority/preference/order, iif/dev, oif,"
                                + " fwmark and the actions blackhole, unreachable, prohibit)");
                        return null;
                    } else {
                        diagnostics.error(line.where(), what + ": unknown option '" + word + "'");
                        return null;
                    }
                }
            }
        }
        if (action == null) {
            diagnostics.error(line.where(), what + ": no action (give a table, or blackhole, unreachable or prohibit)");
            return null;
        }
        if (family == null) {
            family = AddressFamily.IPV4; // keepalived's default for a rule that names no address
        }
        if (priority < 0) {
            // keepalived numbers them down from 16384, per family, in file order, and warns the same way
            priority = family == AddressFamily.IPV4 ? nextDefaultRulePriorityV4-- : nextDefaultRulePriorityV6--;
            diagnostics.warn(line.where(), keyword, what + " has no preference; it gets " + priority
                    + ", as keepalived numbers such rules (give a priority)");
        }
        try {
            return new IpRule(family, from == null ? null : from.address(), from == null ? 0 : from.bits(),
                    to == null ? null : to.address(), to == null ? 0 : to.bits(), action, table, priority, iif, oif,
                    fwmark, fwmask);
        } catch (IllegalArgumentException e) {
            diagnostics.error(line.where(), what + ": " + e.getMessage());
            return null;
        }
    }

    private static List<String> words(Statement line) {
        List<String> words = new ArrayList<>();
        words.add(line.name());
        line.args().forEach(token -> words.add(token.text()));
        return words;
    }

    private String value(Statement line, String what, List<String> words, int i) {
        if (i >= words.size()) {
            diagnostics.error(line.where(), what + ": '" + words.get(i - 1) + "' needs a value");
            return null;
        }
        return words.get(i);
    }

    private <T> T mixed(Statement line, String what) {
        diagnostics.error(line.where(), what + ": mixes IPv4 and IPv6; a route or rule is of one family");
        return null;
    }

    private void noTrack(Statement line, String keyword) {
        diagnostics.warnOnce(line.where(), "no_track", keyword + " option no_track has no effect: vrrp4j does not"
                + " watch its routes and rules for removal");
    }

    private boolean oneAction(Statement line, String what, IpRule.Action action) {
        if (action != null) {
            diagnostics.error(line.where(), what + ": more than one of table, blackhole, unreachable, prohibit");
            return false;
        }
        return true;
    }

    private static IpRule.Action ruleType(String word) {
        return switch (word) {
            case "blackhole" -> IpRule.Action.BLACKHOLE;
            case "unreachable" -> IpRule.Action.UNREACHABLE;
            case "prohibit" -> IpRule.Action.PROHIBIT;
            default -> null;
        };
    }

    private Prefix prefix(Statement line, String what, String field, String text) {
        if (text.equals("default") || text.equals("all") || text.equals("any")) {
            return new Prefix(null, 0);
        }
        int slash = text.indexOf('/');
        String host = slash < 0 ? text : text.substring(0, slash);
        InetAddress address;
        try {
            address = Values.address(host);
        } catch (IllegalArgumentException e) {
            diagnostics.error(line.where(), what + ": " + (field.equals("destination") ? "unknown option or " : "")
                    + field + " " + e.getMessage());
            return null;
        }
        int max = address.getAddress().length * 8;
        int bits = max;
        if (slash >= 0) {
            Long v = values.integer(line, what + ": " + field + " prefix length", text.substring(slash + 1), 0, max);
            if (v == null) {
                return null;
            }
            bits = v.intValue();
        }
        return new Prefix(address, bits);
    }

    private Long table(Statement line, String what, String text, long min) {
        Long named = TABLES.get(text);
        if (named != null) {
            return named;
        }
        if (!text.chars().allMatch(Character::isDigit)) {
            diagnostics.error(line.where(), what + ": table '" + text + "' is not a number " + min + ".." + U32
                    + " or main, local, default (vrrp4j reads no rt_tables file)");
            return null;
        }
        return values.integer(line, what + ": table", text, min, U32);
    }

    private Long named(Statement line, String what, String text, Map<String, Integer> names, long min, long max) {
        Integer v = names.get(text);
        if (v != null) {
            return v.longValue();
        }
        if (!text.chars().allMatch(Character::isDigit) || text.isEmpty()) {
            diagnostics.error(line.where(), what + " '" + text + "' is not a number " + min + ".." + max
                    + " or one of " + names.keySet().stream().sorted().toList());
            return null;
        }
        return values.integer(line, what, text, min, max);
    }

    /** {@code N} or {@code N/M}, each decimal or 0x hex, as keepalived reads them (strtoul base 0). */
    private long[] fwmark(Statement line, String what, String text) {
        int slash = text.indexOf('/');
        Long mark = unsigned(slash < 0 ? text : text.substring(0, slash));
        Long mask = slash < 0 ? Long.valueOf(-1) : unsigned(text.substring(slash + 1));
        if (mark == null || mask == null) {
            diagnostics.error(line.where(), what + ": fwmark '" + text + "' is not N or N/MASK, each 0.." + U32
                    + " (decimal or 0x hex)");
            return null;
        }
        return new long[] {mark, mask};
    }

    private static Long unsigned(String text) {
        try {
            long v = text.startsWith("0x") || text.startsWith("0X") ? Long.parseLong(text.substring(2), 16)
                    : Long.parseLong(text);
            return v >= 0 && v <= U32 && !text.startsWith("+") ? v : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static AddressFamily familyOf(InetAddress address) {
        return AddressFamily.ofAddressLength(address.getAddress().length);
    }

    private static InetAddress any(AddressFamily family) {
        return Values.address(family == AddressFamily.IPV4 ? "0.0.0.0" : "::");
    }
}
