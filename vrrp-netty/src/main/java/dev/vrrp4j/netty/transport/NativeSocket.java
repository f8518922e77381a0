package dev.vrrp4j.netty.transport;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicBoolean;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * A socket descriptor and the native memory that lives as long as it: the buffers a socket
 * allocates once at open and reuses for every send and receive. Closing releases both, once.
 */
final class NativeSocket implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NativeSocket.class);

    private final int fd;
    private final String description;
    // Shared, not confined: a socket is opened on one thread (perhaps inside a namespace) and used
    // and closed on the event loop.
    private final Arena arena = Arena.ofShared();
    private final AtomicBoolean closed = new AtomicBoolean();

    private NativeSocket(int fd, String description) {
        this.fd = fd;
        this.description = description;
    }

    /**
     * Opens a non-blocking, close-on-exec socket.
     *
     * @param call        how the socket(2) call reads in an error, e.g. {@code "AF_INET, SOCK_RAW, 112"}
     * @param description what the socket is for, for close errors and toString
     */
    static NativeSocket open(int domain, int type, int protocol, String call, RequiredCapability capability,
                             String description) throws NativeException {
        return new NativeSocket(LinuxSyscalls.socket(domain, type, protocol, call, capability), description);
    }

    /**
     * Takes ownership of a descriptor that is not a socket but lives like one (a timerfd): its
     * native memory and its close come from here.
     */
    static NativeSocket adopt(int fd, String description) {
        return new NativeSocket(fd, description);
    }

    /** What an opener does with its new socket: set options, bind, wrap it. */
    @FunctionalInterface
    interface Setup<T> {
        T apply(NativeSocket socket) throws NativeException;
    }

    /**
     * Opens a socket as {@link #open(int, int, int, String, RequiredCapability, String)} does and
     * hands it to {@code setup}, whose result it returns; if {@code setup} fails, the socket is
     * closed before the exception propagates, so a half-configured socket never leaks.
     */
    static <T> T open(int domain, int type, int protocol, String call, RequiredCapability capability,
                      String description, Setup<T> setup) throws NativeException {
        NativeSocket socket = open(domain, type, protocol, call, capability, description);
        try {
            return setup.apply(socket);
        } catch (NativeException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    int fd() {
        return fd;
    }

    Arena arena() {
        return arena;
    }

    MemorySegment allocate(long byteSize) {
        return arena.allocate(byteSize, 8);
    }

    /**
     * A {@code struct msghdr} with one iovec over all of {@code buffer} and {@code name} (null for
     * none) as the address buffer, allocated with the socket and reused for every call. The caller
     * sets what changes per call (msg_namelen, msg_controllen) and any control buffer.
     */
    MemorySegment messageHeader(MemorySegment name, MemorySegment buffer) {
        MemorySegment iov = allocate(LinuxSyscalls.IOVEC_SIZE); // struct iovec { void *base; size_t len; }
        iov.set(ADDRESS, 0, buffer);
        iov.set(JAVA_LONG, 8, buffer.byteSize());
        MemorySegment msghdr = allocate(LinuxSyscalls.MSGHDR_SIZE);
        if (name != null) {
            msghdr.set(ADDRESS, LinuxSyscalls.MSGHDR_NAME, name);
        }
        msghdr.set(ADDRESS, LinuxSyscalls.MSGHDR_IOV, iov);
        msghdr.set(JAVA_LONG, LinuxSyscalls.MSGHDR_IOVLEN, 1);
        return msghdr;
    }

    /**
     * recvmsg(2) into {@code msghdr} without blocking: the datagram's length (with MSG_TRUNC its
     * full length, even if the buffer was shorter), or -1 when nothing is queued. Any other error
     * is thrown naming {@code call}, which the socket builds once so this path allocates nothing.
     */
    long receive(MemorySegment msghdr, int flags, String call) throws NativeException {
        long result = LinuxSyscalls.recvmsg(fd, msghdr, flags);
        if (result < -1) {
            throw new NativeException(call, (int) -result, RequiredCapability.NONE);
        }
        return result;
    }

    void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException(description + " is closed");
        }
    }

    void setOption(SocketOption option, int value) throws NativeException {
        LinuxSyscalls.setsockopt(fd, option, value);
    }

    void setOption(SocketOption option, MemorySegment value, String argument) throws NativeException {
        LinuxSyscalls.setsockopt(fd, option, value, argument);
    }

    /** SO_BINDTODEVICE: the socket only sees packets that arrived on, and only sends out of, this interface. */
    void bindToDevice(String interfaceName) throws NativeException {
        LinuxSyscalls.checkInterfaceName(interfaceName);
        try (Arena call = Arena.ofConfined()) {
            setOption(SocketOption.SO_BINDTODEVICE, call.allocateFrom(interfaceName), interfaceName);
        }
    }

    /**
     * Attaches a classic BPF program that accepts nothing. A raw socket used only for sending still
     * gets a copy of every matching packet (every VRRP packet, every ICMPv6 message); the filter
     * drops them before they are queued, so the unused receive buffer never fills.
     */
    void dropAllIncoming() throws NativeException {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment instruction = call.allocate(8, 8); // struct sock_filter { u16 code; u8 jt; u8 jf; u32 k; }
            instruction.set(JAVA_SHORT, 0, (short) 0x06);     // BPF_RET | BPF_K, k = 0: keep 0 bytes
            MemorySegment program = call.allocate(16, 8);      // struct sock_fprog { u16 len; struct sock_filter *filter; }
            program.set(JAVA_SHORT, 0, (short) 1);
            program.set(ADDRESS, 8, instruction);
            setOption(SocketOption.SO_ATTACH_FILTER, program, "drop all");
        }
    }

    /** Closes the descriptor and frees the socket's native memory; later calls do nothing. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            LinuxSyscalls.close(fd);
        } catch (NativeException e) {
            log.warn("closing {} failed: {}", description, e.getMessage());
        }
        arena.close();
    }

    @Override
    public String toString() {
        return description + " (fd " + fd + (closed.get() ? ", closed)" : ")");
    }
}
