package dev.vrrp4j.core.config;

import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * The multicast group advertisements go to, as keepalived lets it be set: {@code vrrp_mcast_group4}
 * and {@code vrrp_mcast_group6} in {@code global_defs} for every multicast instance of the family,
 * {@code mcast_dst_ip} in an instance. Without them, RFC 9568's groups (§5.1.1.2 224.0.0.18,
 * §5.1.2.2 ff02::12). The checks are keepalived's: an IPv4 group is any IPv4 multicast address, an
 * instance's IPv6 group must be link-local multicast, a global one should be (a warning).
 */
final class MulticastGroups {
    private static final String IPV4_RANGE = "an IPv4 multicast address (224.0.0.0 to 239.255.255.255)";

    private final Diagnostics diagnostics;
    private final Values values;

    MulticastGroups(Diagnostics diagnostics) {
        this.diagnostics = diagnostics;
        this.values = new Values(diagnostics);
    }

    /** {@code vrrp_mcast_group4/6}: the group as written, or {@code null} if refused (reported). */
    String global(Statement line, boolean ipv6) {
        String v = values.oneArg(line);
        InetAddress group = values.literal(line, line.name(), v);
        if (group == null) {
            return null;
        }
        String refused = refusal(group, ipv6, false);
        if (refused != null) {
            diagnostics.error(line.where(), line.name() + " " + v + " is not " + refused);
            return null;
        }
        if (ipv6 && !group.isMCLinkLocal()) {
            diagnostics.warn(line.where(), line.name(), line.name() + " " + v + " should be link-local multicast"
                    + " (ff02::/16), as keepalived warns too; routers on the link hear it all the same");
        }
        return v;
    }

    /** {@code mcast_dst_ip} of an instance whose family is known: whether it is acceptable (if not, reported). */
    boolean destination(Token destination, boolean ipv6, String owner) {
        String text = destination.text();
        InetAddress group = Values.address(text);
        if (Values.isIpv6(text) != ipv6) {
            diagnostics.error(destination.where(), "mcast_dst_ip " + text + " is " + Values.family(!ipv6) + " but "
                    + owner + " is " + Values.family(ipv6));
            return false;
        }
        String refused = refusal(group, ipv6, true);
        if (refused != null) {
            diagnostics.error(destination.where(), "mcast_dst_ip " + text + " is not " + refused);
            return false;
        }
        return true;
    }

    /** What {@code group} should be and is not, or {@code null} when it is fine. */
    private static String refusal(InetAddress group, boolean ipv6, boolean linkLocalOnly) {
        if (ipv6 != group instanceof Inet6Address || !group.isMulticastAddress()) {
            return ipv6 ? "an IPv6 multicast address (ff00::/8)" : IPV4_RANGE;
        }
        if (ipv6 && linkLocalOnly && !group.isMCLinkLocal()) {
            return "an IPv6 link-local multicast address (ff02::/16), which keepalived requires too";
        }
        return null;
    }
}
