package dev.vrrp4j.core.node;

import java.util.Objects;

/**
 * A tracked interface whose link adjusts a router's priority instead of putting it in Fault
 * (keepalived {@code track_interface { IF weight N }}): a positive weight is added while the link is
 * up, a negative one subtracted while it is down, in the sum keepalived clamps to 1..254 with the
 * check weights ({@link dev.vrrp4j.core.health.TrackedPriority}). An unweighted one, which means
 * Fault, is a plain name in {@link RouterSpec#trackedInterfaces()}.
 *
 * @param name   the interface
 * @param weight -253..253 and not 0, keepalived's range
 */
public record TrackedInterfaceSpec(String name, int weight) {
    /** keepalived's bound on a track_interface weight. */
    public static final int MAX_WEIGHT = 253;

    public TrackedInterfaceSpec {
        Objects.requireNonNull(name, "name");
        if (weight == 0) {
            throw new IllegalArgumentException("weight 0 for interface " + name + " means Fault while it is down:"
                    + " track it unweighted instead");
        }
        if (weight < -MAX_WEIGHT || weight > MAX_WEIGHT) {
            throw new IllegalArgumentException("weight " + weight + " out of range -" + MAX_WEIGHT + ".." + MAX_WEIGHT
                    + " (not 0)");
        }
    }
}
