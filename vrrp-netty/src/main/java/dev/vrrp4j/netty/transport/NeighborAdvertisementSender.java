package dev.vrrp4j.netty.transport;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Announces that this host now answers for an IPv6 virtual address with an unsolicited Neighbor
 * Advertisement (RFC 9568 §6.4.2; RFC 4861 §7.2.6): ICMPv6 type 136 to all-nodes ff02::1 with hop
 * limit 255, the Override flag set (Router flag only if asked), the virtual address as target and
 * the interface's MAC in a Target Link-Layer Address option. The kernel computes the ICMPv6
 * checksum. The source is the interface's link-local address (given with IPV6_PKTINFO), looked up
 * at each announcement so that a link-local address that finished DAD after opening is used.
 *
 * <p>A raw ICMPv6 socket receives every ICMPv6 message; an ICMP6_FILTER that blocks all types
 * keeps this send-only socket's queue empty.
 */
public final class NeighborAdvertisementSender implements AutoCloseable {
    private static final int NA_BYTES = 32;
    private static final int PKTINFO_CONTROL_BYTES = 40; // CMSG_SPACE(sizeof(struct in6_pktinfo))
    private static final int FLAG_ROUTER = 0x80;
    private static final int FLAG_OVERRIDE = 0x20;
    private static final InetAddress ALL_NODES;

    static {
        try {
            ALL_NODES = InetAddress.getByName("ff02::1");
        } catch (UnknownHostException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final NativeSocket socket;
    private final RtNetlink netlink;
    private final LinkInfo link;
    private final MemorySegment message;
    private final MemorySegment control;
    private final MemorySegment msghdr;

    private NeighborAdvertisementSender(NativeSocket socket, RtNetlink netlink, LinkInfo link) {
        this.socket = socket;
        this.netlink = netlink;
        this.link = link;
        this.message = socket.allocate(NA_BYTES);
        message.set(JAVA_BYTE, 0, (byte) 136); // type: Neighbor Advertisement; code 0; checksum by the kernel
        message.set(JAVA_BYTE, 24, (byte) 2);  // option: Target Link-Layer Address
        message.set(JAVA_BYTE, 25, (byte) 1);  // option length in units of 8 bytes
        MemorySegment.copy(link.hardwareAddress().toBytes(), 0, message, JAVA_BYTE, 26, 6);
        MemorySegment destination = socket.allocate(SocketAddresses.SOCKADDR_IN6_SIZE);
        SocketAddresses.write(destination, ALL_NODES, link.index());
        this.control = socket.allocate(PKTINFO_CONTROL_BYTES);
        control.set(JAVA_LONG, 0, 16 + 20); // CMSG_LEN(sizeof(struct in6_pktinfo))
        control.set(JAVA_INT, 8, LinuxSyscalls.IPPROTO_IPV6);
        control.set(JAVA_INT, 12, SocketOption.IPV6_PKTINFO);
        control.set(JAVA_INT, 16 + 16, link.index());
        this.msghdr = socket.messageHeader(destination, message);
        msghdr.set(JAVA_INT, LinuxSyscalls.MSGHDR_NAMELEN, SocketAddresses.SOCKADDR_IN6_SIZE);
        msghdr.set(ADDRESS, LinuxSyscalls.MSGHDR_CONTROL, control);
        msghdr.set(JAVA_LONG, LinuxSyscalls.MSGHDR_CONTROLLEN, PKTINFO_CONTROL_BYTES);
    }

    /**
     * Opens a sender for {@code interfaceName} in the calling thread's network namespace, reading
     * its index and MAC address now. Needs CAP_NET_RAW.
     */
    public static NeighborAdvertisementSender open(String interfaceName) throws NativeException {
        RtNetlink netlink = RtNetlink.open();
        NativeSocket socket = null;
        try {
            LinkInfo link = netlink.link(interfaceName);
            if (link.hardwareAddress() == null) {
                throw new IllegalArgumentException("interface " + interfaceName + " has no Ethernet address to announce");
            }
            socket = NativeSocket.open(LinuxSyscalls.AF_INET6, LinuxSyscalls.SOCK_RAW, LinuxSyscalls.IPPROTO_ICMPV6,
                    "AF_INET6, SOCK_RAW, IPPROTO_ICMPV6", RequiredCapability.CAP_NET_RAW,
                    "neighbor advertisement socket on " + interfaceName);
            socket.bindToDevice(interfaceName);
            socket.setOption(SocketOption.IPV6_MULTICAST_HOPS, 255); // RFC 4861 §7.1.2: receivers drop NAs with less
            socket.setOption(SocketOption.IPV6_UNICAST_HOPS, 255);
            socket.setOption(SocketOption.IPV6_MULTICAST_IF, link.index());
            socket.setOption(SocketOption.IPV6_MULTICAST_LOOP, 0);
            try (Arena call = Arena.ofConfined()) {
                MemorySegment blockAll = call.allocate(32, 4); // struct icmp6_filter: a set bit blocks that type
                blockAll.fill((byte) 0xff);
                socket.setOption(SocketOption.ICMP6_FILTER, blockAll, "block all");
            }
            return new NeighborAdvertisementSender(socket, netlink, link);
        } catch (NativeException | RuntimeException e) {
            if (socket != null) {
                socket.close();
            }
            netlink.close();
            throw e;
        }
    }

    /** The interface this sender announces on, as it was when opened. */
    public LinkInfo link() {
        return link;
    }

    /**
     * Sends one unsolicited Neighbor Advertisement for {@code address} with the Override flag, and
     * the Router flag if {@code router} (the virtual router is an IPv6 router for its hosts).
     * Returns false if the socket's send buffer was full and nothing was sent.
     */
    public boolean announce(Inet6Address address, boolean router) throws NativeException {
        socket.ensureOpen();
        // Without a usable link-local address (still in DAD) the kernel picks the source.
        byte[] source = netlink.ipv6LinkLocalAddress(link.name()).map(InetAddress::getAddress).orElse(new byte[16]);
        MemorySegment.copy(source, 0, control, JAVA_BYTE, 16, 16);
        message.set(JAVA_BYTE, 4, (byte) (FLAG_OVERRIDE | (router ? FLAG_ROUTER : 0)));
        MemorySegment.copy(address.getAddress(), 0, message, JAVA_BYTE, 8, 16);
        return LinuxSyscalls.sendmsg(socket.fd(), msghdr,
                "neighbor advertisement for " + address.getHostAddress() + " on " + link.name()) >= 0;
    }

    @Override
    public void close() {
        socket.close();
        netlink.close();
    }

    @Override
    public String toString() {
        return socket.toString();
    }
}
