package dev.vrrp4j.netty.transport;

import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * Announces that this host now answers for an IPv4 virtual address by broadcasting a gratuitous
 * ARP (RFC 9568 §6.4.2: on becoming Active, "for each IPv4 address associated with the virtual
 * router, broadcast a gratuitous ARP request"), so switches and neighbours update their tables.
 *
 * <p>The frame is an ARP request with sender and target protocol address both the virtual
 * address, the interface's MAC as sender hardware address and ff:ff:ff:ff:ff:ff as target hardware
 * address, broadcast to ff:ff:ff:ff:ff:ff: byte for byte what keepalived 2.2.7 sends (captured in
 * a namespace; RFC 5227's zero target hardware address is not what keepalived uses).
 *
 * <p>It uses an AF_PACKET SOCK_DGRAM socket opened with protocol 0 and names ETH_P_ARP per send:
 * a packet socket opened with a protocol receives a copy of every frame of that protocol, which a
 * send-only socket has no use for.
 */
public final class GratuitousArpSender implements AutoCloseable {
    private static final int ARP_BYTES = 28;

    private final NativeSocket socket;
    private final LinkInfo link;
    private final MemorySegment frame;
    private final MemorySegment broadcast;

    private GratuitousArpSender(NativeSocket socket, LinkInfo link) {
        this.socket = socket;
        this.link = link;
        this.frame = socket.allocate(ARP_BYTES);
        this.broadcast = socket.allocate(SocketAddresses.SOCKADDR_LL_SIZE);
        SocketAddresses.writeLinkLayer(broadcast, LinuxSyscalls.ETH_P_ARP, link.index());
        broadcast.set(JAVA_BYTE, SocketAddresses.LL_HALEN_OFFSET, (byte) 6);
        broadcast.asSlice(SocketAddresses.LL_ADDR_OFFSET, 6).fill((byte) 0xff);
        byte[] mac = link.hardwareAddress().toBytes();
        // ARP header (RFC 826): Ethernet, IPv4, 6-byte / 4-byte addresses, request.
        frame.set(JAVA_BYTE, 1, (byte) 1);
        frame.set(JAVA_BYTE, 2, (byte) 0x08);
        frame.set(JAVA_BYTE, 4, (byte) 6);
        frame.set(JAVA_BYTE, 5, (byte) 4);
        frame.set(JAVA_BYTE, 7, (byte) 1);
        MemorySegment.copy(mac, 0, frame, JAVA_BYTE, 8, 6);
        frame.asSlice(18, 6).fill((byte) 0xff);
    }

    /**
     * Opens a sender for {@code interfaceName} in the calling thread's network namespace, reading
     * its index and MAC address now. Needs CAP_NET_RAW.
     */
    public static GratuitousArpSender open(String interfaceName) throws NativeException {
        LinkInfo link;
        try (RtNetlink netlink = RtNetlink.open()) {
            link = netlink.link(interfaceName);
        }
        if (link.hardwareAddress() == null) {
            throw new IllegalArgumentException("interface " + interfaceName + " has no Ethernet address to announce");
        }
        NativeSocket socket = NativeSocket.open(LinuxSyscalls.AF_PACKET, LinuxSyscalls.SOCK_DGRAM, 0,
                "AF_PACKET, SOCK_DGRAM, 0", RequiredCapability.CAP_NET_RAW, "gratuitous ARP socket on " + interfaceName);
        return new GratuitousArpSender(socket, link);
    }

    /** The interface this sender announces on, as it was when opened. */
    public LinkInfo link() {
        return link;
    }

    /**
     * Broadcasts one gratuitous ARP request for {@code address}. Returns false if the socket's send
     * buffer was full and nothing was sent.
     */
    public boolean announce(Inet4Address address) throws NativeException {
        socket.ensureOpen();
        byte[] bytes = address.getAddress();
        MemorySegment.copy(bytes, 0, frame, JAVA_BYTE, 14, 4); // sender protocol address
        MemorySegment.copy(bytes, 0, frame, JAVA_BYTE, 24, 4); // target protocol address
        return LinuxSyscalls.sendto(socket.fd(), frame, ARP_BYTES, broadcast, SocketAddresses.SOCKADDR_LL_SIZE,
                "gratuitous ARP for " + address.getHostAddress() + " on " + link.name()) >= 0;
    }

    @Override
    public void close() {
        socket.close();
    }

    @Override
    public String toString() {
        return socket.toString();
    }
}
