package dev.vrrp4j.core.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A keepalived {@code vrrp_script}: a health check run every {@code interval} whose exit status
 * (0 = success) feeds the priority or the Fault state of the instances that track it.
 *
 * <p>{@code command} is the argument vector, already split the way keepalived 2.x splits it: the
 * first word after {@code script} (quotes removed) is split again at whitespace outside single or
 * double quotes, with backslash escapes. No shell is involved, so {@code "pidof nginx || exit 1"}
 * is five arguments to {@code pidof}; use {@code "/bin/sh -c '...'"} for shell syntax.
 *
 * @param name     the name {@code track_script} refers to
 * @param command  argv, at least one element
 * @param interval {@code interval}, whole seconds, default 1 s
 * @param timeout  {@code timeout}: a run taking longer counts as a failure; keepalived uses the
 *                 interval when none is given, and so does this field
 * @param weight   {@code weight}, -253..253, default 0 (0: failure puts the instance in Fault;
 *                 otherwise the priority is adjusted, see keepalived.conf(5))
 * @param rise     consecutive successes to become healthy, default 1
 * @param fall     consecutive failures to become failed, default 1
 * @param where    the {@code vrrp_script} line
 */
public record VrrpScript(
        String name,
        List<String> command,
        Duration interval,
        Duration timeout,
        int weight,
        int rise,
        int fall,
        SourceLocation where) {

    public VrrpScript {
        Objects.requireNonNull(name, "name");
        command = List.copyOf(command);
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(where, "where");
        if (command.isEmpty()) {
            throw new IllegalArgumentException("command of vrrp_script " + name + " is empty");
        }
        if (interval.isNegative() || interval.isZero() || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("interval and timeout of vrrp_script " + name + " must be positive");
        }
        if (weight < -253 || weight > 253) {
            throw new IllegalArgumentException("weight " + weight + " out of range -253..253");
        }
        if (rise < 1 || fall < 1) {
            throw new IllegalArgumentException("rise " + rise + " / fall " + fall + " out of range 1..");
        }
    }
}
