package dev.vrrp4j.core.config;

import dev.vrrp4j.core.router.AddressOptions;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The lines of an instance's {@code virtual_ipaddress} blocks:
 * {@code <address>[/<prefix>] [dev IF] [label NAME] [brd A|+|-] [scope S] [no_track] ...}, one
 * address per line. vrrp4j installs the address with its prefix on {@code dev} (default: the
 * instance's interface) with {@code label}, {@code brd} and {@code scope}, as keepalived does;
 * {@code no_track} keeps the instance out of Fault when that interface goes down and leaves the
 * address removed if someone removes it. The other options are warned about and ignored. An
 * address given twice is warned about and kept once.
 */
final class VirtualIpaddressBlock {
    /** keepalived's built-in scope names; it also reads /etc/iproute2/rt_scopes, which vrrp4j does not. */
    private static final Map<String, Integer> SCOPES = Map.of("global", AddressOptions.SCOPE_GLOBAL,
            "site", AddressOptions.SCOPE_SITE, "link", AddressOptions.SCOPE_LINK, "host", AddressOptions.SCOPE_HOST,
            "nowhere", AddressOptions.SCOPE_NOWHERE);
    private final String keyword;
    private final String owner;
    private final Diagnostics diagnostics;
    private final Values values;
    private final List<VirtualIp> addresses = new ArrayList<>();

    /**
     * @param keyword the block's keyword, as the messages name it
     * @param owner   the instance, as the messages name it
     */
    VirtualIpaddressBlock(String keyword, String owner, Diagnostics diagnostics) {
        this.keyword = keyword;
        this.owner = owner;
        this.diagnostics = diagnostics;
        this.values = new Values(diagnostics);
    }

    /** The addresses read so far, in order; a refused line adds none. */
    List<VirtualIp> addresses() {
        return addresses;
    }

    void readLine(Statement line) {
        if (!values.noBlock(line)) {
            return;
        }
        String text = line.name();
        int slash = text.indexOf('/');
        String host = slash < 0 ? text : text.substring(0, slash);
        InetAddress address;
        try {
            address = Values.address(host);
        } catch (IllegalArgumentException e) {
            diagnostics.error(line.where(), keyword + " " + text + ": " + e.getMessage());
            return;
        }
        int max = address instanceof Inet6Address ? 128 : 32;
        int prefix = max;
        if (slash >= 0) {
            Long v = values.integer(line, keyword + " " + text + ": prefix length", text.substring(slash + 1), 0, max);
            if (v == null) {
                return;
            }
            prefix = v.intValue();
        }
        String dev = null;
        String label = null;
        String broadcast = null;
        int scope = AddressOptions.SCOPE_GLOBAL;
        boolean noTrack = false;
        boolean ipv6 = address instanceof Inet6Address;
        List<Token> words = line.args();
        for (int i = 0; i < words.size(); i++) {
            String option = words.get(i).text();
            switch (option) {
                case "dev", "label", "brd", "broadcast", "scope", "peer", "preferred_lft", "track_group" -> {
                    if (i + 1 >= words.size()) {
                        diagnostics.error(line.where(), keyword + " " + text + ": " + option + " needs a value");
                        return;
                    }
                    String value = words.get(++i).text();
                    String what = keyword + " " + text + ": " + option;
                    switch (option) {
                        case "dev" -> {
                            if (dev != null) {
                                diagnostics.error(line.where(), what + " " + value + ": dev given twice (first "
                                        + dev + "); an address goes on one interface");
                                return;
                            }
                            if (value.isEmpty() || value.length() > AddressOptions.MAX_NAME_LENGTH
                                    || value.contains("/")) {
                                diagnostics.error(line.where(), what + " '" + value + "' length " + value.length()
                                        + " out of range 1.." + AddressOptions.MAX_NAME_LENGTH + " (no '/')");
                                return;
                            }
                            dev = value;
                        }
                        case "label" -> {
                            // keepalived refuses a label longer than IFNAMSIZ - 1 and drops the address;
                            // it does not check that the label starts with the interface name (ifconfig's
                            // convention), and neither does the kernel, so neither does vrrp4j
                            if (value.length() > AddressOptions.MAX_NAME_LENGTH) {
                                diagnostics.error(line.where(), what + " " + value + " length " + value.length()
                                        + " out of range 1.." + AddressOptions.MAX_NAME_LENGTH);
                                return;
                            }
                            if (ipv6) {
                                diagnostics.error(line.where(), what + " " + value + ": labels are IPv4 only"
                                        + " (keepalived drops the label with an error)");
                                return;
                            }
                            label = value;
                        }
                        case "brd", "broadcast" -> {
                            if (ipv6) {
                                diagnostics.error(line.where(), what + " " + value + ": IPv6 has no broadcast"
                                        + " address (keepalived skips the address)");
                                return;
                            }
                            broadcast = broadcast(line, what, value, address, prefix);
                            if (broadcast == null) {
                                return;
                            }
                        }
                        case "scope" -> {
                            Integer s = scope(line, what, value);
                            if (s == null) {
                                return;
                            }
                            if (ipv6) {
                                diagnostics.error(line.where(), what + " " + value + ": IPv6 address scopes follow"
                                        + " from the address (keepalived drops the scope with an error)");
                                return;
                            }
                            scope = s;
                        }
                        default -> ignoredOption(line, option);
                    }
                }
                case "no_track" -> noTrack = true;
                case "home", "-nodad", "nodad", "mngtmpaddr", "noprefixroute", "autojoin", "use_vmac" ->
                        ignoredOption(line, option);
                default -> {
                    diagnostics.error(line.where(), keyword + " " + text + ": unknown option '" + option
                            + "' (write one address per line)");
                    return;
                }
            }
        }
        for (VirtualIp earlier : addresses) {
            // keepalived 2.2 runs a repeated address (2.4 drops the repeat with a remark); it is one address
            // either way, installed and advertised once, as first written
            if (Values.address(earlier.address()).equals(address)) {
                diagnostics.warn(line.where(), keyword, keyword + " " + host + " is listed twice in " + owner
                        + " (first at " + earlier.where() + "); it is installed once, as " + earlier);
                return;
            }
        }
        try {
            addresses.add(new VirtualIp(host, prefix, dev, label, broadcast, scope, noTrack, line.where()));
        } catch (IllegalArgumentException e) {
            // what the checks above leave to the record, e.g. a quoted label or dev with a space in it
            diagnostics.error(line.where(), keyword + " " + text + ": " + e.getMessage());
        }
    }

    /**
     * keepalived's {@code brd}: an IPv4 address, or {@code +} (the host bits set) or {@code -}
     * (cleared), which need a prefix of at most 30 bits.
     */
    private String broadcast(Statement line, String what, String value, InetAddress address, int prefix) {
        if (value.equals("+") || value.equals("-")) {
            if (prefix > 30) {
                diagnostics.error(line.where(), what + " " + value + ": prefix length " + prefix
                        + " out of range 0..30 for a computed broadcast address");
                return null;
            }
            byte[] bytes = address.getAddress();
            int host = (bytes[0] & 0xff) << 24 | (bytes[1] & 0xff) << 16 | (bytes[2] & 0xff) << 8 | (bytes[3] & 0xff);
            int hostMask = prefix == 0 ? -1 : (int) (0xffffffffL >>> prefix);
            int brd = value.equals("+") ? host | hostMask : host & ~hostMask;
            return (brd >>> 24) + "." + (brd >>> 16 & 0xff) + "." + (brd >>> 8 & 0xff) + "." + (brd & 0xff);
        }
        try {
            InetAddress brd = Values.address(value);
            if (brd instanceof Inet6Address) {
                throw new IllegalArgumentException("'" + value + "' is not an IPv4 address");
            }
            return brd.getHostAddress();
        } catch (IllegalArgumentException e) {
            diagnostics.error(line.where(), what + ": " + e.getMessage() + " (an IPv4 address, + or -)");
            return null;
        }
    }

    /** keepalived's scope names (its built-in rt_scopes), or a number 0..255, decimal or 0x hex as strtoul reads it. */
    private Integer scope(Statement line, String what, String value) {
        Integer named = SCOPES.get(value);
        if (named != null) {
            return named;
        }
        boolean hex = value.startsWith("0x") || value.startsWith("0X");
        String digits = hex ? value.substring(2) : value;
        int radix = hex ? 16 : 10;
        long number = -1;
        if (!digits.isEmpty() && digits.chars().allMatch(c -> Character.digit(c, 16) >= 0 && Character.digit(c, 16) < radix)
                && digits.length() <= 8) {
            number = Long.parseLong(digits, radix);
        }
        if (number < 0 || number > 255) {
            diagnostics.error(line.where(), what + " " + value + " out of range 0..255 (or one of global, site,"
                    + " link, host, nowhere)");
            return null;
        }
        return (int) number;
    }

    private void ignoredOption(Statement line, String option) {
        diagnostics.warnOnce(line.where(), option, keyword + " option " + option + " is not supported by vrrp4j; ignored");
    }
}
