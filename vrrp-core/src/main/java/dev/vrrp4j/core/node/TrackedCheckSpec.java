package dev.vrrp4j.core.node;

import dev.vrrp4j.core.health.CheckPolicy;

import java.time.Duration;
import java.util.Objects;

/**
 * A health check as one router tracks it (keepalived {@code vrrp_script} referenced by
 * {@code track_script}). Routers that track a check of the same name share its results, so they must
 * agree on everything but the weight ({@link NodeConfig} checks that).
 *
 * @param name     the check's name
 * @param interval time between runs (the driver's schedule)
 * @param timeout  time a run may take
 * @param policy   rise, fall and this router's weight
 * @param task     what the driver runs, opaque to the node, which only compares it ({@link Object#equals})
 */
public record TrackedCheckSpec(String name, Duration interval, Duration timeout, CheckPolicy policy, Object task) {
    public TrackedCheckSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(task, "task");
    }

    /** Whether {@code other} is the same check (its task equal, same timing and rise/fall), whatever its weight. */
    public boolean sameDefinition(TrackedCheckSpec other) {
        return task.equals(other.task) && interval.equals(other.interval) && timeout.equals(other.timeout)
                && policy.rise() == other.policy.rise() && policy.fall() == other.policy.fall();
    }

    /** Whether two check lists define the same checks in the same order ({@link #sameDefinition}). */
    public static boolean sameDefinitions(java.util.List<TrackedCheckSpec> before, java.util.List<TrackedCheckSpec> after) {
        if (before.size() != after.size()) {
            return false;
        }
        for (int i = 0; i < before.size(); i++) {
            if (!before.get(i).sameDefinition(after.get(i))) {
                return false;
            }
        }
        return true;
    }
}
