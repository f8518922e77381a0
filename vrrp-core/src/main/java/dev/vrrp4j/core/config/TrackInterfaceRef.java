package dev.vrrp4j.core.config;

import java.util.Objects;

/**
 * One weighted line of a {@code track_interface} block, {@code IF weight N}: the interface's link
 * adjusts the priority instead of putting the instance in Fault (keepalived.conf(5): a positive
 * weight is added while it is up, a negative one subtracted while it is down).
 *
 * @param name   the interface
 * @param weight -253..253, not 0 (weight 0 is the unweighted, Fault, form)
 */
public record TrackInterfaceRef(String name, int weight) {
    public TrackInterfaceRef {
        Objects.requireNonNull(name, "name");
        if (weight == 0 || weight < -253 || weight > 253) {
            throw new IllegalArgumentException("weight " + weight + " out of range -253..253 (not 0)");
        }
    }
}
