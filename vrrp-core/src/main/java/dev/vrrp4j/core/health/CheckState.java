package dev.vrrp4j.core.health;

import java.util.Objects;

/**
 * The rise/fall state of one health check: results go in, a status change comes out once
 * {@code rise} successes or {@code fall} failures in a row have been seen (keepalived
 * {@code vrrp_script} semantics). A new check starts healthy, as keepalived's scripts do unless
 * told {@code init_fail}. Pure: no clock, no threads.
 */
public final class CheckState {
    private final String name;
    private final CheckPolicy policy;
    private boolean healthy;
    private int successesInARow;
    private int failuresInARow;

    public CheckState(String name, CheckPolicy policy, boolean initiallyHealthy) {
        this.name = Objects.requireNonNull(name, "name");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.healthy = initiallyHealthy;
    }

    /** Records one result; returns true if it changed the status. */
    public boolean record(boolean success) {
        if (success) {
            failuresInARow = 0;
            successesInARow++;
            if (!healthy && successesInARow >= policy.rise()) {
                healthy = true;
                return true;
            }
        } else {
            successesInARow = 0;
            failuresInARow++;
            if (healthy && failuresInARow >= policy.fall()) {
                healthy = false;
                return true;
            }
        }
        return false;
    }

    public String name() {
        return name;
    }

    public CheckPolicy policy() {
        return policy;
    }

    public boolean healthy() {
        return healthy;
    }

    @Override
    public String toString() {
        return name + (healthy ? " healthy" : " failing");
    }
}
