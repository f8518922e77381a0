package dev.vrrp4j.netty.transport;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * An rtnetlink (NETLINK_ROUTE) socket with one request buffer and one receive buffer, and the
 * framing of netlink messages and attributes ({@code <linux/netlink.h>}, {@code <linux/rtnetlink.h>}).
 * Shared by {@link RtNetlink} (request / response) and {@link LinkMonitor} (multicast events).
 *
 * <p>rtnetlink requests run synchronously in the sender's sendmsg(2), so the answer is queued by
 * the time sendto returns; the non-blocking socket still polls with a deadline in case it is not.
 */
final class NetlinkSocket implements AutoCloseable {
    static final int NLMSG_HDRLEN = 16;
    static final int NLMSG_NOOP = 1;
    static final int NLMSG_ERROR = 2;
    static final int NLMSG_DONE = 3;
    static final int NLMSG_OVERRUN = 4;
    static final int NLM_F_REQUEST = 0x1;
    static final int NLM_F_ACK = 0x4;
    static final int NLM_F_EXCL = 0x200;
    static final int NLM_F_CREATE = 0x400;
    static final int NLM_F_DUMP = 0x300;
    /** In an NLMSG_ERROR: the echoed request is only its header (NETLINK_CAP_ACK). */
    static final int NLM_F_CAPPED = 0x100;
    /** In an NLMSG_ERROR: extended-ack attributes follow. */
    static final int NLM_F_ACK_TLVS = 0x200;
    static final int NLMSGERR_ATTR_MSG = 1;

    static final int RTM_NEWLINK = 16;
    static final int RTM_DELLINK = 17;
    static final int RTM_GETLINK = 18;
    static final int RTM_NEWADDR = 20;
    static final int RTM_DELADDR = 21;
    static final int RTM_GETADDR = 22;
    static final int RTM_NEWROUTE = 24;
    static final int RTM_DELROUTE = 25;
    static final int RTM_NEWRULE = 32;
    static final int RTM_DELRULE = 33;

    /** Multicast group bit for RTNLGRP_LINK (group 1) in sockaddr_nl.nl_groups. */
    static final int RTMGRP_LINK = 1;

    private static final int REQUEST_BYTES = 4096;
    // Dumps are sized to the reader's buffer (up to 32 KiB per skb); anything larger is truncated.
    private static final int RESPONSE_BYTES = 64 * 1024;
    private static final long ANSWER_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final NativeSocket socket;
    private final MemorySegment request;
    private final MemorySegment response;
    private final MemorySegment kernelAddress;
    private final MemorySegment msghdr;
    private int requestLength;
    private int sequence;
    private String extendedAck;

    private NetlinkSocket(NativeSocket socket) {
        this.socket = socket;
        this.request = socket.allocate(REQUEST_BYTES);
        this.response = socket.allocate(RESPONSE_BYTES);
        this.kernelAddress = socket.allocate(12); // struct sockaddr_nl { u16 family; u16 pad; u32 pid; u32 groups; }
        kernelAddress.set(JAVA_SHORT, 0, (short) LinuxSyscalls.AF_NETLINK);
        this.msghdr = socket.messageHeader(null, response);
    }

    /**
     * Opens an rtnetlink socket subscribed to {@code groups} (a bit mask, 0 for none).
     * Extended acks are turned on so errors carry the kernel's own explanation.
     */
    static NetlinkSocket open(int groups, String description) throws NativeException {
        return NativeSocket.open(LinuxSyscalls.AF_NETLINK, LinuxSyscalls.SOCK_RAW, LinuxSyscalls.NETLINK_ROUTE,
                "AF_NETLINK, SOCK_RAW, NETLINK_ROUTE", RequiredCapability.NONE, description, socket -> {
            NetlinkSocket netlink = new NetlinkSocket(socket);
            socket.setOption(SocketOption.NETLINK_EXT_ACK, 1);
            socket.setOption(SocketOption.NETLINK_CAP_ACK, 1);
            MemorySegment local = socket.allocate(12);
            local.set(JAVA_SHORT, 0, (short) LinuxSyscalls.AF_NETLINK);
            local.set(JAVA_INT, 8, groups);
            LinuxSyscalls.bind(socket.fd(), local, "AF_NETLINK groups 0x" + Integer.toHexString(groups));
            return netlink;
        });
    }

