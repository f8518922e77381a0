package dev.vrrp4j.netty;

import dev.vrrp4j.core.router.State;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link HealthCheck} knows when it runs: how long it may take, and the state of the
 * routers that track it, so a check can judge differently on an Active router and a Backup one
 * (a Backup that runs no service should not fail a check that asks that service).
 *
 * @param timeout      how long this run may take before it counts as a failure
 * @param routerStates the routers that track the check, by name, with their state as this run starts
 */
public record CheckContext(Duration timeout, Map<String, State> routerStates) {
    public CheckContext {
        Objects.requireNonNull(timeout, "timeout");
        routerStates = Map.copyOf(routerStates);
    }

    /** A context with no router, e.g. to run a check by hand. */
    public static CheckContext of(Duration timeout) {
        return new CheckContext(timeout, Map.of());
    }

    /** Whether a router that tracks this check is Active. */
    public boolean anyActive() {
        return routerStates.containsValue(State.ACTIVE);
    }

    /**
     * The state of the tracking router called {@code router}.
     *
     * @throws IllegalArgumentException if that router does not track this check
     */
    public State state(String router) {
        State state = routerStates.get(router);
        if (state == null) {
            throw new IllegalArgumentException("router '" + router + "' does not track this check (tracked by "
                    + routerStates.keySet() + ")");
        }
        return state;
    }
}
