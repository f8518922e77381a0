package dev.vrrp4j.netty.transport;

/**
 * Linux errno values (x86-64 and arm64 share them) that the transport reports, so a caller can
 * branch on a name rather than a number and use the constant as a counter key. Values were checked
 * against {@code /usr/include/asm-generic/errno*.h}.
 */
public enum Errno {
    EPERM(1), ENOENT(2), ESRCH(3), EINTR(4), EIO(5), ENXIO(6), E2BIG(7), EBADF(9), EAGAIN(11), ENOMEM(12),
    EACCES(13), EFAULT(14), EBUSY(16), EEXIST(17), ENODEV(19), ENOTDIR(20), EINVAL(22), ENFILE(23), EMFILE(24),
    ENOSPC(28), EPIPE(32), ERANGE(34), ENAMETOOLONG(36), ENOSYS(38), ELOOP(40), ENOTSOCK(88), EDESTADDRREQ(89), EMSGSIZE(90),
    EPROTOTYPE(91), ENOPROTOOPT(92), EPROTONOSUPPORT(93), ESOCKTNOSUPPORT(94), EOPNOTSUPP(95), EAFNOSUPPORT(97),
    EADDRINUSE(98), EADDRNOTAVAIL(99), ENETDOWN(100), ENETUNREACH(101), ENOBUFS(105), EISCONN(106), ENOTCONN(107),
    ETIMEDOUT(110), ECONNREFUSED(111), EHOSTDOWN(112), EHOSTUNREACH(113), EALREADY(114), EINPROGRESS(115),
    /** Any errno not listed above; {@link NativeException#errnoValue()} still has the number. */
    UNKNOWN(-1);

    private static final Errno[] BY_VALUE = new Errno[128];

    static {
        for (Errno errno : values()) {
            if (errno.value > 0) {
                BY_VALUE[errno.value] = errno;
            }
        }
    }

    private final int value;

    Errno(int value) {
        this.value = value;
    }

    /** The numeric value, or -1 for {@link #UNKNOWN}. */
    public int value() {
        return value;
    }

    /** The constant for {@code value}, or {@link #UNKNOWN}. */
    public static Errno of(int value) {
        if (value > 0 && value < BY_VALUE.length && BY_VALUE[value] != null) {
            return BY_VALUE[value];
        }
        return UNKNOWN;
    }

    /** {@code "EPERM"} for a known value, {@code "errno 200"} otherwise. */
    static String nameOf(int value) {
        Errno errno = of(value);
        return errno == UNKNOWN ? "errno " + value : errno.name();
    }
}
