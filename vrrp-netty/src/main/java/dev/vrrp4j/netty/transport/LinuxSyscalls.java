package dev.vrrp4j.netty.transport;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The libc functions the transport calls, bound with the Foreign Function and Memory API, and the
 * Linux constants they take. Every call that can fail captures errno in the same native call
 * ({@link Linker.Option#captureCallState}), because anything the JVM runs between the call and a
 * separate errno read may overwrite it.
 *
 * <p>Constants were checked against this machine's headers with a C program printing them
 * ({@code <sys/socket.h>}, {@code <netinet/in.h>}, {@code <linux/in6.h>}, {@code <linux/rtnetlink.h>},
 * {@code <linux/if_addr.h>}, {@code <linux/if_packet.h>}); x86-64 and arm64 agree on all of them.
 *
 * <p>Binding native functions is a restricted operation: the JVM needs
 * {@code --enable-native-access=ALL-UNNAMED} (or the module's name).
 */
@SuppressWarnings("restricted") // this class is where native access is meant to happen
final class LinuxSyscalls {
    // <sys/socket.h>
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    static final int AF_NETLINK = 16;
    static final int AF_PACKET = 17;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_RAW = 3;
    static final int SOCK_NONBLOCK = 0x800;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int MSG_TRUNC = 0x20;
    static final int MSG_CTRUNC = 0x08;
    /** sendto(2) flag: do the route lookup and return without sending (raw_sendmsg, rawv6_sendmsg). */
    static final int MSG_PROBE = 0x10;

    // <netinet/in.h>
    static final int IPPROTO_IP = 0;
    static final int IPPROTO_IPV6 = 41;
    static final int IPPROTO_ICMPV6 = 58;
    static final int IPPROTO_VRRP = 112;

    /** ETH_P_ARP (linux/if_ether.h), host order: sockaddr_ll and socket(2) want it in network order. */
    static final int ETH_P_ARP = 0x0806;
    static final int NETLINK_ROUTE = 0;

    // <fcntl.h>, <sched.h>, <poll.h>
    static final int O_RDONLY = 0;
    static final int O_RDWR = 2;
    static final int O_NONBLOCK = 0x800;
    static final int O_CLOEXEC = 0x80000;
    /** Not asm-generic: arm64 moved it (and O_DIRECTORY) where x86-64 has O_DIRECT. */
    static final int O_NOFOLLOW = "aarch64".equals(System.getProperty("os.arch")) ? 0x8000 : 0x20000;
    static final int CLONE_NEWNET = 0x40000000;
    static final short POLLIN = 1;

    // struct msghdr (x86-64 / arm64 LP64 layout)
    static final long MSGHDR_SIZE = 56;
    static final long MSGHDR_NAME = 0;
    static final long MSGHDR_NAMELEN = 8;
    static final long MSGHDR_IOV = 16;
    static final long MSGHDR_IOVLEN = 24;
    static final long MSGHDR_CONTROL = 32;
    static final long MSGHDR_CONTROLLEN = 40;
    static final long MSGHDR_FLAGS = 48;
    static final long IOVEC_SIZE = 16;
    static final long CMSGHDR_SIZE = 16;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE_LAYOUT.varHandle(
            java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    private static final AddressLayout C_STRING = ADDRESS.withTargetLayout(
            java.lang.foreign.MemoryLayout.sequenceLayout(Long.MAX_VALUE, JAVA_BYTE));

    // One capture segment per thread, so no call allocates (the receive path must not).
    private static final ThreadLocal<MemorySegment> CAPTURE =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CAPTURE_LAYOUT));

    private static final MethodHandle SOCKET = errnoCall("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle SETSOCKOPT = errnoCall("setsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle BIND = errnoCall("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SENDTO = errnoCall("sendto",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SENDMSG = errnoCall("sendmsg", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle RECVMSG = errnoCall("recvmsg", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle CLOSE = errnoCall("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle IF_NAMETOINDEX = errnoCall("if_nametoindex", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle POLL = errnoCall("poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle TIMERFD_CREATE = errnoCall("timerfd_create",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle TIMERFD_SETTIME = errnoCall("timerfd_settime",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle READ = errnoCall("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    // Not errnoCall: clock_gettime on CLOCK_REALTIME cannot fail, and it is on the receive path.
    private static final MethodHandle CLOCK_GETTIME = LINKER.downcallHandle(find("clock_gettime"),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));

    private LinuxSyscalls() {}

    /** Does nothing; calling it initializes this class, which links the downcalls start-up needs ({@link NativeAccess}). */
    static void load() {}

    static MemorySegment find(String name) {
        return LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name + "; vrrp4j needs Linux with glibc or musl"));
    }

    /** A downcall handle whose first parameter is the errno capture segment. */
    static MethodHandle errnoCall(String name, FunctionDescriptor descriptor, Linker.Option... extra) {
        Linker.Option[] options = new Linker.Option[extra.length + 1];
        options[0] = CAPTURE_ERRNO;
        System.arraycopy(extra, 0, options, 1, extra.length);
        return LINKER.downcallHandle(find(name), descriptor, options);
    }

    /** This thread's errno capture segment, to pass as the first argument of an {@link #errnoCall}. */
    static MemorySegment capture() {
        return CAPTURE.get();
    }

    /** The errno the last {@link #errnoCall} on this thread captured. */
    static int errno() {
        return (int) ERRNO.get(CAPTURE.get(), 0L);
    }

    /** timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC): the clock System.nanoTime() reads on Linux. */
    static int timerfdCreate() throws NativeException {
        int fd;
        try {
            fd = (int) TIMERFD_CREATE.invokeExact(capture(), 1 /* CLOCK_MONOTONIC */, SOCK_NONBLOCK | SOCK_CLOEXEC);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        if (fd < 0) {
            throw new NativeException("timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC)", errno(),
                    RequiredCapability.NONE);
        }
        return fd;
    }

    /** timerfd_settime(fd, flags, spec, NULL); returns 0 or -errno. Allocates nothing. */
    static int timerfdSettime(int fd, int flags, MemorySegment spec) {
        try {
            int result = (int) TIMERFD_SETTIME.invokeExact(capture(), fd, flags, spec, MemorySegment.NULL);
            return result < 0 ? -errno() : 0;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** read(2), retried on EINTR; returns the count, -1 for EAGAIN, or -errno. Allocates nothing. */
    static long read(int fd, MemorySegment into) {
        while (true) {
            long result;
            try {
                result = (long) READ.invokeExact(capture(), fd, into, into.byteSize());
            } catch (Throwable t) {
                throw rethrow(t);
            }
            if (result >= 0) {
                return result;
            }
            int errno = errno();
            if (errno != Errno.EINTR.value()) {
                return errno == Errno.EAGAIN.value() ? -1 : -errno;
            }
        }
    }

    /** The calling thread's kernel thread id. */
    static int gettid() {
        try {
            return (int) RareCalls.GETTID.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** setpriority(PRIO_PROCESS, tid, nice): on Linux a "process" here is one thread. */
    static void setThreadNice(int tid, int nice) throws NativeException {
        int result;
        try {
            result = (int) RareCalls.SETPRIORITY.invokeExact(capture(), 0 /* PRIO_PROCESS */, tid, nice);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        if (result < 0) {
            throw new NativeException("setpriority(PRIO_PROCESS, " + tid + ", " + nice + ")", errno(),
                    RequiredCapability.CAP_SYS_NICE);
        }
    }

    /** sched_setscheduler(tid, SCHED_RR, {priority}). */
    static void setThreadRealtime(int tid, int priority) throws NativeException {
        int result;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment param = arena.allocateFrom(JAVA_INT, priority); // struct sched_param { int sched_priority; }
            result = (int) RareCalls.SCHED_SETSCHEDULER.invokeExact(capture(), tid, 2 /* SCHED_RR */, param);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        if (result < 0) {
            throw new NativeException("sched_setscheduler(" + tid + ", SCHED_RR, " + priority + ")", errno(),
                    RequiredCapability.CAP_SYS_NICE);
        }
    }

    static int socket(int domain, int type, int protocol, String description, RequiredCapability capability)
            throws NativeException {
        int fd;
        try {
            fd = (int) SOCKET.invokeExact(capture(), domain, type | SOCK_NONBLOCK | SOCK_CLOEXEC, protocol);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        if (fd < 0) {
            throw new NativeException("socket(" + description + ")", errno(), capability);
        }
        return fd;
    }

    static void setsockopt(int fd, SocketOption option, MemorySegment value, String argument) throws NativeException {
        int result;
        try {
            result = (int) SETSOCKOPT.invokeExact(capture(), fd, option.level(), option.option(), value, (int) value.byteSize());
        } catch (Throwable t) {
            throw rethrow(t);
        }
        if (result < 0) {
            throw new NativeException("setsockopt(fd " + fd + ", " + option.levelName() + ", " + option.name()
                    + (argument == null ? "" : ", " + argument) + ")", errno(), option.capability());
        }
    }

    static void setsockopt(int fd, SocketOption option, int value) throws NativeException {
        try (Arena arena = Arena.ofConfined()) {
            setsockopt(fd, option, arena.allocateFrom(JAVA_INT, value), Integer.toString(value));
        }
    }

    static void bind(int fd, MemorySegment address, String description) throws NativeException {
        int result;
        try {
            result = (int) BIND.invokeExact(capture(), fd, address, (int) address.byteSize());
        } catch (Throwable t) {
            throw rethrow(t);
        }
        if (result < 0) {
            throw new NativeException("bind(fd " + fd + ", " + description + ")", errno(), RequiredCapability.NONE);
        }
    }

    /**
     * sendto(2) on a non-blocking socket; returns the bytes sent, or -1 when the send buffer is
     * full (EAGAIN), which for a datagram means the message was not sent.
     */
    static long sendto(int fd, MemorySegment buffer, long length, MemorySegment address, int addressLength,
                       String description) throws NativeException {
        return sendto(fd, buffer, length, 0, address, addressLength, description);
    }

    /** {@link #sendto(int, MemorySegment, long, MemorySegment, int, String)} with send flags, e.g. {@link #MSG_PROBE}. */
    static long sendto(int fd, MemorySegment buffer, long length, int flags, MemorySegment address, int addressLength,
                       String description) throws NativeException {
        while (true) {
            long result;
            try {
                result = (long) SENDTO.invokeExact(capture(), fd, buffer, length, flags, address, addressLength);
            } catch (Throwable t) {
                throw rethrow(t);
            }
            if (result >= 0) {
                return result;
            }
            int errno = errno();
            if (errno == Errno.EINTR.value()) {
                continue;
            }
            if (errno == Errno.EAGAIN.value()) {
                return -1;
            }
            throw new NativeException("sendto(fd " + fd + ", " + description + ")", errno, RequiredCapability.NONE);
        }
    }

    /** sendmsg(2); returns the bytes sent or -1 on EAGAIN, like {@link #sendto}. */
    static long sendmsg(int fd, MemorySegment msghdr, String description) throws NativeException {
        while (true) {
            long result;
            try {
                result = (long) SENDMSG.invokeExact(capture(), fd, msghdr, 0);
            } catch (Throwable t) {
                throw rethrow(t);
            }
            if (result >= 0) {
                return result;
            }
            int errno = errno();
            if (errno == Errno.EINTR.value()) {
                continue;
            }
            if (errno == Errno.EAGAIN.value()) {
                return -1;
            }
            throw new NativeException("sendmsg(fd " + fd + ", " + description + ")", errno, RequiredCapability.NONE);
        }
    }

    /**
     * recvmsg(2) on a non-blocking socket; returns the datagram's length (with MSG_TRUNC, its full
     * length even if the buffer was shorter), or -1 when nothing is queued (EAGAIN). Errors other
     * than EAGAIN and EINTR are returned as {@code -errno} so the caller can name its socket in the
     * exception without building a string on every call.
     */
    static long recvmsg(int fd, MemorySegment msghdr, int flags) {
        while (true) {
            long result;
            try {
                result = (long) RECVMSG.invokeExact(capture(), fd, msghdr, flags);
            } catch (Throwable t) {
                throw rethrow(t);
            }
            if (result >= 0) {
                return result;
            }
            int errno = errno();
            if (errno == Errno.EINTR.value()) {
                continue;
            }
            return errno == Errno.EAGAIN.value() ? -1 : -errno;
        }
    }

    /**
     * clock_gettime(2) on CLOCK_REALTIME, in nanoseconds since the epoch: the clock the kernel
     * stamps received packets with (SO_TIMESTAMPNS). {@code timespec} is a caller-owned 16-byte
     * segment, so the call allocates nothing.
     */
    static long realtimeNanos(MemorySegment timespec) {
        try {
            int ignored = (int) CLOCK_GETTIME.invokeExact(0 /* CLOCK_REALTIME */, timespec);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        return timespec.get(JAVA_LONG, 0) * 1_000_000_000L + timespec.get(JAVA_LONG, 8);
    }

    /** close(2). EINTR is not retried: on Linux the descriptor is released even then. */
    static void close(int fd) throws NativeException {
        int result;
        try {
            result = (int) CLOSE.invokeExact(capture(), fd);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        if (result < 0 && errno() != Errno.EINTR.value()) {
            throw new NativeException("close(fd " + fd + ")", errno(), RequiredCapability.NONE);
        }
    }

    /**
     * if_nametoindex(3) in the calling thread's network namespace. Interface names are at most 15
     * bytes (IFNAMSIZ - 1).
     */
    static int ifNameToIndex(String interfaceName) throws NativeException {
        checkInterfaceName(interfaceName);
        int index;
        try (Arena arena = Arena.ofConfined()) {
            index = (int) IF_NAMETOINDEX.invokeExact(capture(), arena.allocateFrom(interfaceName));
        } catch (Throwable t) {
            throw rethrow(t);
        }
        if (index == 0) {
            throw new NativeException("if_nametoindex(" + interfaceName + ")", errno(), RequiredCapability.NONE);
        }
        return index;
    }

    static void checkInterfaceName(String interfaceName) {
        int length = interfaceName.getBytes(StandardCharsets.UTF_8).length;
        if (length == 0 || length > 15) {
            throw new IllegalArgumentException("interface name \"" + interfaceName + "\" must be 1..15 bytes, is " + length);
        }
    }

    static int open(String path, int flags) throws NativeException {
        int fd;
        try (Arena arena = Arena.ofConfined()) {
            fd = (int) RareCalls.OPEN.invokeExact(capture(), arena.allocateFrom(path), flags, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        if (fd < 0) {
            throw new NativeException("open(" + path + ")", errno(), RequiredCapability.NONE);
        }
        return fd;
    }

    /**
     * Calls that start-up does not make (namespaces, scheduling, opening files, error texts),
     * linked on first use: each downcall shape costs milliseconds of method-handle spinning.
     */
    private static final class RareCalls {
        static final MethodHandle SETNS = errnoCall("setns", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
        // open(2) is variadic (the mode); declaring it so keeps the x86-64 vararg convention right.
        static final MethodHandle OPEN = errnoCall("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
                Linker.Option.firstVariadicArg(2));
        static final MethodHandle GETTID = LINKER.downcallHandle(find("gettid"), FunctionDescriptor.of(JAVA_INT));
        static final MethodHandle SETPRIORITY = errnoCall("setpriority",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
        static final MethodHandle SCHED_SETSCHEDULER = errnoCall("sched_setscheduler",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
        static final MethodHandle STRERROR = LINKER.downcallHandle(find("strerror"), FunctionDescriptor.of(C_STRING, JAVA_INT));
    }

    static void setns(int fd, int namespaceType, String description) throws NativeException {
        int result;
        try {
            result = (int) RareCalls.SETNS.invokeExact(capture(), fd, namespaceType);
        } catch (Throwable t) {
            throw rethrow(t);
        }
        if (result < 0) {
            throw new NativeException("setns(" + description + ")", errno(), RequiredCapability.CAP_SYS_ADMIN);
        }
    }

    /** Waits up to {@code timeoutMillis} for {@code fd} to become readable; true if it is. */
    static boolean pollReadable(int fd, int timeoutMillis) throws NativeException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pollfd = arena.allocate(8, 4); // struct pollfd { int fd; short events; short revents; }
            pollfd.set(JAVA_INT, 0, fd);
            pollfd.set(java.lang.foreign.ValueLayout.JAVA_SHORT, 4, POLLIN);
            while (true) {
                int result;
                try {
                    result = (int) POLL.invokeExact(capture(), pollfd, 1L, timeoutMillis);
                } catch (Throwable t) {
                    throw rethrow(t);
                }
                if (result >= 0) {
                    return result > 0;
                }
                if (errno() != Errno.EINTR.value()) {
                    throw new NativeException("poll(fd " + fd + ")", errno(), RequiredCapability.NONE);
                }
            }
        }
    }

    /** strerror(3): glibc's text for {@code errno}, e.g. "Operation not permitted". */
    static String strerror(int errno) {
        try {
            MemorySegment text = (MemorySegment) RareCalls.STRERROR.invokeExact(errno);
            return text.getString(0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (t instanceof Error error) {
            throw error;
        }
        throw new IllegalStateException("native call failed unexpectedly", t);
    }
}
