package dev.vrrp4j.core.config;

import dev.vrrp4j.core.router.AddressOptions;
import dev.vrrp4j.core.router.VirtualAddress;

import java.net.Inet4Address;
import java.util.Objects;

/**
 * One line of a {@code virtual_ipaddress} (or {@code virtual_ipaddress_excluded}) block: an address
 * the Active router installs, e.g. {@code 192.0.2.100/24 dev eth0 label eth0:1}, with the install
 * options keepalived applies ({@link AddressOptions}).
 *
 * @param address      the literal address as written (IPv6, or IPv4 as a dotted quad; never a host name)
 * @param prefixLength from {@code /N}; without one, 32 or 128 as in keepalived
 * @param dev          {@code dev}: the interface to install it on, {@code null} for the instance's
 * @param label        {@code label} (an IPv4 alias name such as {@code eth0:1}), or {@code null}
 * @param broadcast    {@code brd} / {@code broadcast} as a dotted quad ({@code +} and {@code -}
 *                     already worked out from the prefix), or {@code null} for none
 * @param scope        {@code scope} as a number 0..255 (0 global, the default)
 * @param noTrack      {@code no_track}
 * @param where        the line
 */
public record VirtualIp(String address, int prefixLength, String dev, String label, String broadcast, int scope,
                        boolean noTrack, SourceLocation where) {
    public VirtualIp {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(where, "where");
        Values.address(address);
        int max = isIpv6(address) ? 128 : 32;
        if (prefixLength < 0 || prefixLength > max) {
            throw new IllegalArgumentException("prefixLength " + prefixLength + " out of range 0.." + max);
        }
        toVirtualAddress(address, prefixLength, dev, label, broadcast, scope, noTrack); // checks the options
    }

    /** An address with no options but {@code dev} and {@code label}. */
    public VirtualIp(String address, int prefixLength, String dev, String label, SourceLocation where) {
        this(address, prefixLength, dev, label, null, 0, false, where);
    }

    /** Whether the address is IPv6. */
    public boolean isIpv6() {
        return isIpv6(address);
    }

    /** The address as the router core takes it, with its install options. */
    public VirtualAddress toVirtualAddress() {
        return toVirtualAddress(address, prefixLength, dev, label, broadcast, scope, noTrack);
    }

    private static VirtualAddress toVirtualAddress(String address, int prefixLength, String dev, String label,
                                                   String broadcast, int scope, boolean noTrack) {
        Inet4Address brd = broadcast == null ? null : (Inet4Address) Values.address(broadcast);
        return new VirtualAddress(Values.address(address), prefixLength,
                new AddressOptions(dev, label, brd, scope, noTrack));
    }

    private static boolean isIpv6(String address) {
        return address.indexOf(':') >= 0;
    }

    /** The line as keepalived would write it, e.g. {@code 192.0.2.100/24 dev eth0 label eth0:1}. */
    @Override
    public String toString() {
        String options = toVirtualAddress().options().toString();
        return address + "/" + prefixLength + (options.isEmpty() ? "" : " " + options);
    }
}
