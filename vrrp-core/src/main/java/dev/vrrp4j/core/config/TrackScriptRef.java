package dev.vrrp4j.core.config;

import java.util.Objects;

/**
 * One line of a {@code track_script} block: the name of a {@link VrrpScript} and, optionally, a
 * weight that replaces the script's own.
 *
 * @param name   the {@code vrrp_script} tracked (the parser guarantees it exists)
 * @param weight -253..253, or {@code null} to use the script's {@code weight}
 */
public record TrackScriptRef(String name, Integer weight) {
    public TrackScriptRef {
        Objects.requireNonNull(name, "name");
        if (weight != null && (weight < -253 || weight > 253)) {
            throw new IllegalArgumentException("weight " + weight + " out of range -253..253");
        }
    }

    /** The weight that applies: this reference's, or else the script's (keepalived.conf(5), track_script). */
    public int effectiveWeight(VrrpScript script) {
        if (!script.name().equals(name)) {
            throw new IllegalArgumentException("track_script " + name + " does not refer to vrrp_script " + script.name());
        }
        return weight != null ? weight : script.weight();
    }
}
