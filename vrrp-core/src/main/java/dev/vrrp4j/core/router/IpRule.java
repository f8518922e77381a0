package dev.vrrp4j.core.router;

import dev.vrrp4j.core.packet.AddressFamily;

import java.net.InetAddress;
import java.util.Objects;

/**
 * A policy-routing rule a node installs: while a virtual router is Active (keepalived
 * {@code virtual_rules}) or for as long as the node runs ({@code static_rules}). Like
 * {@link IpRoute}, outside VRRP proper. Protocol keepalived (18), as keepalived marks its rules.
 *
 * @param family             the rule's family (from its addresses; IPv4 when it has none, as keepalived)
 * @param from               {@code from}: the source prefix's address (host bits allowed, as the kernel
 *                           keeps them), or null for all
 * @param fromPrefixBits     its length (0 with no {@code from})
 * @param to                 {@code to}: the destination prefix's address, or null for all
 * @param toPrefixBits       its length (0 with no {@code to})
 * @param action             what matching packets get
 * @param table              {@code table} (also {@code lookup}): 1..4294967295 for {@link Action#TABLE}, else 0
 * @param priority           {@code priority} (also {@code preference}, {@code order}): 0..4294967295
 * @param inputInterface     {@code iif} (also {@code dev}), or null
 * @param outputInterface    {@code oif}, or null
 * @param fwmark             {@code fwmark}: 0..4294967295, or -1 for none
 * @param fwmask             the mask after {@code fwmark N/}: 0..4294967295, or -1 for none
 */
public record IpRule(AddressFamily family, InetAddress from, int fromPrefixBits, InetAddress to, int toPrefixBits,
                     Action action, long table, long priority, String inputInterface, String outputInterface,
                     long fwmark, long fwmask) {
    /** A rule's action, with its rtnetlink number (FR_ACT_*). */
    public enum Action {
        TABLE(1), BLACKHOLE(6), UNREACHABLE(7), PROHIBIT(8);

        private final int frAction;

        Action(int frAction) {
            this.frAction = frAction;
        }

        /** The kernel's FR_ACT_* number. */
        public int frAction() {
            return frAction;
        }
    }

    public IpRule {
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(action, "action");
        checkPrefix("from", from, fromPrefixBits, family);
        checkPrefix("to", to, toPrefixBits, family);
        if (action == Action.TABLE) {
            IpRoute.checkRange("table", table, 1, IpRoute.MAX_UNSIGNED_32);
        } else if (table != 0) {
            throw new IllegalArgumentException("table " + table + " with action " + action
                    + "; a rule has one action (table 0 unless it is TABLE)");
        }
        IpRoute.checkRange("priority", priority, 0, IpRoute.MAX_UNSIGNED_32);
        checkName("inputInterface", inputInterface);
        checkName("outputInterface", outputInterface);
        IpRoute.checkRange("fwmark", fwmark, -1, IpRoute.MAX_UNSIGNED_32);
        IpRoute.checkRange("fwmask", fwmask, -1, IpRoute.MAX_UNSIGNED_32);
        if (fwmask >= 0 && fwmark < 0) {
            throw new IllegalArgumentException("fwmask " + fwmask + " without an fwmark");
        }
    }

    /** As {@code ip rule} would read it, e.g. {@code from 192.0.2.0/24 lookup 100 priority 100}. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(family == AddressFamily.IPV6 ? "inet6 " : "");
        s.append("from ").append(from == null ? "all" : from.getHostAddress() + "/" + fromPrefixBits);
        if (to != null) {
            s.append(" to ").append(to.getHostAddress()).append('/').append(toPrefixBits);
        }
        if (inputInterface != null) {
            s.append(" iif ").append(inputInterface);
        }
        if (outputInterface != null) {
            s.append(" oif ").append(outputInterface);
        }
        if (fwmark >= 0) {
            s.append(" fwmark 0x").append(Long.toHexString(fwmark));
            if (fwmask >= 0) {
                s.append("/0x").append(Long.toHexString(fwmask));
            }
        }
        s.append(action == Action.TABLE ? " lookup " + table : " " + action.name().toLowerCase(java.util.Locale.ROOT));
        return s.append(" priority ").append(priority).toString();
    }

    private static void checkPrefix(String field, InetAddress address, int prefixBits, AddressFamily family) {
        if (address == null) {
            if (prefixBits != 0) {
                throw new IllegalArgumentException(field + "PrefixBits " + prefixBits + " without a " + field + " address");
            }
            return;
        }
        IpRoute.requireFamily(field, address, family);
        int max = family == AddressFamily.IPV4 ? 32 : 128;
        if (prefixBits < 0 || prefixBits > max) {
            throw new IllegalArgumentException(field + "PrefixBits " + prefixBits + " out of range 0.." + max);
        }
    }

    private static void checkName(String field, String name) {
        if (name != null && (name.isEmpty() || name.length() > 15)) {
            throw new IllegalArgumentException(field + " '" + name + "' is not an interface name (1..15 characters)");
        }
    }
}
