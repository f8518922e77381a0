package dev.vrrp4j.netty.transport;

import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/** Encoding of {@code struct sockaddr_in}, {@code struct sockaddr_in6} and {@code struct sockaddr_ll}. */
final class SocketAddresses {
    static final int SOCKADDR_IN_SIZE = 16;
    static final int SOCKADDR_IN6_SIZE = 28;
    /** sin_addr in sockaddr_in; sin6_addr in sockaddr_in6. */
    static final int IN_ADDR_OFFSET = 4;
    static final int IN6_ADDR_OFFSET = 8;
    static final int IN6_SCOPE_ID_OFFSET = 24;
    /** struct sockaddr_ll { u16 family; be16 protocol; int ifindex; u16 hatype; u8 pkttype; u8 halen; u8 addr[8]; } */
    static final int SOCKADDR_LL_SIZE = 20;
    static final int LL_PKTTYPE_OFFSET = 10;
    static final int LL_HALEN_OFFSET = 11;
    static final int LL_ADDR_OFFSET = 12;

    private SocketAddresses() {}

    /**
     * Writes {@code address} as a sockaddr with port 0 (raw sockets take the protocol from the
     * socket) and returns its length. A link-local IPv6 address without a scope gets
     * {@code interfaceIndex}, since the kernel refuses link-local destinations with none.
     */
    static int write(MemorySegment into, InetAddress address, int interfaceIndex) {
        into.fill((byte) 0);
        if (address instanceof Inet4Address) {
            into.set(JAVA_SHORT, 0, (short) LinuxSyscalls.AF_INET);
            MemorySegment.copy(address.getAddress(), 0, into, JAVA_BYTE, IN_ADDR_OFFSET, 4);
            return SOCKADDR_IN_SIZE;
        }
        Inet6Address ipv6 = (Inet6Address) address;
        into.set(JAVA_SHORT, 0, (short) LinuxSyscalls.AF_INET6);
        MemorySegment.copy(ipv6.getAddress(), 0, into, JAVA_BYTE, IN6_ADDR_OFFSET, 16);
        int scopeId = ipv6.getScopeId();
        if (scopeId == 0 && needsScope(ipv6)) {
            scopeId = interfaceIndex;
        }
        into.set(JAVA_INT, IN6_SCOPE_ID_OFFSET, scopeId);
        return SOCKADDR_IN6_SIZE;
    }

    /**
     * Writes an AF_PACKET {@code sockaddr_ll} for frames of {@code protocol} (an ETH_P_ value, host
     * order; written in network order) on interface {@code interfaceIndex}; the rest is zero.
     */
    static void writeLinkLayer(MemorySegment into, int protocol, int interfaceIndex) {
        into.asSlice(0, SOCKADDR_LL_SIZE).fill((byte) 0);
        into.set(JAVA_SHORT, 0, (short) LinuxSyscalls.AF_PACKET);
        into.set(JAVA_BYTE, 2, (byte) (protocol >>> 8));
        into.set(JAVA_BYTE, 3, (byte) protocol);
        into.set(JAVA_INT, 4, interfaceIndex);
    }

    static boolean needsScope(Inet6Address address) {
        return address.isLinkLocalAddress() || address.isMCLinkLocal();
    }

    /** An IPv4 or IPv6 address from raw bytes; IPv6 link-local addresses get {@code scopeId}. */
    static InetAddress toInetAddress(byte[] bytes, int length, int scopeId) {
        try {
            byte[] copy = java.util.Arrays.copyOf(bytes, length);
            InetAddress plain = InetAddress.getByAddress(copy);
            if (plain instanceof Inet6Address ipv6 && scopeId != 0 && needsScope(ipv6)) {
                return Inet6Address.getByAddress(null, copy, scopeId);
            }
            return plain;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("address of " + length + " bytes", e);
        }
    }
}
