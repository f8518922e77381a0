package dev.vrrp4j.netty;

/**
 * A listener's registration with a {@link VrrpNode}, returned by {@link VrrpNode#addListener};
 * {@link #close()} removes it. Idempotent; a call already running finishes, no further call starts.
 */
public interface ListenerRegistration extends AutoCloseable {
    /** Removes the listener. */
    @Override
    void close();
}
