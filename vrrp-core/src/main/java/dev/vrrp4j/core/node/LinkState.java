package dev.vrrp4j.core.node;

/**
 * The operational state of an interface as the node learns it. {@link #REMOVED} is down for every
 * purpose today; it is where an interface that vanishes (and, later, one that appears) enters the
 * node.
 */
public enum LinkState {
    /** Administratively up and carrier present. */
    UP,
    /** Down, or up without carrier. */
    DOWN,
    /** The interface no longer exists. */
    REMOVED;

    boolean up() {
        return this == UP;
    }
}
