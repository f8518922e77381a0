package dev.vrrp4j.netty.transport;

/**
 * The Linux capability a call needs, so a permission failure can say what to grant instead of a
 * bare "Operation not permitted" (the most common deployment mistake: running without
 * {@code AmbientCapabilities=CAP_NET_RAW CAP_NET_ADMIN}).
 */
enum RequiredCapability {
    /** Nothing beyond an ordinary process. */
    NONE,
    /** Raw IP sockets, packet sockets and re-binding a socket to a device. */
    CAP_NET_RAW,
    /** Changing addresses and links through rtnetlink. */
    CAP_NET_ADMIN,
    /** Entering another network namespace with setns(2). */
    CAP_SYS_ADMIN,
    /** Raising a thread's priority (a negative nice value, a realtime policy). */
    CAP_SYS_NICE;

    /**
     * The hint to append to the error of a call that needs this capability and failed with
     * {@code errno}, or {@code null} when the failure is not a permission failure.
     */
    String hintFor(int errno) {
        if (this == NONE) {
            return null;
        }
        // The kernel answers EPERM for a missing capability; socket(2) may answer EACCES when an
        // LSM (SELinux, AppArmor) refuses, which the same grant usually fixes.
        if (errno == Errno.EPERM.value() || errno == Errno.EACCES.value()) {
            return name() + " is required";
        }
        return null;
    }
}
