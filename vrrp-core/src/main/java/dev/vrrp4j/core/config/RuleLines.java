package dev.vrrp4j.core.config;

import dev.vrrp4j.core.packet.AddressFamily;
import dev.vrrp4j.core.router.IpRule;

import java.util.List;
import java.util.Set;

/**
 * The lines of {@code virtual_rules} and {@code static_rules} (keepalived.conf(5), following
 * {@code ip rule}): {@code from}, {@code to}, {@code table}/{@code lookup},
 * {@code priority}/{@code preference}/{@code order}, {@code iif}/{@code dev}, {@code oif},
 * {@code fwmark N[/MASK]}, and the actions {@code blackhole}, {@code unreachable}, {@code prohibit}.
 * One instance reads the whole file, because keepalived numbers the rules written without a
 * preference across it.
 */
final class RuleLines extends RoutingWords {
    /** keepalived's first preference for a rule written without one, counted down per family. */
    private static final long FIRST_DEFAULT_RULE_PRIORITY = 16384;
    /** keepalived rule options vrrp4j does not install. */
    private static final Set<String> UNSUPPORTED_RULE_OPTIONS = Set.of("not", "tos", "dsfield", "realms",
            "suppress_prefixlength", "sup_pl", "suppress_ifgroup", "sup_group", "tunnel-id", "uidrange", "l3mdev",
            "protocol", "ipproto", "sport", "dport", "goto", "nop", "track_group");

    private long nextDefaultRulePriorityV4 = FIRST_DEFAULT_RULE_PRIORITY;
    private long nextDefaultRulePriorityV6 = FIRST_DEFAULT_RULE_PRIORITY;

    RuleLines(Diagnostics diagnostics) {
        super(diagnostics);
    }

    /** Reads the lines of one {@code virtual_rules} or {@code static_rules} block into {@code rules}. */
    void readRules(Statement block, String keyword, List<IpRule> rules) {
        readLines(block, keyword, rules, this::rule);
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
}
