package dev.vrrp4j.netty.transport;

import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Watches the kernel's IPv4 and IPv6 address changes (rtnetlink RTNLGRP_IPV4_IFADDR and
 * RTNLGRP_IPV6_IFADDR), so that an Active can notice a virtual address removed by someone else
 * (NetworkManager, systemd-networkd, an operator) and put it back, as keepalived does.
 *
 * <p>Non-blocking, like {@link LinkMonitor}: register {@link #fd()} for readability and call
 * {@link #poll()} when it fires. When the kernel dropped notifications because the socket fell
 * behind (ENOBUFS), {@link #poll()} reports an {@link AddressEvent.Kind#OVERFLOW} and the caller
 * re-checks the addresses it cares about.
 *
 * <p>Not thread-safe: use it from one thread (the event loop).
 */
public final class AddressMonitor implements AutoCloseable {
    /** RTMGRP_IPV4_IFADDR: the legacy multicast group bit of RTNLGRP_IPV4_IFADDR (5). */
    static final int RTMGRP_IPV4_IFADDR = 0x10;
    /** RTMGRP_IPV6_IFADDR: the legacy multicast group bit of RTNLGRP_IPV6_IFADDR (9). */
    static final int RTMGRP_IPV6_IFADDR = 0x100;

    private static final String RECEIVE_CALL = "address monitor";
    private final NetlinkSocket events;

    private AddressMonitor(NetlinkSocket events) {
        this.events = events;
    }

    /** Starts watching every interface's addresses in the calling thread's network namespace. */
    public static AddressMonitor open() throws NativeException {
        return new AddressMonitor(NetlinkSocket.open(RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR, "address monitor socket"));
    }

    /** The descriptor to wait on for readability. */
    public int fd() {
        return events.fd();
    }

    /**
     * Reads every pending notification without blocking and returns the address changes, oldest
     * first; empty when nothing changed.
     */
    public List<AddressEvent> poll() throws NativeException {
        List<AddressEvent> changes = new ArrayList<>(2);
        while (true) {
            int length;
            try {
                length = events.receive(RECEIVE_CALL);
            } catch (NativeException e) {
                if (e.errno() != Errno.ENOBUFS) {
                    throw e;
                }
                changes.add(AddressEvent.overflow());
                continue;
            }
            if (length < 0) {
                return changes;
            }
            parse(events.response(), length, changes);
        }
    }

    static void parse(MemorySegment messages, int length, List<AddressEvent> changes) {
        long offset = 0;
        while (offset + NetlinkSocket.NLMSG_HDRLEN <= length) {
            int messageLength = messages.get(JAVA_INT, offset);
            if (messageLength < NetlinkSocket.NLMSG_HDRLEN || offset + messageLength > length) {
                return;
            }
            int type = messages.get(JAVA_SHORT, offset + 4) & 0xffff;
            if (type == NetlinkSocket.RTM_NEWADDR || type == NetlinkSocket.RTM_DELADDR) {
                AddressEvent event = parseAddress(messages, offset, messageLength,
                        type == NetlinkSocket.RTM_NEWADDR ? AddressEvent.Kind.ADDED : AddressEvent.Kind.REMOVED);
                if (event != null) {
                    changes.add(event);
                }
            }
            offset += NetlinkSocket.align(messageLength);
        }
    }

    /** One RTM_NEWADDR / RTM_DELADDR: {@code struct ifaddrmsg { u8 family, prefixlen, flags, scope; u32 index; }} and its attributes. */
    private static AddressEvent parseAddress(MemorySegment message, long offset, int length, AddressEvent.Kind kind) {
        long header = offset + NetlinkSocket.NLMSG_HDRLEN;
        if (length < NetlinkSocket.NLMSG_HDRLEN + RtNetlink.IFADDRMSG_SIZE) {
            return null;
        }
        int family = message.get(JAVA_BYTE, header) & 0xff;
        int prefixLength = message.get(JAVA_BYTE, header + 1) & 0xff;
        int index = message.get(JAVA_INT, header + 4);
        byte[][] local = new byte[1][];
        byte[][] address = new byte[1][];
        NetlinkSocket.forEachAttribute(message, header + RtNetlink.IFADDRMSG_SIZE, offset + length,
                (attribute, data, dataLength) -> {
                    if (attribute == RtNetlink.IFA_LOCAL) {
                        local[0] = NetlinkSocket.bytes(message, data, dataLength);
                    } else if (attribute == RtNetlink.IFA_ADDRESS) {
                        address[0] = NetlinkSocket.bytes(message, data, dataLength);
                    }
                });
        // IFA_LOCAL is the interface's own address; IFA_ADDRESS is the peer on point-to-point links.
        byte[] own = local[0] != null ? local[0] : address[0];
        int expected = family == LinuxSyscalls.AF_INET ? 4 : family == LinuxSyscalls.AF_INET6 ? 16 : -1;
        if (own == null || own.length != expected) {
            return null;
        }
        InetAddress inet = SocketAddresses.toInetAddress(own, own.length, 0);
        return new AddressEvent(kind, index, inet, prefixLength);
    }

    @Override
    public void close() {
        events.close();
    }

    @Override
    public String toString() {
        return "AddressMonitor[" + events + "]";
    }
}
