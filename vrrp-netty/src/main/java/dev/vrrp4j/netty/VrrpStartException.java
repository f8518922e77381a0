package dev.vrrp4j.netty;

import dev.vrrp4j.netty.transport.Errno;
import dev.vrrp4j.netty.transport.NativeException;

import java.io.IOException;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link VrrpNode#start()} failed because of the host, not the configuration: a missing
 * capability, an interface that does not exist, an address that cannot be added, an event loop
 * that did not start, native access the JVM refuses (call {@code native access}, naming the
 * {@code --enable-native-access} option to add). The message names the system call, the errno and, for a permission failure,
 * the capability to grant, e.g.
 * {@code socket(AF_INET, SOCK_RAW, 112) failed: EPERM (Operation not permitted): CAP_NET_RAW is required}.
 * When it is thrown nothing is left open: no socket, no thread, no virtual address.
 *
 * <p>It is a checked {@link IOException}, as {@code java.net} reports a socket that cannot be
 * opened: the caller decides whether to retry, alert or exit. The most common case, a service run
 * without {@code AmbientCapabilities=CAP_NET_RAW CAP_NET_ADMIN}, is {@link #missingCapability()}.
 */
public final class VrrpStartException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String call;
    private final int errno;
    private final String errnoName;
    private final String missingCapability;

    /**
     * @param call              the call that failed with its important argument ({@code socket(AF_INET, SOCK_RAW, 112)})
     * @param errno             the numeric errno, 0 when the failure is not a system call's
     * @param errnoName         the errno's name ({@code EPERM}), null with errno 0
     * @param missingCapability the capability to grant ({@code CAP_NET_RAW}), null if none would help
     */
    public VrrpStartException(String message, String call, int errno, String errnoName, String missingCapability,
                              Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.call = Objects.requireNonNull(call, "call");
        this.errno = errno;
        this.errnoName = errnoName;
        this.missingCapability = missingCapability;
    }

    /** The failure of a system call or rtnetlink request, with the transport's message as it is. */
    static VrrpStartException of(NativeException failure) {
        String name = failure.errno() == Errno.UNKNOWN ? "errno " + failure.errnoValue() : failure.errno().name();
        return new VrrpStartException(failure.getMessage(), failure.call(), failure.errnoValue(), name,
                failure.missingCapability(), failure);
    }

    /** The call that failed with its important argument, e.g. {@code socket(AF_INET, SOCK_RAW, 112)}. */
    public String call() {
        return call;
    }

    /** The numeric errno; 0 when the failure was not a system call's (the event loop did not start). */
    public int errno() {
        return errno;
    }

    /** The errno's name ({@code EPERM}, {@code ENODEV}); empty with {@link #errno()} 0. */
    public Optional<String> errnoName() {
        return Optional.ofNullable(errnoName);
    }

    /** The capability to grant, {@code CAP_NET_RAW} or {@code CAP_NET_ADMIN}; empty when that is not the cause. */
    public Optional<String> missingCapability() {
        return Optional.ofNullable(missingCapability);
    }
}
