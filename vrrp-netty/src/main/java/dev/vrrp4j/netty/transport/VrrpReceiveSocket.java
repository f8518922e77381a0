package dev.vrrp4j.netty.transport;

import dev.vrrp4j.core.packet.AddressFamily;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Receives VRRP packets (IP protocol 112) arriving on one interface: a raw socket bound to the
 * interface (SO_BINDTODEVICE) that joined 224.0.0.18 or ff02::12 there (RFC 9568 §5.1.1.2,
 * §5.1.2.2), and any other group {@link #join}ed (keepalived's {@code mcast_dst_ip}). It also
 * receives VRRP packets unicast to the host on that interface (keepalived's {@code unicast_peer}).
 *
 * <ul>
 *   <li>IPv4: {@link #receive} delivers the whole IPv4 packet, header included, as a raw IPv4
 *       socket does; the codec reads TTL and addresses from the header. The socket is not bound
 *       to an address, since a bound raw IPv4 socket stops receiving multicast, and has
 *       IP_MULTICAST_ALL off so it only sees the group it joined here.</li>
 *   <li>IPv6: {@link #receive} delivers the VRRP message; source, destination (IPV6_PKTINFO) and
 *       hop limit (IPV6_HOPLIMIT) arrive as ancillary data and are put into {@link ReceivedPacketInfo}.
 *       IPV6_CHECKSUM makes the kernel drop packets whose VRRP checksum (offset 6) is wrong.</li>
 *   <li>Both: the kernel stamps each packet when it arrives (SO_TIMESTAMPNS), and
 *       {@link ReceivedPacketInfo#arrivalNanos()} gives that moment on the {@link System#nanoTime()}
 *       clock. RFC 9568 §6.4.2 restarts the Active_Down_Timer when an advertisement is received;
 *       counting from the arrival rather than from the moment the event loop got round to it keeps
 *       the loop's wake-up latency out of every takeover.</li>
 * </ul>
 *
 * <p>The socket is non-blocking: wait for readability of {@link #fd()} (see
 * {@link EpollReadinessRegistration}), then call {@link #receive} until it returns -1. Receiving
 * allocates nothing: the kernel writes into native buffers allocated once per socket and the bytes
 * are copied into the caller's buffer. Not thread-safe: use it from one thread (the event loop),
 * and close it there after deregistering.
 */
public final class VrrpReceiveSocket implements AutoCloseable {
    /** Enough for any IP packet, so the kernel never truncates into the native buffer. */
    private static final int NATIVE_BUFFER_BYTES = 65536;
    /**
     * CMSG_SPACE(sizeof(int)) + CMSG_SPACE(sizeof(struct in6_pktinfo)) + CMSG_SPACE(sizeof(struct
     * timespec)) = 24 + 40 + 32, with headroom.
     */
    private static final int CONTROL_BYTES = 256;
    /**
     * The longest wait in the receive queue that is believed: the loop's wake-up and a busy loop
     * take well under this, and a wall-clock step moves an arrival by no more.
     */
    static final long MAX_QUEUED_NANOS = 10_000_000L;
    private static final byte[] IPV4_GROUP = {(byte) 224, 0, 0, 18};
    private static final byte[] IPV6_GROUP = {(byte) 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x12};

    private final NativeSocket socket;
    private final AddressFamily family;
    private final String interfaceName;
    private final int interfaceIndex;
    private final String receiveCall;
    private final MemorySegment buffer;
    private final ByteBuffer bufferView;
    private final MemorySegment name;
    private final MemorySegment control;
    private final MemorySegment msghdr;
    private final MemorySegment timespec;
    /** The groups joined on the interface, the RFC's first. */
    private final Set<InetAddress> joined = new HashSet<>();

    private VrrpReceiveSocket(NativeSocket socket, AddressFamily family, String interfaceName, int interfaceIndex) {
        this.socket = socket;
        this.family = family;
        this.interfaceName = interfaceName;
        this.interfaceIndex = interfaceIndex;
        this.receiveCall = "recvmsg(fd " + socket.fd() + ", VRRP " + family + " on " + interfaceName + ")";
        this.buffer = socket.allocate(NATIVE_BUFFER_BYTES);
        this.bufferView = buffer.asByteBuffer();
        this.name = socket.allocate(SocketAddresses.SOCKADDR_IN6_SIZE);
        this.control = socket.allocate(CONTROL_BYTES);
        this.msghdr = socket.messageHeader(name, buffer);
        msghdr.set(ADDRESS, LinuxSyscalls.MSGHDR_CONTROL, control);
        this.timespec = socket.allocate(16);
    }

    /**
     * Opens the IPv4 receive socket for {@code interfaceName} in the calling thread's network
     * namespace. Needs CAP_NET_RAW.
     */
    public static VrrpReceiveSocket openIpv4(String interfaceName) throws NativeException {
        int index = LinuxSyscalls.ifNameToIndex(interfaceName);
        String description = "VRRP IPv4 receive socket on " + interfaceName;
        return NativeSocket.open(LinuxSyscalls.AF_INET, LinuxSyscalls.SOCK_RAW, LinuxSyscalls.IPPROTO_VRRP,
                "AF_INET, SOCK_RAW, 112", RequiredCapability.CAP_NET_RAW, description, socket -> {
            socket.bindToDevice(interfaceName);
            socket.setOption(SocketOption.IP_MULTICAST_ALL, 0);
            socket.setOption(SocketOption.SO_TIMESTAMPNS, 1);
            joinGroup(socket, AddressFamily.IPV4, IPV4_GROUP, index, interfaceName);
            VrrpReceiveSocket receive = new VrrpReceiveSocket(socket, AddressFamily.IPV4, interfaceName, index);
            receive.joined.add(AddressFamily.IPV4.multicastGroupAddress());
            return receive;
        });
    }

    /**
     * Opens the IPv6 receive socket for {@code interfaceName} in the calling thread's network
     * namespace. Needs CAP_NET_RAW.
     */
    public static VrrpReceiveSocket openIpv6(String interfaceName) throws NativeException {
        int index = LinuxSyscalls.ifNameToIndex(interfaceName);
        String description = "VRRP IPv6 receive socket on " + interfaceName;
        return NativeSocket.open(LinuxSyscalls.AF_INET6, LinuxSyscalls.SOCK_RAW, LinuxSyscalls.IPPROTO_VRRP,
                "AF_INET6, SOCK_RAW, 112", RequiredCapability.CAP_NET_RAW, description, socket -> {
            socket.bindToDevice(interfaceName);
            socket.setOption(SocketOption.IPV6_CHECKSUM, 6); // RFC 9568 §5.2.8: checksum at byte 6 of the message
            socket.setOption(SocketOption.IPV6_RECVHOPLIMIT, 1);
            socket.setOption(SocketOption.IPV6_RECVPKTINFO, 1);
            socket.setOption(SocketOption.IPV6_MULTICAST_ALL, 0);
            socket.setOption(SocketOption.SO_TIMESTAMPNS, 1);
            joinGroup(socket, AddressFamily.IPV6, IPV6_GROUP, index, interfaceName);
            VrrpReceiveSocket receive = new VrrpReceiveSocket(socket, AddressFamily.IPV6, interfaceName, index);
            receive.joined.add(AddressFamily.IPV6.multicastGroupAddress());
            return receive;
        });
    }

    /**
     * Joins multicast group {@code group} of the socket's family on its interface, unless it has
     * already (the RFC's group is joined at open). The membership lasts as long as the socket.
     */
    public void join(InetAddress group) throws NativeException {
        socket.ensureOpen();
        byte[] bytes = group.getAddress();
        if (!group.isMulticastAddress() || AddressFamily.ofAddressLength(bytes.length) != family) {
            throw new IllegalArgumentException(group.getHostAddress() + " is not a " + family + " multicast group");
        }
        if (joined.add(group)) {
            joinGroup(socket, family, bytes, interfaceIndex, interfaceName);
        }
    }

    private static void joinGroup(NativeSocket socket, AddressFamily family, byte[] group, int index, String interfaceName)
            throws NativeException {
        String what = AddressFamily.address(group).getHostAddress() + " on " + interfaceName;
        try (Arena call = Arena.ofConfined()) {
            if (family == AddressFamily.IPV4) {
                MemorySegment mreqn = call.allocate(12, 4); // struct ip_mreqn { in_addr multiaddr; in_addr address; int ifindex; }
                MemorySegment.copy(group, 0, mreqn, JAVA_BYTE, 0, 4);
                mreqn.set(JAVA_INT, 8, index);
                socket.setOption(SocketOption.IP_ADD_MEMBERSHIP, mreqn, what);
            } else {
                MemorySegment mreq = call.allocate(20, 4); // struct ipv6_mreq { in6_addr multiaddr; unsigned ifindex; }
                MemorySegment.copy(group, 0, mreq, JAVA_BYTE, 0, 16);
                mreq.set(JAVA_INT, 16, index);
                socket.setOption(SocketOption.IPV6_JOIN_GROUP, mreq, what);
            }
        }
    }

    /**
     * Asks the kernel for a receive queue of {@code bytes} (it doubles the value for its own
     * bookkeeping). The default (net.core.rmem_default, 208 KiB) holds a few hundred queued
     * advertisements: at 255 routers × 10 ms that is under 10 ms of traffic, so any longer stall of
     * the event loop would lose adverts and make Backups time out. Uses SO_RCVBUFFORCE (CAP_NET_ADMIN,
     * which a node holds) and falls back to SO_RCVBUF, which net.core.rmem_max caps.
     */
    public void receiveBufferBytes(int bytes) throws NativeException {
        if (bytes <= 0) {
            throw new IllegalArgumentException("receive buffer size must be positive: " + bytes);
        }
        try {
            socket.setOption(SocketOption.SO_RCVBUFFORCE, bytes);
        } catch (NativeException e) {
            socket.setOption(SocketOption.SO_RCVBUF, bytes);
        }
    }

    /** The descriptor to wait on for readability. */
    public int fd() {
        return socket.fd();
    }

    public AddressFamily family() {
        return family;
    }

    public String interfaceName() {
        return interfaceName;
    }

    public int interfaceIndex() {
        return interfaceIndex;
    }

    /**
     * Receives one pending packet without blocking: copies it to {@code into} at its position
     * (advancing it) and describes it in {@code info}. For IPv4 the bytes are the whole IP packet,
     * for IPv6 the VRRP message. Returns the number of bytes copied, or -1 if no packet is queued.
     * A packet longer than {@code into.remaining()} is cut short and {@link ReceivedPacketInfo#truncated()}
     * says so. Allocates nothing.
     */
    public int receive(ByteBuffer into, ReceivedPacketInfo info) throws NativeException {
        socket.ensureOpen();
        // The kernel overwrites both lengths with what it wrote; reset them for every call.
        msghdr.set(JAVA_INT, LinuxSyscalls.MSGHDR_NAMELEN, SocketAddresses.SOCKADDR_IN6_SIZE);
        msghdr.set(JAVA_LONG, LinuxSyscalls.MSGHDR_CONTROLLEN, CONTROL_BYTES);
        long result = socket.receive(msghdr, LinuxSyscalls.MSG_TRUNC, receiveCall);
        if (result == -1) {
            return -1;
        }
        int packetLength = (int) result;
        int available = Math.min(packetLength, NATIVE_BUFFER_BYTES);
        int copied = Math.min(available, into.remaining());
        bufferView.limit(copied).position(0);
        into.put(bufferView);
        boolean truncated = copied < packetLength;
        int ttl = -1;
        if (family == AddressFamily.IPV4) {
            if (available >= 20) {
                ttl = buffer.get(JAVA_BYTE, 8) & 0xff;
                copy(buffer, 12, info.sourceBytes(), 4);
                copy(buffer, 16, info.destinationBytes(), 4);
            } else {
                copy(name, SocketAddresses.IN_ADDR_OFFSET, info.sourceBytes(), 4);
                java.util.Arrays.fill(info.destinationBytes(), (byte) 0);
            }
        } else {
            copy(name, SocketAddresses.IN6_ADDR_OFFSET, info.sourceBytes(), 16);
            java.util.Arrays.fill(info.destinationBytes(), (byte) 0); // in case IPV6_PKTINFO is missing
        }
        readControl(info, ttl, packetLength, truncated);
        return copied;
    }

    /**
     * Reads the ancillary data: the arrival time (SO_TIMESTAMPNS, both families) and, for IPv6,
     * hop limit and destination (IPV6_HOPLIMIT, IPV6_PKTINFO).
     */
    private void readControl(ReceivedPacketInfo info, int ttl, int packetLength, boolean truncated) {
        int arrivedOn = interfaceIndex;
        long stampedAt = 0;
        long controlLength = msghdr.get(JAVA_LONG, LinuxSyscalls.MSGHDR_CONTROLLEN);
        long offset = 0;
        // struct cmsghdr { size_t len; int level; int type; } followed by data, each aligned to 8 bytes.
        while (offset + LinuxSyscalls.CMSGHDR_SIZE <= controlLength) {
            long length = control.get(JAVA_LONG, offset);
            if (length < LinuxSyscalls.CMSGHDR_SIZE || offset + length > controlLength) {
                break;
            }
            int level = control.get(JAVA_INT, offset + 8);
            int type = control.get(JAVA_INT, offset + 12);
            long data = offset + LinuxSyscalls.CMSGHDR_SIZE;
            if (level == SocketOption.Level.SOL_SOCKET.value && type == SocketOption.SCM_TIMESTAMPNS) {
                stampedAt = control.get(JAVA_LONG, data) * 1_000_000_000L + control.get(JAVA_LONG, data + 8);
            } else if (level == LinuxSyscalls.IPPROTO_IPV6 && type == SocketOption.IPV6_HOPLIMIT) {
                ttl = control.get(JAVA_INT, data);
            } else if (level == LinuxSyscalls.IPPROTO_IPV6 && type == SocketOption.IPV6_PKTINFO) {
                // struct in6_pktinfo { struct in6_addr addr; unsigned ifindex; }
                copy(control, data, info.destinationBytes(), 16);
                arrivedOn = control.get(JAVA_INT, data + 16);
            }
            offset += (length + 7) & ~7L;
        }
        long arrivalNanos;
        if (stampedAt != 0) {
            // The two clocks are read back to back, the wall clock first: whatever runs between them
            // makes the arrival later, never earlier, than it was.
            long queued = LinuxSyscalls.realtimeNanos(timespec) - stampedAt;
            arrivalNanos = System.nanoTime() - queuedNanos(queued);
        } else {
            arrivalNanos = System.nanoTime();
        }
        info.set(family, ttl, arrivedOn, packetLength, truncated, arrivalNanos);
    }

    /**
     * How long the packet waited between the kernel's stamp and this read, bounded to
     * [0, {@link #MAX_QUEUED_NANOS}]: the stamp is on the wall clock, which a clock step (NTP,
     * settimeofday) can move, so a step can shift an arrival by at most that bound.
     */
    private static long queuedNanos(long wallClockNanos) {
        return Math.clamp(wallClockNanos, 0, MAX_QUEUED_NANOS);
    }

    /**
     * Copies an address out of native memory byte by byte: {@code MemorySegment.copy} into an
     * array wraps the array in a heap segment, an allocation per call that this path avoids.
     */
    private static void copy(MemorySegment from, long offset, byte[] to, int length) {
        for (int i = 0; i < length; i++) {
            to[i] = from.get(JAVA_BYTE, offset + i);
        }
    }

    /** Closes the socket. Deregister it from the event loop first. Idempotent. */
    @Override
    public void close() {
        socket.close();
    }

    @Override
    public String toString() {
        return socket.toString();
    }
}
