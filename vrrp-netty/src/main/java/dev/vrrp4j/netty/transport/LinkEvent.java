package dev.vrrp4j.netty.transport;

/**
 * A change of a watched interface's state, reported by {@link LinkMonitor}. The driver turns
 * {@link State#DOWN} and {@link State#REMOVED} into the Fault (Initialize) transition of
 * RFC 9568 §6.4 and {@link State#UP} into a restart of the router.
 *
 * @param interfaceName  the interface name
 * @param interfaceIndex its index (after a remove and re-create, the new index)
 * @param state          the new state
 */
public record LinkEvent(String interfaceName, int interfaceIndex, State state) {
    /** Operational state of an interface, as far as VRRP cares. */
    public enum State {
        /** Administratively up and carrier present (IFF_UP and IFF_RUNNING). */
        UP,
        /** Down, or up without carrier. */
        DOWN,
        /** The interface no longer exists. */
        REMOVED
    }

    public LinkEvent {
        if (interfaceName == null || interfaceName.isEmpty()) {
            throw new IllegalArgumentException("interface name must not be empty");
        }
        if (state == null) {
            throw new IllegalArgumentException("state must not be null");
        }
    }
}
