package dev.vrrp4j.core.config;

import dev.vrrp4j.core.packet.AddressFamily;
import dev.vrrp4j.core.router.IpRoute;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the lines of {@code virtual_routes} / {@code static_routes} ({@link RouteLines}) and
 * {@code virtual_rules} / {@code static_rules} ({@link RuleLines}) have in common: keepalived's syntax
 * for them follows {@code ip route} and {@code ip rule}, one route or rule per line, so both read
 * words, prefixes, tables and families the same way, and report what is wrong naming the line, the
 * option and the value.
 */
abstract sealed class RoutingWords permits RouteLines, RuleLines {
    static final long U32 = IpRoute.MAX_UNSIGNED_32;
    /** The tables iproute2 names without an rt_tables file. */
    private static final Map<String, Long> TABLES = Map.of("main", 254L, "local", 255L, "default", 253L);

    final Diagnostics diagnostics;
    final Values values;

    RoutingWords(Diagnostics diagnostics) {
        this.diagnostics = diagnostics;
        this.values = new Values(diagnostics);
    }

    /** Reads the lines of one block into {@code items}, each through {@code parse}; a repeat is a warning, installed once. */
    <T> void readLines(Statement block, String keyword, List<T> items, java.util.function.BiFunction<Statement, String, T> parse) {
        if (values.block(block, 0)) {
            for (Statement line : block.block()) {
                T item = parse.apply(line, keyword);
                if (item != null && items.contains(item)) {
                    diagnostics.warn(line.where(), keyword, keyword + " " + item + " is listed twice; it is installed once");
                } else if (item != null) {
                    items.add(item);
                }
            }
        }
    }

    /** A prefix as written: {@code A}, {@code A/N}, or {@code default}/{@code all}/{@code any} (family open). */
    record Prefix(InetAddress address, int bits) {}

    static List<String> words(Statement line) {
        List<String> words = new ArrayList<>();
        words.add(line.name());
        line.args().forEach(token -> words.add(token.text()));
        return words;
    }

    String value(Statement line, String what, List<String> words, int i) {
        if (i >= words.size()) {
            diagnostics.error(line.where(), what + ": '" + words.get(i - 1) + "' needs a value");
            return null;
        }
        return words.get(i);
    }

    <T> T mixed(Statement line, String what) {
        diagnostics.error(line.where(), what + ": mixes IPv4 and IPv6; a route or rule is of one family");
        return null;
    }

    void noTrack(Statement line, String keyword) {
        diagnostics.warnOnce(line.where(), "no_track", keyword + " option no_track has no effect: vrrp4j does not"
                + " watch its routes and rules for removal");
    }

    Prefix prefix(Statement line, String what, String field, String text) {
        if (text.equals("default") || text.equals("all") || text.equals("any")) {
            return new Prefix(null, 0);
        }
        int slash = text.indexOf('/');
        String host = slash < 0 ? text : text.substring(0, slash);
        InetAddress address;
        try {
            address = Values.address(host);
        } catch (IllegalArgumentException e) {
            boolean word = field.equals("destination") && !Character.isDigit(host.isEmpty() ? 'x' : host.charAt(0))
                    && host.indexOf(':') < 0;
            // a destination is any word that is no option: a word that is no address either is an unknown option
            diagnostics.error(line.where(), what + ": " + (word ? "unknown option '" + text + "' (and not a destination"
                    + " prefix)" : field + " " + e.getMessage()));
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

    Long table(Statement line, String what, String text, long min) {
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

    Long named(Statement line, String what, String text, Map<String, Integer> names, long min, long max) {
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

    static AddressFamily familyOf(InetAddress address) {
        return AddressFamily.ofAddressLength(address.getAddress().length);
    }

    static InetAddress any(AddressFamily family) {
        return Values.address(family == AddressFamily.IPV4 ? "0.0.0.0" : "::");
    }
}
