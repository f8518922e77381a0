package dev.vrrp4j.netty.transport;

import dev.vrrp4j.core.packet.AddressFamily;

import java.net.InetAddress;

/**
 * What the kernel said about the last packet a {@link VrrpReceiveSocket} received: source and
 * destination address, TTL / hop limit and arrival interface. RFC 9568 §7.1 needs the TTL (must be
 * 255) and the addresses (checksum pseudo-header, unicast peer checks), and for IPv6 these arrive
 * beside the message rather than in it.
 *
 * <p>A mutable holder, reused for every receive so that the hot path allocates nothing; its byte
 * arrays are live views overwritten by the next receive. Not thread-safe: one per receiving thread.
 */
public final class ReceivedPacketInfo {
    private final byte[] source = new byte[16];
    private final byte[] destination = new byte[16];
    private AddressFamily family = AddressFamily.IPV4;
    private int ttl = -1;
    private int interfaceIndex;
    private int packetLength;
    private boolean truncated;
    private long arrivalNanos;

    /** The family of the last packet. */
    public AddressFamily family() {
        return family;
    }

    /**
     * The source address as raw bytes: the first 4 (IPv4) or 16 (IPv6) are valid. The array is
     * this holder's own and is overwritten by the next receive.
     */
    public byte[] sourceBytes() {
        return source;
    }

    /** The destination address (224.0.0.18, ff02::12 or a unicast address), as {@link #sourceBytes()}. */
    public byte[] destinationBytes() {
        return destination;
    }

    /** The source as an {@link InetAddress}, IPv6 link-local with the interface as scope. Allocates. */
    public InetAddress source() {
        return SocketAddresses.toInetAddress(source, family.addressLength(), interfaceIndex);
    }

    /** The destination as an {@link InetAddress}. Allocates. */
    public InetAddress destination() {
        return SocketAddresses.toInetAddress(destination, family.addressLength(), interfaceIndex);
    }

    /**
     * The IPv4 TTL or IPv6 hop limit the packet arrived with (RFC 9568 §7.1 requires 255), or -1
     * when the kernel did not report it.
     */
    public int ttl() {
        return ttl;
    }

    /** The index of the interface the packet arrived on. */
    public int interfaceIndex() {
        return interfaceIndex;
    }

    /** The packet's length as the kernel had it, which exceeds the bytes copied when {@link #truncated()}. */
    public int packetLength() {
        return packetLength;
    }

    /** Whether the caller's buffer (or the socket's) was too small and the packet was cut short. */
    public boolean truncated() {
        return truncated;
    }

    /**
     * When the packet arrived, on the {@link System#nanoTime()} clock: the kernel's receive stamp,
     * or the moment it was read if the kernel gave none. At most
     * {@link VrrpReceiveSocket#MAX_QUEUED_NANOS} before it was read.
     */
    public long arrivalNanos() {
        return arrivalNanos;
    }

    void set(AddressFamily family, int ttl, int interfaceIndex, int packetLength, boolean truncated, long arrivalNanos) {
        this.arrivalNanos = arrivalNanos;
        this.family = family;
        this.ttl = ttl;
        this.interfaceIndex = interfaceIndex;
        this.packetLength = packetLength;
        this.truncated = truncated;
    }

    @Override
    public String toString() {
        return family + " " + source().getHostAddress() + " -> " + destination().getHostAddress() + " ttl " + ttl
                + " ifindex " + interfaceIndex + " length " + packetLength + (truncated ? " (truncated)" : "");
    }
}
