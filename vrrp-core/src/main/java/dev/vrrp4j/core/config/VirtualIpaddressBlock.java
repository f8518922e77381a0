package dev.vrrp4j.core.config;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The lines of an instance's {@code virtual_ipaddress} blocks:
 * {@code <address>[/<prefix>] [dev IF] [label NAME] [brd A] [scope S] ...}, one address per line.
 * vrrp4j installs the address with its prefix, on {@code dev} (default: the instance's interface),
 * with {@code label}; the other options are warned about and ignored. An address given twice is
 * warned about and kept once.
 */
final class VirtualIpaddressBlock {
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
                    switch (option) {
                        case "dev" -> dev = value;
                        case "label" -> label = value;
                        case "brd", "broadcast", "scope" -> diagnostics.warnOnce(line.where(), option, keyword + " option "
                                + option + " is ignored; vrrp4j installs addresses with the kernel's default "
                                + (option.equals("scope") ? "scope" : "broadcast address"));
                        default -> ignoredOption(line, option);
                    }
                }
                case "home", "-nodad", "nodad", "mngtmpaddr", "noprefixroute", "autojoin", "no_track", "use_vmac" ->
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
        addresses.add(new VirtualIp(host, prefix, dev, label, line.where()));
    }

    private void ignoredOption(Statement line, String option) {
        diagnostics.warnOnce(line.where(), option, keyword + " option " + option + " is not supported by vrrp4j; ignored");
    }
}
