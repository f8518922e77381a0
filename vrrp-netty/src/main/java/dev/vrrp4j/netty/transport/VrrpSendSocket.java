package dev.vrrp4j.netty.transport;

import dev.vrrp4j.core.packet.AddressFamily;
import dev.vrrp4j.core.packet.HmacAuthenticator;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Sends VRRP messages out of one interface: a raw IP protocol 112 socket bound to the interface,
 * with the properties RFC 9568 §5.1 requires of an advertisement, set once at open:
 * TTL / hop limit 255 for multicast and unicast (§5.1.1.3, §5.1.2.3), multicast loopback off (a
 * router must not hear itself), multicast out of this interface, and DSCP CS6 (TOS / traffic class
 * 0xc0, as keepalived sends). For IPv6 the kernel fills in the checksum (IPV6_CHECKSUM at offset 6)
 * with the source it actually uses.
 *
 * <p>Kept apart from {@link VrrpReceiveSocket} because binding a raw IPv4 socket to a source address
 * stops its multicast reception. Since a raw socket still gets a copy of every VRRP packet, a
 * filter that accepts nothing keeps its unused receive queue empty.
 *
 * <p>Sending allocates nothing when the destination is the same {@link InetAddress} instance as
 * last time (the multicast group in steady state). Not thread-safe: use it from one thread.
 */
public final class VrrpSendSocket implements AutoCloseable {
    /**
     * Largest VRRP message: 8-byte header + 255 IPv6 addresses (RFC 9568 §5.2.5), plus the 28-byte
     * auth_hmac trailer (draft-cassen-vrrp-auth-hmac).
     */
    public static final int MAX_MESSAGE_BYTES = 8 + 255 * 16 + HmacAuthenticator.TRAILER_LENGTH;
    private static final int TOS_CS6 = 0xc0;

    private final NativeSocket socket;
    private final AddressFamily family;
    private final String interfaceName;
    private final int interfaceIndex;
    private final MemorySegment buffer;
    private final ByteBuffer bufferView;
    private final MemorySegment destinationAddress;
    private InetAddress lastDestination;
    private int destinationLength;
    private String sendCall;

    private VrrpSendSocket(NativeSocket socket, AddressFamily family, String interfaceName, int interfaceIndex) {
        this.socket = socket;
        this.family = family;
        this.interfaceName = interfaceName;
        this.interfaceIndex = interfaceIndex;
        this.buffer = socket.allocate(MAX_MESSAGE_BYTES);
        this.bufferView = buffer.asByteBuffer();
        this.destinationAddress = socket.allocate(SocketAddresses.SOCKADDR_IN6_SIZE);
    }

    /**
     * Opens the IPv4 send socket for {@code interfaceName} in the calling thread's network
     * namespace, sending from {@code sourceAddress} if not null (it must be an address of this
     * host), else from the address the kernel picks. Needs CAP_NET_RAW.
     */
    public static VrrpSendSocket openIpv4(String interfaceName, Inet4Address sourceAddress) throws NativeException {
        int index = LinuxSyscalls.ifNameToIndex(interfaceName);
        String description = "VRRP IPv4 send socket on " + interfaceName;
        return NativeSocket.open(LinuxSyscalls.AF_INET, LinuxSyscalls.SOCK_RAW, LinuxSyscalls.IPPROTO_VRRP,
                "AF_INET, SOCK_RAW, 112", RequiredCapability.CAP_NET_RAW, description, socket -> {
            socket.bindToDevice(interfaceName);
            // Both TTLs: IP_MULTICAST_TTL covers 224.0.0.18, IP_TTL unicast peers.
            socket.setOption(SocketOption.IP_MULTICAST_TTL, 255);
            socket.setOption(SocketOption.IP_TTL, 255);
            socket.setOption(SocketOption.IP_MULTICAST_LOOP, 0);
            socket.setOption(SocketOption.IP_TOS, TOS_CS6);
            try (Arena call = Arena.ofConfined()) {
                MemorySegment mreqn = call.allocate(12, 4); // struct ip_mreqn: only the ifindex matters here
                mreqn.set(JAVA_INT, 8, index);
                socket.setOption(SocketOption.IP_MULTICAST_IF, mreqn, interfaceName);
            }
            bindSource(socket, sourceAddress, index);
            socket.dropAllIncoming();
            return new VrrpSendSocket(socket, AddressFamily.IPV4, interfaceName, index);
        });
    }

