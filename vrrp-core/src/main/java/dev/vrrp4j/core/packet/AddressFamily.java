package dev.vrrp4j.core.packet;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The IP version a virtual router runs on. RFC 9568 §1 treats the IPv4 and IPv6 virtual routers of
 * one VRID as independent instances, so every advertisement and every router has exactly one family.
 */
public enum AddressFamily {
    /** IPv4: 4-byte addresses, group 224.0.0.18 (RFC 9568 §5.1.1.2). */
    IPV4(4, new byte[] {(byte) 224, 0, 0, 18}),
    /** IPv6: 16-byte addresses, group ff02::12 (RFC 9568 §5.1.2.2). */
    IPV6(16, new byte[] {(byte) 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x12});

    private final int addressLength;
    private final byte[] multicastGroup;

    AddressFamily(int addressLength, byte[] multicastGroup) {
        this.addressLength = addressLength;
        this.multicastGroup = multicastGroup;
    }

    /** Bytes in one address of this family. */
    public int addressLength() {
        return addressLength;
    }

    /** The VRRP multicast group of this family, a fresh copy. */
    public byte[] multicastGroup() {
        return multicastGroup.clone();
    }

    /** The VRRP multicast group of this family as an address (RFC 9568 §5.1.1.2, §5.1.2.2). */
    public InetAddress multicastGroupAddress() {
        return address(multicastGroup);
    }

    /** The unspecified address of this family: 0.0.0.0 or ::. */
    public InetAddress unspecifiedAddress() {
        return address(new byte[addressLength]);
    }

    /** {@code bytes} (4 or 16 of them) as an address, without a name lookup. */
    public static InetAddress address(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new AssertionError(e); // a 4- or 16-byte address is always valid
        }
    }

    /** The family whose addresses are {@code length} bytes long. */
    public static AddressFamily ofAddressLength(int length) {
        return switch (length) {
            case 4 -> IPV4;
            case 16 -> IPV6;
            default -> throw new IllegalArgumentException("address length " + length + " is neither 4 (IPv4) nor 16 (IPv6)");
        };
    }
}
