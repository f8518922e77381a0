package dev.vrrp4j.netty;

/**
 * What the application hears from a {@link VrrpNode}: one call per state change of a virtual
 * router, on the executor the application chose, never on the protocol's event loop.
 *
 * <p>Calls for one router never overlap and arrive in the order the changes happened; a slow
 * listener delays only later calls for that router, never the protocol. An exception thrown here is
 * logged and counted and changes nothing.
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
     * Someone else acted as Active while this router was Active: another router's advertisement
     * or, for IPv4, an ARP packet from another MAC for one of our virtual addresses. Called once per
     * episode, in order with the state changes of the same router (a router that yields hears
     * {@link #onBackup} first). Informational: the protocol has already reacted. Does nothing
     * unless overridden.
     */
    default void onSplitBrain(SplitBrainEvent event) {}

    /** Calls the method of {@code listener} that {@code event.to()} stands for, as the node does. */
    static void dispatch(FailoverListener listener, RouterEvent event) {
        switch (event.to()) {
            case ACTIVE -> listener.onActive(event);
            case BACKUP -> listener.onBackup(event);
            case FAULT -> listener.onFault(event);
            case INITIALIZE -> listener.onStopped(event);
        }
    }

    /** A listener that hands every event, whatever the state, to {@code onEvent}; e.g. to log them. */
    static FailoverListener of(java.util.function.Consumer<RouterEvent> onEvent) {
        return of(onEvent, event -> { });
    }

    /** As {@link #of(java.util.function.Consumer)}, and split-brain events to {@code onSplitBrain}. */
    static FailoverListener of(java.util.function.Consumer<RouterEvent> onEvent,
                               java.util.function.Consumer<SplitBrainEvent> onSplitBrain) {
        java.util.Objects.requireNonNull(onEvent, "onEvent");
        java.util.Objects.requireNonNull(onSplitBrain, "onSplitBrain");
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
            public void onSplitBrain(SplitBrainEvent event) {
                onSplitBrain.accept(event);
            }
        };
    }
}
