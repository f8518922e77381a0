package dev.vrrp4j.netty.transport;

import java.net.InetAddress;
import java.util.Objects;

/**
 * An address added to or removed from an interface, as {@link AddressMonitor} reports it, or word
 * that notifications were lost.
 *
 * @param kind           what happened
 * @param interfaceIndex the interface's index; 0 for {@link Kind#OVERFLOW}
 * @param address        the address; null for {@link Kind#OVERFLOW}
 * @param prefixLength   its prefix length in bits
 */
public record AddressEvent(Kind kind, int interfaceIndex, InetAddress address, int prefixLength) {
    public enum Kind {
        ADDED,
        REMOVED,
        /** The kernel dropped notifications (ENOBUFS): re-read the addresses that matter. */
        OVERFLOW
    }

    public AddressEvent {
        Objects.requireNonNull(kind, "kind");
        if (kind != Kind.OVERFLOW) {
            Objects.requireNonNull(address, "address");
        }
    }

    static AddressEvent overflow() {
        return new AddressEvent(Kind.OVERFLOW, 0, null, 0);
    }
}
