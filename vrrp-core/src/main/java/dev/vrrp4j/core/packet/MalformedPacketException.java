package dev.vrrp4j.core.packet;

import java.util.Objects;

/**
 * A received packet failed the codec's checks and must be dropped. The {@link #reason()} is the
 * counter key; the message gives the actual and expected values for the log.
 *
 * <p>The exception carries no stack trace: it is control flow on the drop path, not a bug, and a
 * barrage of bad packets should not cost a stack walk each.
 */
public final class MalformedPacketException extends Exception {
    private static final long serialVersionUID = 1L;

    private final PacketDropReason reason;

    public MalformedPacketException(PacketDropReason reason, String detail) {
        super(Objects.requireNonNull(reason, "reason") + ": " + detail, null, false, false);
        this.reason = reason;
    }

    /** Why the packet was dropped. */
    public PacketDropReason reason() {
        return reason;
    }
}
