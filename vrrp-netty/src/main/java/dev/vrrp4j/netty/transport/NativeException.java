package dev.vrrp4j.netty.transport;

import java.io.IOException;

/**
 * A failed Linux system call or rtnetlink request. The message names the call and its important
 * argument, the errno name and its {@code strerror} text, and, for permission failures, the
 * capability to grant:
 * {@code socket(AF_INET, SOCK_RAW, 112) failed: EPERM (Operation not permitted): CAP_NET_RAW is required}.
 *
 * <p>It is a checked {@link IOException}: these failures come from the environment (missing
 * capability, interface gone, address not available), not from programming errors, so the caller
 * (the driver) must decide per call whether to retry, go to Fault or give up, like any other
 * socket failure in {@code java.net}.
 */
public final class NativeException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String call;
    private final int errnoValue;
    private final RequiredCapability missingCapability;

    NativeException(String call, int errnoValue, RequiredCapability capability) {
        this(call, errnoValue, capability, null);
    }

    /**
     * @param detail extra text from the kernel (a netlink extended ack), or null
     */
    NativeException(String call, int errnoValue, RequiredCapability capability, String detail) {
        super(message(call, errnoValue, capability, detail));
        this.call = call;
        this.errnoValue = errnoValue;
        this.missingCapability = capability.hintFor(errnoValue) != null ? capability : null;
    }

    private static String message(String call, int errnoValue, RequiredCapability capability, String detail) {
        StringBuilder message = new StringBuilder(call).append(" failed: ").append(Errno.nameOf(errnoValue))
                .append(" (").append(LinuxSyscalls.strerror(errnoValue)).append(')');
        String hint = capability.hintFor(errnoValue);
        if (hint != null) {
            message.append(": ").append(hint);
        }
        if (detail != null && !detail.isEmpty()) {
            message.append(" (kernel: ").append(detail).append(')');
        }
        return message.toString();
    }

    /** The call with its important argument, e.g. {@code setsockopt(fd 7, IPPROTO_IP, IP_ADD_MEMBERSHIP)}. */
    public String call() {
        return call;
    }

    /** The errno as a constant, {@link Errno#UNKNOWN} for unlisted values. */
    public Errno errno() {
        return Errno.of(errnoValue);
    }

    /** The capability whose absence this failure means ({@code CAP_NET_RAW}), or null if it is not a permission failure. */
    public String missingCapability() {
        return missingCapability == null ? null : missingCapability.name();
    }

    /** The numeric errno. */
    public int errnoValue() {
        return errnoValue;
    }
}
