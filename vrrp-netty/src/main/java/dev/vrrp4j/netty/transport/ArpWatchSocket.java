package dev.vrrp4j.netty.transport;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Receives every ARP packet (RFC 826) that arrives on one interface, so an Active router can see
 * another host answering for its virtual address (an address conflict, which VRRP itself cannot
 * see). An AF_PACKET SOCK_DGRAM socket for ETH_P_ARP, bound to the interface: the kernel delivers
 * the ARP payload without the Ethernet header, and a copy of frames this host sends, which
 * {@link #receive} skips.
 *
 * <p>{@link #receive} reads one packet into an {@link ArpPacket} without allocating. A frame that
 * is not Ethernet/IPv4 ARP of the usual 28 bytes is reported as malformed, never thrown. Confined to
 * one thread (the event loop), like {@link VrrpReceiveSocket}.
 */
public final class ArpWatchSocket implements AutoCloseable {
    /** Longer than any ARP packet for Ethernet/IPv4 (28 bytes), so a padded frame still fits. */
    private static final int BUFFER_BYTES = 128;
    private static final int SOCKADDR_LL_SIZE = 20;
    private static final int ARP_BYTES = 28;
    /** sockaddr_ll.sll_pkttype for a frame this host sent (linux/if_packet.h). */
    private static final int PACKET_OUTGOING = 4;

    /** What {@link #receive} found. */
    public enum Result {
        /** Nothing queued. */
        NONE,
        /** A well-formed Ethernet/IPv4 ARP request or reply from another host, now in the packet. */
        PACKET,
        /** A frame this host sent (the kernel loops them back to packet sockets): nothing to look at. */
        OWN,
        /** Not a well-formed Ethernet/IPv4 ARP request or reply: ignored, for the caller to count. */
        MALFORMED
    }

    private final NativeSocket socket;
    private final String interfaceName;
    private final String receiveCall;
    private final MemorySegment buffer;
    private final MemorySegment name;
    private final MemorySegment msghdr;

    private ArpWatchSocket(NativeSocket socket, String interfaceName) {
        this.socket = socket;
        this.interfaceName = interfaceName;
        this.receiveCall = "recvmsg(fd " + socket.fd() + ", ARP on " + interfaceName + ")";
        this.buffer = socket.allocate(BUFFER_BYTES);
        this.name = socket.allocate(SOCKADDR_LL_SIZE);
        MemorySegment iov = socket.allocate(LinuxSyscalls.IOVEC_SIZE);
        iov.set(ADDRESS, 0, buffer);
        iov.set(JAVA_LONG, 8, BUFFER_BYTES);
        this.msghdr = socket.allocate(LinuxSyscalls.MSGHDR_SIZE);
        msghdr.set(ADDRESS, LinuxSyscalls.MSGHDR_NAME, name);
        msghdr.set(ADDRESS, LinuxSyscalls.MSGHDR_IOV, iov);
        msghdr.set(JAVA_LONG, LinuxSyscalls.MSGHDR_IOVLEN, 1);
    }

    /** Opens the socket on {@code interfaceName} in the calling thread's network namespace. Needs CAP_NET_RAW. */
    public static ArpWatchSocket open(String interfaceName) throws NativeException {
        int index = LinuxSyscalls.ifNameToIndex(interfaceName);
        // The protocol is in network byte order: htons(ETH_P_ARP).
        int protocol = Short.toUnsignedInt(Short.reverseBytes((short) LinuxSyscalls.ETH_P_ARP));
        NativeSocket socket = NativeSocket.open(LinuxSyscalls.AF_PACKET, LinuxSyscalls.SOCK_DGRAM, protocol,
                "AF_PACKET, SOCK_DGRAM, ETH_P_ARP", RequiredCapability.CAP_NET_RAW, "ARP watch socket on " + interfaceName);
        try {
            // struct sockaddr_ll { u16 family; be16 protocol; int ifindex; ... }: only this interface's frames.
            MemorySegment address = socket.allocate(SOCKADDR_LL_SIZE);
            address.set(JAVA_SHORT, 0, (short) LinuxSyscalls.AF_PACKET);
            address.set(JAVA_BYTE, 2, (byte) (LinuxSyscalls.ETH_P_ARP >>> 8));
            address.set(JAVA_BYTE, 3, (byte) LinuxSyscalls.ETH_P_ARP);
            address.set(JAVA_INT, 4, index);
            LinuxSyscalls.bind(socket.fd(), address, "ARP on " + interfaceName);
            return new ArpWatchSocket(socket, interfaceName);
        } catch (NativeException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** The descriptor to wait on for readability. */
    public int fd() {
        return socket.fd();
    }

    public String interfaceName() {
        return interfaceName;
    }

    /** Reads one queued packet into {@code into} when the result is {@link Result#PACKET}. Allocates nothing. */
    public Result receive(ArpPacket into) throws NativeException {
        socket.ensureOpen();
        msghdr.set(JAVA_INT, LinuxSyscalls.MSGHDR_NAMELEN, SOCKADDR_LL_SIZE);
        long result = LinuxSyscalls.recvmsg(socket.fd(), msghdr, LinuxSyscalls.MSG_TRUNC);
        if (result == -1) {
            return Result.NONE;
        }
        if (result < 0) {
            throw new NativeException(receiveCall, (int) -result, RequiredCapability.NONE);
        }
        if ((name.get(JAVA_BYTE, 10) & 0xff) == PACKET_OUTGOING) {
            return Result.OWN;
        }
        // RFC 826 header: hardware type 1 (Ethernet), protocol type 0x0800 (IPv4), lengths 6 and 4,
        // operation 1 (request) or 2 (reply); then sender MAC, sender IP, target MAC, target IP.
        int operation = u16(6);
        if (result < ARP_BYTES || u16(0) != 1 || u16(2) != 0x0800 || u8(4) != 6 || u8(5) != 4
                || (operation != 1 && operation != 2)) {
            return Result.MALFORMED;
        }
        long mac = 0;
        for (int i = 8; i < 14; i++) {
            mac = (mac << 8) | u8(i);
        }
        into.set(operation, mac, buffer, 14, 24);
        return Result.PACKET;
    }

    private int u8(long offset) {
        return buffer.get(JAVA_BYTE, offset) & 0xff;
    }

    private int u16(long offset) {
        return (u8(offset) << 8) | u8(offset + 1);
    }

    /** Closes the socket; deregister it from the event loop first. Idempotent. */
    @Override
    public void close() {
        socket.close();
    }

    @Override
    public String toString() {
        return socket.toString();
    }
}
