package dev.vrrp4j.netty.transport;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * One received Ethernet/IPv4 ARP packet (RFC 826), the fields an address-conflict check needs. A
 * reusable holder: {@link ArpWatchSocket#receive} overwrites it, so the receive path allocates
 * nothing.
 */
public final class ArpPacket {
    private final byte[] senderAddress = new byte[4];
    private final byte[] targetAddress = new byte[4];
    private long senderMac;
    private int operation;

    void set(int operation, long senderMac, MemorySegment from, long senderAddressOffset, long targetAddressOffset) {
        this.operation = operation;
        this.senderMac = senderMac;
        for (int i = 0; i < 4; i++) {
            senderAddress[i] = from.get(JAVA_BYTE, senderAddressOffset + i);
            targetAddress[i] = from.get(JAVA_BYTE, targetAddressOffset + i);
        }
    }

    /** 1 = request, 2 = reply. */
    public int operation() {
        return operation;
    }

    /** The sender hardware address, 48 bits, first octet most significant (see {@link MacAddress}). */
    public long senderMac() {
        return senderMac;
    }

    /** The sender protocol (IPv4) address; the array itself, valid until the next receive. */
    public byte[] senderAddress() {
        return senderAddress;
    }

    /** The target protocol (IPv4) address; the array itself, valid until the next receive. */
    public byte[] targetAddress() {
        return targetAddress;
    }
}