    /**
     * Opens the IPv6 send socket for {@code interfaceName} in the calling thread's network
     * namespace, sending from {@code sourceAddress} if not null (RFC 9568 §5.1.2.1: the interface's
     * link-local address), else from the address the kernel picks, which for ff02::12 is the
     * interface's link-local address. Needs CAP_NET_RAW.
     */
    public static VrrpSendSocket openIpv6(String interfaceName, Inet6Address sourceAddress) throws NativeException {
        int index = LinuxSyscalls.ifNameToIndex(interfaceName);
        String description = "VRRP IPv6 send socket on " + interfaceName;
        return NativeSocket.open(LinuxSyscalls.AF_INET6, LinuxSyscalls.SOCK_RAW, LinuxSyscalls.IPPROTO_VRRP,
                "AF_INET6, SOCK_RAW, 112", RequiredCapability.CAP_NET_RAW, description, socket -> {
            socket.bindToDevice(interfaceName);
            socket.setOption(SocketOption.IPV6_CHECKSUM, 6);
            socket.setOption(SocketOption.IPV6_MULTICAST_HOPS, 255);
            socket.setOption(SocketOption.IPV6_UNICAST_HOPS, 255);
            socket.setOption(SocketOption.IPV6_MULTICAST_LOOP, 0);
            socket.setOption(SocketOption.IPV6_MULTICAST_IF, index);
            socket.setOption(SocketOption.IPV6_TCLASS, TOS_CS6);
            bindSource(socket, sourceAddress, index);
            socket.dropAllIncoming();
            return new VrrpSendSocket(socket, AddressFamily.IPV6, interfaceName, index);
        });
    }

    private static void bindSource(NativeSocket socket, InetAddress sourceAddress, int index) throws NativeException {
        if (sourceAddress == null) {
            return;
        }
        try (Arena call = Arena.ofConfined()) {
            MemorySegment address = call.allocate(SocketAddresses.SOCKADDR_IN6_SIZE, 4);
            int length = SocketAddresses.write(address, sourceAddress, index);
            LinuxSyscalls.bind(socket.fd(), address.asSlice(0, length), sourceAddress.getHostAddress());
        }
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

    /** The descriptor, for diagnostics; sending never waits for it. */
    public int fd() {
        return socket.fd();
    }

    /** Whether {@link #send(ByteBuffer, InetAddress, Mode)} puts the message on the wire. */
    public enum Mode {
        /** Send it. */
        WIRE(0),
        /**
         * Run everything a send runs, the kernel's route lookup included, and return without
         * sending (MSG_PROBE). A Backup sends nothing until it takes over, maybe weeks after start;
         * probing its send path now and then keeps the first advertisement as the new Active from
         * paying for cold code (measured: 2–5 ms before any warm-up, against RFC 9568 §6.1's
         * Active_Down_Interval). The mode is a flag, not a branch, so that probes and real sends
         * run, and compile, the same code.
         */
        PROBE(LinuxSyscalls.MSG_PROBE);

        private final int flags;

        Mode(int flags) {
            this.flags = flags;
        }
    }

    /**
     * Sends the VRRP message between {@code message}'s position and limit (advancing the position)
     * to {@code destination}: the family's multicast group, or a unicast peer. Returns false if
     * the socket's send buffer was full and the message was dropped, which the caller counts;
     * the next advertisement follows within one interval anyway.
     */
    public boolean send(ByteBuffer message, InetAddress destination) throws NativeException {
        return send(message, destination, Mode.WIRE);
    }

    /** {@link #send(ByteBuffer, InetAddress)}, or with {@link Mode#PROBE} the same without sending. */
    public boolean send(ByteBuffer message, InetAddress destination, Mode mode) throws NativeException {
        socket.ensureOpen();
        int length = message.remaining();
        if (length > MAX_MESSAGE_BYTES) {
            throw new IllegalArgumentException("VRRP message of " + length + " bytes exceeds " + MAX_MESSAGE_BYTES);
        }
        if (destination != lastDestination) {
            boolean ipv6 = destination instanceof Inet6Address;
            if (ipv6 != (family == AddressFamily.IPV6)) {
                throw new IllegalArgumentException("destination " + destination.getHostAddress() + " is not " + family);
            }
            destinationLength = SocketAddresses.write(destinationAddress, destination, interfaceIndex);
            lastDestination = destination;
            sendCall = "VRRP " + family + " to " + destination.getHostAddress() + " on " + interfaceName;
        }
        bufferView.clear();
        bufferView.put(message);
        return LinuxSyscalls.sendto(socket.fd(), buffer, length, mode.flags, destinationAddress, destinationLength,
                sendCall) >= 0;
    }

    /** Closes the socket. Idempotent. */
    @Override
    public void close() {
        socket.close();
    }

    @Override
    public String toString() {
        return socket.toString();
    }
}
