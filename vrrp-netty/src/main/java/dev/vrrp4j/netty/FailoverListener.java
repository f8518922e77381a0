package dev.vrrp4j.netty;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * What the application hears from a {@link VrrpNode}: one call per state change of a virtual
 * router (RFC 9568 §6.4) or of a sync group, and one per split-brain episode, on the executor the
 * application chose, never on the protocol's event loop.
 *
 * <p>Register with {@link VrrpNode.Builder#listener} or, at any time, {@link VrrpNode#addListener};
 * a listener registered for one router hears that router only. Calls for one router (or group)
 * never overlap and arrive in the order the changes happened; a slow listener delays only its own
 * later calls, never the protocol or another listener. An exception thrown here is logged and
 * counted ({@link NodeStatus#listenerFailures()}) and changes nothing.
 *
 * <p>Unlike a leader latch that can be closed silently, a node that closes always says so: an
 * Active router first sends priority 0 and removes its addresses, then {@link #onStopped} runs.
 *
 * <p><b>The race to know about:</b> by the time a call runs, the router may already have moved on
 * (say, Active for 10 ms and then Backup again). Every call is still delivered, in order, so an
 * application that starts a service in {@link #onActive} will see the {@link #onBackup} that stops
 * it; one that must act only on the latest state checks {@link RouterEvent#currentState()}.
 */
public interface FailoverListener {
    /** The router is Active: its addresses are installed and the first announcements have been sent. */
    default void onActive(RouterEvent event) {}

    /** The router is Backup (at startup, or having given up the addresses to another router). */
    default void onBackup(RouterEvent event) {}

    /** The router cannot take part (link down, failed health check); it holds no addresses. */
    default void onFault(RouterEvent event) {}

    /** The router stopped (node closed); an Active router sent priority 0 and removed its addresses first. */
    default void onStopped(RouterEvent event) {}

    /**
     * A sync group changed state as a whole (all members Active, all Backup, one in Fault, all
     * stopped). Called after the member's own call that completed the change. Does nothing unless
     * overridden.
     */
    default void onGroupChange(GroupEvent event) {}

    /**
     * Someone else acted as Active while this router was Active: another router's advertisement
     * or, for IPv4, an ARP packet from another MAC for one of our virtual addresses. Called once per
     * episode, in order with the state changes of the same router (a router that yields hears
     * {@link #onBackup} first). Informational: the protocol has already reacted. Does nothing
     * unless overridden.
     */
    default void onSplitBrain(SplitBrainEvent event) {}

    /** Calls the method of {@code listener} that {@code event} stands for, as the node does. */
    static void dispatch(FailoverListener listener, VrrpEvent event) {
        switch (event) {
            case RouterEvent change -> {
                switch (change.to()) {
                    case ACTIVE -> listener.onActive(change);
                    case BACKUP -> listener.onBackup(change);
                    case FAULT -> listener.onFault(change);
                    case INITIALIZE -> listener.onStopped(change);
                }
            }
            case GroupEvent change -> listener.onGroupChange(change);
            case SplitBrainEvent splitBrain -> listener.onSplitBrain(splitBrain);
        }
    }

    /**
     * A listener that hands every event to {@code onEvent}, e.g. to log them or to
     * {@code switch} over the three kinds:
     *
     * <pre>{@code
     * FailoverListener.of(event -> {
     *     switch (event) {
     *         case RouterEvent e when e.to() == State.ACTIVE -> startServing();
     *         case RouterEvent e -> stopServing();
     *         case GroupEvent g -> log.info("{}", g);
     *         case SplitBrainEvent s -> alert(s);
     *     }
     * });
     * }</pre>
     */
    static FailoverListener of(Consumer<? super VrrpEvent> onEvent) {
        Objects.requireNonNull(onEvent, "onEvent");
        return new FailoverListener() {
            @Override
            public void onActive(RouterEvent event) {
                onEvent.accept(event);
            }

            @Override
            public void onBackup(RouterEvent event) {
                onEvent.accept(event);
            }

            @Override
            public void onFault(RouterEvent event) {
                onEvent.accept(event);
            }

            @Override
            public void onStopped(RouterEvent event) {
                onEvent.accept(event);
            }

            @Override
            public void onGroupChange(GroupEvent event) {
                onEvent.accept(event);
            }

            @Override
            public void onSplitBrain(SplitBrainEvent event) {
                onEvent.accept(event);
            }
        };
    }
}