    int fd() {
        return socket.fd();
    }

    MemorySegment response() {
        return response;
    }

    // ---- building a request ----

    /** Starts a request with header {@code type} / {@code flags} (NLM_F_REQUEST is added); returns its sequence number. */
    int begin(int type, int flags) {
        socket.ensureOpen();
        request.fill((byte) 0);
        sequence++;
        request.set(JAVA_SHORT, 4, (short) type);
        request.set(JAVA_SHORT, 6, (short) (flags | NLM_F_REQUEST));
        request.set(JAVA_INT, 8, sequence);
        requestLength = NLMSG_HDRLEN;
        return sequence;
    }

    /** Appends a fixed-size family header (ifinfomsg, ifaddrmsg) of {@code length} zero bytes; returns its offset. */
    long body(int length) {
        long offset = requestLength;
        requestLength += align(length);
        return offset;
    }

    MemorySegment request() {
        return request;
    }

    void attribute(int type, byte[] value) {
        int length = 4 + value.length;
        request.set(JAVA_SHORT, requestLength, (short) length);
        request.set(JAVA_SHORT, requestLength + 2, (short) type);
        MemorySegment.copy(value, 0, request, JAVA_BYTE, requestLength + 4, value.length);
        requestLength += align(length);
    }

    void attribute(int type, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        attribute(type, java.util.Arrays.copyOf(bytes, bytes.length + 1)); // NUL-terminated
    }

    void attribute(int type, int value) {
        request.set(JAVA_SHORT, requestLength, (short) 8);
        request.set(JAVA_SHORT, requestLength + 2, (short) type);
        request.set(JAVA_INT, requestLength + 4, value);
        requestLength += 8;
    }

    // ---- exchanging ----

    /** Message handler for the data messages of an answer. */
    interface MessageVisitor {
        void message(int type, long offset, int length);
    }

    /**
     * Sends the request built since {@link #begin} and reads the answer until its ack, error or
     * end of dump, passing each data message to {@code visitor}. Returns 0 on success or the
     * positive errno the kernel answered; {@link #extendedAck()} then has its explanation.
     *
     * @param call how the request reads in an error, e.g. {@code "RTM_NEWADDR 192.0.2.100/24 dev eth0"}
     */
    int exchange(String call, RequiredCapability capability, MessageVisitor visitor) throws NativeException {
        request.set(JAVA_INT, 0, requestLength);
        extendedAck = null;
        int expected = request.get(JAVA_INT, 8);
        long sent = LinuxSyscalls.sendto(socket.fd(), request, requestLength, kernelAddress, 12, call);
        if (sent < 0) {
            throw new NativeException("sendto(" + call + ")", Errno.EAGAIN.value(), capability);
        }
        long deadline = System.nanoTime() + ANSWER_TIMEOUT_NANOS;
        while (true) {
            int length = receive(call);
            if (length < 0) {
                long remainingMillis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (remainingMillis <= 0 || !LinuxSyscalls.pollReadable(socket.fd(), (int) remainingMillis)) {
                    throw new NativeException(call + " (no answer from the kernel in 5 s)", Errno.ETIMEDOUT.value(), capability);
                }
                continue;
            }
            int result = Integer.MIN_VALUE;
            long offset = 0;
            while (offset + NLMSG_HDRLEN <= length) {
                int messageLength = response.get(JAVA_INT, offset);
                if (messageLength < NLMSG_HDRLEN || offset + messageLength > length) {
                    break;
                }
                int type = response.get(JAVA_SHORT, offset + 4) & 0xffff;
                int seq = response.get(JAVA_INT, offset + 8);
                if (seq == expected) {
                    if (type == NLMSG_ERROR) {
                        result = -response.get(JAVA_INT, offset + NLMSG_HDRLEN);
                        if (result != 0) {
                            extendedAck = parseExtendedAck(offset, messageLength);
                        }
                    } else if (type == NLMSG_DONE) {
                        // A dump may end with an error in NLMSG_DONE's payload.
                        result = messageLength >= NLMSG_HDRLEN + 4 ? -response.get(JAVA_INT, offset + NLMSG_HDRLEN) : 0;
                    } else if (type != NLMSG_NOOP && visitor != null) {
                        visitor.message(type, offset, messageLength);
                    }
                }
                offset += align(messageLength);
            }
            if (result != Integer.MIN_VALUE) {
                return result;
            }
        }
    }

