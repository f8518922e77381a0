package dev.vrrp4j.core.router;

import dev.vrrp4j.core.packet.AddressFamily;

import java.net.InetAddress;
import java.util.Objects;

/**
 * A route a node installs: while a virtual router is Active (keepalived {@code virtual_routes}) or
 * for as long as the node runs (keepalived {@code static_routes}). Not part of VRRP itself: RFC 9568
 * §6.4.2 only has the Active accept the virtual addresses; these are what an operator routes through
 * them. Defaults are keepalived's: table main, scope universe, protocol keepalived (18), a unicast
 * route added without replacing one that exists (iproute2's {@code ip route prepend}).
 *
 * @param type                what the route does with matching packets
 * @param destination         the destination prefix's address (host bits zero), e.g. 192.0.2.0 of 192.0.2.0/24
 * @param destinationPrefixBits the destination prefix length, 0..32 or 0..128
 * @param preferredSource     {@code src}: the source address for packets the host sends this way, or null
 * @param gateway             {@code via} (or keepalived's older {@code gw}), or null for a route on a link
 * @param device              {@code dev}: the outgoing interface, any interface (not only the router's), or null
 * @param table               {@code table}: 1..4294967295, 254 being main
 * @param metric              {@code metric} (also {@code priority}, {@code preference}): 0..4294967295, or -1 for none
 * @param scope               {@code scope}: 0 (universe) .. 255
 * @param protocol            {@code protocol}: 0..255, keepalived's own (18) unless given
 */
public record IpRoute(Type type, InetAddress destination, int destinationPrefixBits, InetAddress preferredSource,
                      InetAddress gateway, String device, long table, long metric, int scope, int protocol) {
    /** RTPROT_KEEPALIVED: the protocol keepalived marks its routes and rules with. */
    public static final int PROTOCOL_KEEPALIVED = 18;
    /** RT_TABLE_MAIN. */
    public static final long TABLE_MAIN = 254;
    public static final long MAX_UNSIGNED_32 = 0xffff_ffffL;

    /** The route types keepalived's {@code virtual_routes} take, with their rtnetlink numbers (RTN_*). */
    public enum Type {
        UNICAST(1), BLACKHOLE(6), UNREACHABLE(7), PROHIBIT(8);

        private final int rtnType;

        Type(int rtnType) {
            this.rtnType = rtnType;
        }

        /** The kernel's RTN_* number. */
        public int rtnType() {
            return rtnType;
        }

        /** As {@code ip route} writes it. */
        public String keyword() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public IpRoute {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(destination, "destination");
        AddressFamily family = familyOf(destination);
        int max = family == AddressFamily.IPV4 ? 32 : 128;
        if (destinationPrefixBits < 0 || destinationPrefixBits > max) {
            throw new IllegalArgumentException("destinationPrefixBits " + destinationPrefixBits + " out of range 0.." + max);
        }
        if (!hostBitsZero(destination, destinationPrefixBits)) {
            throw new IllegalArgumentException("destination " + destination.getHostAddress() + "/" + destinationPrefixBits
                    + " has host bits set; the kernel takes only a network prefix (e.g. "
                    + network(destination, destinationPrefixBits).getHostAddress() + "/" + destinationPrefixBits + ")");
        }
        requireFamily("preferredSource", preferredSource, family);
        requireFamily("gateway", gateway, family);
        if (gateway != null && type != Type.UNICAST) {
            throw new IllegalArgumentException("gateway " + gateway.getHostAddress() + " on a " + type.keyword()
                    + " route; only a unicast route has a gateway");
        }
        if (device != null && (device.isEmpty() || device.length() > 15)) {
            throw new IllegalArgumentException("device '" + device + "' is not an interface name (1..15 characters)");
        }
        checkRange("table", table, 1, MAX_UNSIGNED_32);
        checkRange("metric", metric, -1, MAX_UNSIGNED_32);
        checkRange("scope", scope, 0, 255);
        checkRange("protocol", protocol, 0, 255);
    }

    /** A unicast route to {@code destination/prefixBits} with keepalived's defaults and nothing else set. */
    public static IpRoute to(InetAddress destination, int prefixBits) {
        return new IpRoute(Type.UNICAST, destination, prefixBits, null, null, null, TABLE_MAIN, -1, 0,
                PROTOCOL_KEEPALIVED);
    }

    public AddressFamily family() {
        return familyOf(destination);
    }

    /** As {@code ip route} would read it, e.g. {@code 198.51.100.0/24 via 192.0.2.1 dev eth0 table 100}. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        if (type != Type.UNICAST) {
            s.append(type.keyword()).append(' ');
        }
        s.append(destination.getHostAddress()).append('/').append(destinationPrefixBits);
        if (gateway != null) {
            s.append(" via ").append(gateway.getHostAddress());
        }
        if (device != null) {
            s.append(" dev ").append(device);
        }
        if (preferredSource != null) {
            s.append(" src ").append(preferredSource.getHostAddress());
        }
        if (table != TABLE_MAIN) {
            s.append(" table ").append(table);
        }
        if (metric >= 0) {
            s.append(" metric ").append(metric);
        }
        if (scope != 0) {
            s.append(" scope ").append(scope);
        }
        if (protocol != PROTOCOL_KEEPALIVED) {
            s.append(" protocol ").append(protocol);
        }
        return s.toString();
    }

    static AddressFamily familyOf(InetAddress address) {
        return AddressFamily.ofAddressLength(address.getAddress().length);
    }

    static void requireFamily(String field, InetAddress address, AddressFamily family) {
        if (address != null && familyOf(address) != family) {
            throw new IllegalArgumentException(field + " " + address.getHostAddress() + " is not " + family
                    + " like the rest of it; a route or rule is of one family");
        }
    }

    static boolean hostBitsZero(InetAddress address, int prefixBits) {
        return network(address, prefixBits).equals(address);
    }

    /** The address with its bits after {@code prefixBits} cleared. */
    static InetAddress network(InetAddress address, int prefixBits) {
        byte[] bytes = address.getAddress();
        for (int bit = prefixBits; bit < bytes.length * 8; bit++) {
            bytes[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        return AddressFamily.address(bytes);
    }

    static void checkRange(String field, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + " " + value + " out of range " + min + ".." + max);
        }
    }
}
