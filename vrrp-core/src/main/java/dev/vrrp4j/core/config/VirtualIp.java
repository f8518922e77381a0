package dev.vrrp4j.core.config;

import dev.vrrp4j.core.router.VirtualAddress;

import java.util.Objects;

/**
 * One line of a {@code virtual_ipaddress} block: an address the Active router installs, e.g.
 * {@code 192.0.2.100/24 dev eth0 label eth0:1}.
 *
 * @param address      the literal address as written (IPv6, or IPv4 as a dotted quad; never a host name)
 * @param prefixLength from {@code /N}; without one, 32 or 128 as in keepalived
 * @param dev          {@code dev}: the interface to install it on, {@code null} for the instance's
 * @param label        {@code label} (an IPv4 alias name such as {@code eth0:1}), or {@code null}
 * @param where        the line
 */
public record VirtualIp(String address, int prefixLength, String dev, String label, SourceLocation where) {
    public VirtualIp {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(where, "where");
        Values.address(address);
        int max = isIpv6(address) ? 128 : 32;
        if (prefixLength < 0 || prefixLength > max) {
            throw new IllegalArgumentException("prefixLength " + prefixLength + " out of range 0.." + max);
        }
    }

    /** Whether the address is IPv6. */
    public boolean isIpv6() {
        return isIpv6(address);
    }

    /** The address as the router core takes it. */
    public VirtualAddress toVirtualAddress() {
        return new VirtualAddress(Values.address(address), prefixLength);
    }

    private static boolean isIpv6(String address) {
        return address.indexOf(':') >= 0;
    }

    /** The line as keepalived would write it, e.g. {@code 192.0.2.100/24 dev eth0 label eth0:1}. */
    @Override
    public String toString() {
        return address + "/" + prefixLength + (dev == null ? "" : " dev " + dev) + (label == null ? "" : " label " + label);
    }
}