    /**
     * Reads one datagram into {@link #response()}; returns its length, or -1 if nothing is queued.
     * An ENOBUFS (the kernel dropped multicast messages because we fell behind) is thrown as such,
     * so a monitor can resynchronise.
     */
    int receive(String call) throws NativeException {
        socket.ensureOpen();
        long n = LinuxSyscalls.recvmsg(socket.fd(), msghdr, 0);
        if (n < -1) {
            throw new NativeException("recvmsg(" + call + ")", (int) -n, RequiredCapability.NONE);
        }
        return (int) n;
    }

    /** The kernel's explanation of the last error answer (NLMSGERR_ATTR_MSG), or null. */
    String extendedAck() {
        return extendedAck;
    }

    private String parseExtendedAck(long offset, int messageLength) {
        int flags = response.get(JAVA_SHORT, offset + 6) & 0xffff;
        if ((flags & NLM_F_ACK_TLVS) == 0) {
            return null;
        }
        long echoed = offset + NLMSG_HDRLEN + 4; // struct nlmsgerr { int error; struct nlmsghdr msg; ... }
        long attributes = echoed + ((flags & NLM_F_CAPPED) != 0 ? NLMSG_HDRLEN : align(response.get(JAVA_INT, echoed)));
        String[] message = new String[1];
        forEachAttribute(response, attributes, offset + messageLength, (type, data, length) -> {
            if (type == NLMSGERR_ATTR_MSG) {
                message[0] = string(response, data, length);
            }
        });
        return message[0];
    }

    // ---- parsing ----

    /** Attribute handler: {@code data} is the offset of the value, {@code length} its length. */
    interface AttributeVisitor {
        void attribute(int type, long data, int length);
    }

    static void forEachAttribute(MemorySegment segment, long start, long end, AttributeVisitor visitor) {
        long offset = start;
        while (offset + 4 <= end) {
            int length = segment.get(JAVA_SHORT, offset) & 0xffff;
            if (length < 4 || offset + length > end) {
                return;
            }
            int type = segment.get(JAVA_SHORT, offset + 2) & 0x3fff; // strip NLA_F_NESTED / NLA_F_NET_BYTEORDER
            visitor.attribute(type, offset + 4, length - 4);
            offset += align(length);
        }
    }

    static String string(MemorySegment segment, long offset, int length) {
        int end = 0;
        while (end < length && segment.get(JAVA_BYTE, offset + end) != 0) {
            end++;
        }
        byte[] bytes = new byte[end];
        MemorySegment.copy(segment, JAVA_BYTE, offset, bytes, 0, end);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    static byte[] bytes(MemorySegment segment, long offset, int length) {
        byte[] bytes = new byte[length];
        MemorySegment.copy(segment, JAVA_BYTE, offset, bytes, 0, length);
        return bytes;
    }

    /** NLMSG_ALIGN / NLA_ALIGN: 4 bytes. */
    static int align(int length) {
        return (length + 3) & ~3;
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
