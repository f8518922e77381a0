package dev.vrrp4j.netty;

import dev.vrrp4j.core.health.CheckPolicy;

import java.time.Duration;
import java.util.Objects;

/**
 * A health check as a router tracks it: keepalived's {@code vrrp_script} ({@code interval},
 * {@code timeout}, {@code rise}, {@code fall}, {@code weight}) referenced by {@code track_script}.
 * Routers that track a check of the same name share one schedule; each may give it its own weight
 * ({@link #withWeight}).
 *
 * @param name     the check's name, as in {@code vrrp_script chk_nginx}
 * @param check    what to run
 * @param interval time between runs, 10 ms..1 day
 * @param timeout  time a run may take before it counts as a failure, 1 ms..interval
 * @param policy   rise, fall and weight (see {@link CheckPolicy})
 */
public record TrackedCheck(String name, HealthCheck check, Duration interval, Duration timeout, CheckPolicy policy) {
    public TrackedCheck {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(check, "check");
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(policy, "policy");
        if (name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank");
        }
        if (interval.compareTo(Duration.ofMillis(10)) < 0 || interval.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException("interval " + interval + " out of range 10ms..1d for check " + name);
        }
        if (timeout.compareTo(Duration.ofMillis(1)) < 0 || timeout.compareTo(interval) > 0) {
            throw new IllegalArgumentException("timeout " + timeout + " out of range 1ms.." + interval
                    + " (the interval) for check " + name);
        }
    }

    /** keepalived's defaults for a script: every 1 s, timeout = interval, rise 1, fall 1, weight 0 (Fault). */
    public static TrackedCheck of(String name, HealthCheck check) {
        return new TrackedCheck(name, check, Duration.ofSeconds(1), Duration.ofSeconds(1), new CheckPolicy(1, 1, 0));
    }

    /** The same check with another weight, as {@code track_script { chk weight -20 }} gives it. */
    public TrackedCheck withWeight(int weight) {
        return new TrackedCheck(name, check, interval, timeout, new CheckPolicy(policy.rise(), policy.fall(), weight));
    }

    public TrackedCheck withInterval(Duration interval, Duration timeout) {
        return new TrackedCheck(name, check, interval, timeout, policy);
    }

    public TrackedCheck withRiseFall(int rise, int fall) {
        return new TrackedCheck(name, check, interval, timeout, new CheckPolicy(rise, fall, policy.weight()));
    }
}
