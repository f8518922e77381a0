package dev.vrrp4j.core.router;

import dev.vrrp4j.core.packet.AddressFamily;

import java.net.InetAddress;
import java.util.Objects;

/**
 * One virtual address of a virtual router (an RFC 9568 "IPvX address associated with a virtual
 * router"), with the prefix length it gets when installed on the interface and how it is installed
 * there ({@link AddressOptions}: interface, label, broadcast, scope, no_track). Two addresses that
 * differ only in their options are different installations: a reload that changes an option of
 * an Active's address replaces the address.
 */
public record VirtualAddress(InetAddress address, int prefixLength, AddressOptions options) {
    public VirtualAddress {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(options, "options");
        int max = family(address) == AddressFamily.IPV4 ? 32 : 128;
        if (prefixLength < 0 || prefixLength > max) {
            throw new IllegalArgumentException("prefixLength " + prefixLength + " out of range 0.." + max
                    + " for " + address.getHostAddress());
        }
        options.checkFamily(address);
    }

    /** An address on the router's own interface, with the kernel's defaults. */
    public VirtualAddress(InetAddress address, int prefixLength) {
        this(address, prefixLength, AddressOptions.DEFAULT);
    }

    /** The same address installed with {@code options}. */
    public VirtualAddress withOptions(AddressOptions options) {
        return new VirtualAddress(address, prefixLength, options);
    }

    /** The address's family. */
    public AddressFamily family() {
        return family(address);
    }

    /**
     * Parses {@code "192.0.2.100/24"} or {@code "2001:db8::100/64"}; without a prefix, /32 or /128
     * (keepalived's default). Only literal addresses are accepted: nothing is looked up in DNS.
     */
    public static VirtualAddress parse(String text) {
        Objects.requireNonNull(text, "text");
        int slash = text.indexOf('/');
        String host = slash < 0 ? text.trim() : text.substring(0, slash).trim();
        InetAddress address = parseLiteral(host);
        int prefixLength;
        if (slash < 0) {
            prefixLength = family(address) == AddressFamily.IPV4 ? 32 : 128;
        } else {
            try {
                prefixLength = Integer.parseInt(text.substring(slash + 1).trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("prefix length in '" + text + "' is not a number");
            }
        }
        return new VirtualAddress(address, prefixLength);
    }

    /** Parses a literal IPv4 or IPv6 address without any name lookup. */
    public static InetAddress parseLiteral(String host) {
        if (host.isEmpty() || !(host.indexOf(':') >= 0 || host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9')))) {
            throw new IllegalArgumentException("'" + host + "' is not a literal IPv4 or IPv6 address");
        }
        try {
            return InetAddress.ofLiteral(host);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + host + "' is not a literal IPv4 or IPv6 address", e);
        }
    }

    static AddressFamily family(InetAddress address) {
        return AddressFamily.ofAddressLength(address.getAddress().length);
    }

    /** {@code 192.0.2.100/24}, then the options if any: {@code 192.0.2.100/24 dev lo scope host}. */
    @Override
    public String toString() {
        String options = this.options.toString();
        return address.getHostAddress() + "/" + prefixLength + (options.isEmpty() ? "" : " " + options);
    }
}
