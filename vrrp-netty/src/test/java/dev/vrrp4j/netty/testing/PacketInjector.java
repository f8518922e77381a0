package dev.vrrp4j.netty.testing;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Sends forged VRRP packets from a namespace of a {@link NetnsLan}: whatever bytes a test wants,
 * with whatever TTL / hop limit, to 224.0.0.18 and ff02::12 on one interface. Open it on a thread
 * that is in the sending namespace ({@link NetnsLan#runIn}); the sockets stay there.
 *
 * <ul>
 *   <li>IPv4: {@code socket(AF_INET, SOCK_RAW, IPPROTO_RAW)}, which implies IP_HDRINCL: the test
 *       writes the IPv4 header itself (TTL included); the kernel fills in the header checksum,
 *       total length and ID.</li>
 *   <li>IPv6: {@code socket(AF_INET6, SOCK_RAW, 112)} bound to the interface's link-local address,
 *       hop limit set per packet (IPV6_MULTICAST_HOPS); the kernel writes the IPv6 header and does
 *       not touch the message, so a wrong checksum goes out as written.</li>
 * </ul>
 *
 * <p>The static builders write advertisements field by field and compute the VRRP checksum with
 * their own code (not vrrp4j's), so a checksum bug in vrrp4j cannot cancel out here.
 */
@SuppressWarnings("restricted") // a test helper binding libc on purpose
public final class PacketInjector implements AutoCloseable {
    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;
    private static final int SOCK_RAW = 3;
    private static final int IPPROTO_RAW = 255;
    private static final int IPPROTO_VRRP = 112;
    private static final int SOL_SOCKET = 1;
    private static final int SO_BINDTODEVICE = 25;
    private static final int IPPROTO_IPV6 = 41;
    private static final int IPV6_MULTICAST_IF = 17;
    private static final int IPV6_MULTICAST_HOPS = 18;

    public static final byte[] IPV4_GROUP = {(byte) 224, 0, 0, 18};
    public static final byte[] IPV6_GROUP = {(byte) 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x12};

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle SOCKET = call("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle SETSOCKOPT = call("setsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle BIND = call("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SENDTO = call("sendto",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle CLOSE = call("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    private final Arena arena = Arena.ofShared();
    private final MemorySegment capture = arena.allocate(CAPTURE_LAYOUT);
    private final MemorySegment buffer = arena.allocate(65_536);
    private final MemorySegment intValue = arena.allocate(JAVA_INT);
    private final MemorySegment ipv4Destination = arena.allocate(16);
    private final MemorySegment ipv6Destination = arena.allocate(28);
    private final byte[] source4;
    private final byte[] source6;
    private int fd4 = -1;
    private int fd6 = -1;
    private long sent;

    private PacketInjector(Inet4Address source4, Inet6Address source6) {
        this.source4 = source4.getAddress();
        this.source6 = source6.getAddress();
    }

    /**
     * Opens both sockets on {@code interfaceName} in the calling thread's namespace. {@code source4}
     * goes into the IPv4 headers; {@code source6} must be the interface's link-local address (the
     * socket is bound to it, and the checksum covers it).
     */
    public static PacketInjector open(String interfaceName, Inet4Address source4, Inet6Address source6) {
        PacketInjector injector = new PacketInjector(source4, source6);
        try {
            injector.openSockets(interfaceName, source6);
            return injector;
        } catch (RuntimeException e) {
            injector.close();
            throw e;
        }
    }

    private void openSockets(String interfaceName, Inet6Address source6) {
        int index = interfaceIndex(interfaceName);
        MemorySegment name = arena.allocateFrom(interfaceName);

        fd4 = check(invokeInt(SOCKET, AF_INET, SOCK_RAW, IPPROTO_RAW), "socket(AF_INET, SOCK_RAW, IPPROTO_RAW)");
        check(invokeInt(SETSOCKOPT, fd4, SOL_SOCKET, SO_BINDTODEVICE, name, (int) name.byteSize()), "SO_BINDTODEVICE");
        // struct sockaddr_in { u16 family; be16 port; in_addr addr; u8 zero[8]; }
        ipv4Destination.set(JAVA_BYTE, 0, (byte) AF_INET);
        MemorySegment.copy(IPV4_GROUP, 0, ipv4Destination, JAVA_BYTE, 4, 4);

        fd6 = check(invokeInt(SOCKET, AF_INET6, SOCK_RAW, IPPROTO_VRRP), "socket(AF_INET6, SOCK_RAW, 112)");
        check(invokeInt(SETSOCKOPT, fd6, SOL_SOCKET, SO_BINDTODEVICE, name, (int) name.byteSize()), "SO_BINDTODEVICE");
        intValue.set(JAVA_INT, 0, index);
        check(invokeInt(SETSOCKOPT, fd6, IPPROTO_IPV6, IPV6_MULTICAST_IF, intValue, 4), "IPV6_MULTICAST_IF");
        // struct sockaddr_in6 { u16 family; be16 port; u32 flowinfo; in6_addr addr; u32 scope_id; }
        MemorySegment local = arena.allocate(28);
        local.set(JAVA_BYTE, 0, (byte) AF_INET6);
        MemorySegment.copy(source6.getAddress(), 0, local, JAVA_BYTE, 8, 16);
        local.set(JAVA_INT, 24, index);
        check(invokeInt(BIND, fd6, local, 28), "bind(" + source6.getHostAddress() + ")");
        ipv6Destination.set(JAVA_BYTE, 0, (byte) AF_INET6);
        MemorySegment.copy(IPV6_GROUP, 0, ipv6Destination, JAVA_BYTE, 8, 16);
        ipv6Destination.set(JAVA_INT, 24, index);
    }

    private static int interfaceIndex(String interfaceName) {
        try {
            java.net.NetworkInterface nic = java.net.NetworkInterface.getByName(interfaceName);
            if (nic == null) {
                throw new IllegalStateException("no interface " + interfaceName);
            }
            return nic.getIndex();
        } catch (java.net.SocketException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends {@code payload} (the VRRP message, or any bytes) to 224.0.0.18 in an IPv4 header with {@code ttl}. */
    public void sendIpv4(int ttl, byte[] payload) {
        sendIpv4To(ttl, IPV4_GROUP, payload);
    }

    /**
     * Sends {@code payload} to {@code destination} (4 bytes: the group, or a router's own address as
     * a unicast peer would) in an IPv4 header with {@code ttl}.
     */
    public void sendIpv4To(int ttl, byte[] destination, byte[] payload) {
        int length = 20 + payload.length;
        MemorySegment packet = buffer.asSlice(0, length);
        packet.fill((byte) 0);
        packet.set(JAVA_BYTE, 0, (byte) 0x45);           // version 4, IHL 5
        packet.set(JAVA_BYTE, 1, (byte) 0xc0);           // DSCP CS6 (network control), as routers send VRRP
        packet.set(JAVA_BYTE, 2, (byte) (length >>> 8)); // total length (the kernel rewrites it anyway)
        packet.set(JAVA_BYTE, 3, (byte) length);
        // bytes 4-7: ID 0 (the kernel picks one), no flags, offset 0
        packet.set(JAVA_BYTE, 8, (byte) ttl);            // TTL: the point of this method
        packet.set(JAVA_BYTE, 9, (byte) IPPROTO_VRRP);   // protocol 112
        // bytes 10-11: header checksum, filled in by the kernel for IP_HDRINCL
        MemorySegment.copy(source4, 0, packet, JAVA_BYTE, 12, 4);
        MemorySegment.copy(destination, 0, packet, JAVA_BYTE, 16, 4);
        MemorySegment.copy(payload, 0, packet, JAVA_BYTE, 20, payload.length);
        MemorySegment.copy(destination, 0, ipv4Destination, JAVA_BYTE, 4, 4);
        send(fd4, packet, ipv4Destination, 16, "sendto(" + (destination[0] & 0xff) + "." + (destination[1] & 0xff) + "."
                + (destination[2] & 0xff) + "." + (destination[3] & 0xff) + ")");
    }

    /** Sends {@code message} to ff02::12 with hop limit {@code hopLimit}, as written (no checksum added). */
    public void sendIpv6(int hopLimit, byte[] message) {
        intValue.set(JAVA_INT, 0, hopLimit);
        check(invokeInt(SETSOCKOPT, fd6, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, intValue, 4), "IPV6_MULTICAST_HOPS");
        MemorySegment packet = buffer.asSlice(0, message.length);
        MemorySegment.copy(message, 0, packet, JAVA_BYTE, 0, message.length);
        send(fd6, packet, ipv6Destination, 28, "sendto(ff02::12)");
    }

    /** Packets sent so far. */
    public long sent() {
        return sent;
    }

    private void send(int fd, MemorySegment packet, MemorySegment destination, int destinationLength, String what) {
        long result;
        try {
            result = (long) SENDTO.invokeExact(capture, fd, packet, packet.byteSize(), 0, destination, destinationLength);
        } catch (Throwable t) {
            throw new IllegalStateException(what, t);
        }
        if (result < 0) {
            throw new IllegalStateException(what + " failed: errno " + (int) ERRNO.get(capture, 0L));
        }
        sent++;
    }

    @Override
    public void close() {
        for (int fd : new int[] {fd4, fd6}) {
            if (fd >= 0) {
                invokeInt(CLOSE, fd);
            }
        }
        fd4 = -1;
        fd6 = -1;
        arena.close();
    }

    // ------------------------------------------------------------------ packet builders

    /** The source this injector writes into IPv4 headers. */
    public byte[] source4() {
        return source4.clone();
    }

    /** The link-local source of its IPv6 packets. */
    public byte[] source6() {
        return source6.clone();
    }

    /**
     * A VRRP message (RFC 9568 §5.1) with the checksum field zero: the caller chooses what goes
     * there ({@link #withChecksum}).
     */
    public static byte[] advertisement(int version, int vrid, int priority, int intervalCentis, byte[]... addresses) {
        int addressLength = addresses.length == 0 ? 0 : addresses[0].length;
        ByteBuffer out = ByteBuffer.allocate(8 + addresses.length * addressLength).order(ByteOrder.BIG_ENDIAN);
        out.put((byte) ((version << 4) | 1));           // version, type 1 (ADVERTISEMENT)
        out.put((byte) vrid);                           // VRID
        out.put((byte) priority);                       // priority
        out.put((byte) addresses.length);               // Count IPvX Addr
        out.putShort((short) (intervalCentis & 0x0fff)); // 4 reserved bits 0, Max Adver Int in centiseconds
        out.putShort((short) 0);                        // checksum, filled in later
        for (byte[] address : addresses) {
            out.put(address);
        }
        return out.array();
    }

    /**
     * {@code message} with the RFC 9568 §5.2.8 checksum (pseudo-header form, IPv4 or IPv6 by the
     * address length) written at {@code checksumOffset}, plus {@code delta} (non-zero: a wrong one).
     * The checksum may sit anywhere on an even offset: the one's complement sum does not care,
     * which lets a test make a truncated message the kernel's IPV6_CHECKSUM still accepts.
     */
    public static byte[] withChecksum(byte[] message, byte[] source, byte[] destination, int checksumOffset, int delta) {
        byte[] copy = message.clone();
        copy[checksumOffset] = 0;
        copy[checksumOffset + 1] = 0;
        int checksum = (checksum(source, destination, copy) + delta) & 0xffff;
        copy[checksumOffset] = (byte) (checksum >>> 8);
        copy[checksumOffset + 1] = (byte) checksum;
        return copy;
    }

    /** The Internet checksum of the pseudo-header (RFC 768 / RFC 8200 §8.1 layout) and {@code message}. */
    public static int checksum(byte[] source, byte[] destination, byte[] message) {
        long sum = 0;
        sum += sum16(source) + sum16(destination);
        if (source.length == 4) {
            sum += IPPROTO_VRRP + message.length;             // zero, protocol, 16-bit length
        } else {
            sum += (message.length >>> 16) + (message.length & 0xffff) + IPPROTO_VRRP; // 32-bit length, 3 zeros, next header
        }
        sum += sum16(message);
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    /** The checksum RFC 3768 (VRRPv2, and some v3 implementations for IPv4) uses: the message alone. */
    public static int messageOnlyChecksum(byte[] message) {
        long sum = sum16(message);
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    private static long sum16(byte[] bytes) {
        long sum = 0;
        for (int i = 0; i < bytes.length; i += 2) {
            int high = bytes[i] & 0xff;
            int low = i + 1 < bytes.length ? bytes[i + 1] & 0xff : 0;
            sum += (high << 8) | low;
        }
        return sum;
    }

    // ------------------------------------------------------------------ libc

    private static MethodHandle call(String name, FunctionDescriptor descriptor) {
        MemorySegment symbol = LINKER.defaultLookup().find(name).orElseThrow(() -> new UnsatisfiedLinkError(name));
        return LINKER.downcallHandle(symbol, descriptor, Linker.Option.captureCallState("errno"));
    }

    private int invokeInt(MethodHandle handle, Object... arguments) {
        Object[] all = new Object[arguments.length + 1];
        all[0] = capture;
        System.arraycopy(arguments, 0, all, 1, arguments.length);
        try {
            return (int) handle.invokeWithArguments(all);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private int check(int result, String what) {
        if (result < 0) {
            throw new IllegalStateException(what + " failed: errno " + (int) ERRNO.get(capture, 0L));
        }
        return result;
    }
}
