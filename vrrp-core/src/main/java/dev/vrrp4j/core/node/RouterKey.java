package dev.vrrp4j.core.node;

import dev.vrrp4j.core.packet.AddressFamily;

import java.util.Objects;

/**
 * Who a virtual router is on a node: its interface, family and VRID (RFC 9568 §1: a VRID is
 * scoped to a LAN, and IPv4 and IPv6 routers of the same VRID are independent). Two
 * configurations describe the same router when their keys are equal, which is what a reload diffs on.
 */
public record RouterKey(String interfaceName, AddressFamily family, int vrid) {
    public RouterKey {
        Objects.requireNonNull(interfaceName, "interfaceName");
        Objects.requireNonNull(family, "family");
    }

    @Override
    public String toString() {
        return interfaceName + "/" + family + "/" + vrid;
    }
}
