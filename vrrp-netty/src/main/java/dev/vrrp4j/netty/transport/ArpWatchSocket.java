package dev.vrrp4j.netty.transport;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

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
        this.name = socket.allocate(SocketAddresses.SOCKADDR_LL_SIZE);
        this.msghdr = socket.messageHeader(name, buffer);
    }

    /** Opens the socket on {@code interfaceName} in the calling thread's network namespace. Needs CAP_NET_RAW. */
    public static ArpWatchSocket open(String interfaceName) throws NativeException {
        int index = LinuxSyscalls.ifNameToIndex(interfaceName);
        // The protocol is in network byte order: htons(ETH_P_ARP).
        int protocol = Short.toUnsignedInt(Short.reverseBytes((short) LinuxSyscalls.ETH_P_ARP));
        String description = "ARP watch socket on " + interfaceName;
        return NativeSocket.open(LinuxSyscalls.AF_PACKET, LinuxSyscalls.SOCK_DGRAM, protocol,
                "AF_PACKET, SOCK_DGRAM, ETH_P_ARP", RequiredCapability.CAP_NET_RAW, description, socket -> {
            // Bound to the interface: only its frames.
            MemorySegment address = socket.allocate(SocketAddresses.SOCKADDR_LL_SIZE);
            SocketAddresses.writeLinkLayer(address, LinuxSyscalls.ETH_P_ARP, index);
            LinuxSyscalls.bind(socket.fd(), address, "ARP on " + interfaceName);
            return new ArpWatchSocket(socket, interfaceName);
        });
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
        msghdr.set(JAVA_INT, LinuxSyscalls.MSGHDR_NAMELEN, SocketAddresses.SOCKADDR_LL_SIZE);
        long result = socket.receive(msghdr, LinuxSyscalls.MSG_TRUNC, receiveCall);
        if (result == -1) {
            return Result.NONE;
        }
        if ((name.get(JAVA_BYTE, SocketAddresses.LL_PKTTYPE_OFFSET) & 0xff) == PACKET_OUTGOING) {
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
