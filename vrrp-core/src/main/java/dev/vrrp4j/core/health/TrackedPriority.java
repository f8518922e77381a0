package dev.vrrp4j.core.health;

import java.util.List;

/**
 * What a router's tracked checks mean for it, as keepalived computes it: the configured priority
 * plus the weights of healthy positive-weight checks, minus those of failing negative-weight checks,
 * kept within 1..254; a failing zero-weight check means Fault. The address owner (255) keeps 255
 * whatever the checks say: its priority never reaches or leaves 255.
 */
public final class TrackedPriority {
    private TrackedPriority() {}

    /** One tracked check with the weight this router gives it (keepalived lets {@code track_script} override it). */
    public record Tracked(CheckState check, int weight) {}

    /** The priority the router should advertise now. */
    public static int effectivePriority(int configuredPriority, List<Tracked> tracked) {
        return effectivePriority(configuredPriority, tracked, 0);
    }

    /**
     * The same with {@code otherWeights}, the sum of what other tracked objects add or subtract now
     * (keepalived's weighted track_interface), inside the one clamp to 1..254.
     */
    public static int effectivePriority(int configuredPriority, List<Tracked> tracked, int otherWeights) {
        if (configuredPriority == 255) {
            return 255;
        }
        int priority = configuredPriority + otherWeights;
        for (Tracked t : tracked) {
            if (t.weight() > 0 && t.check().healthy()) {
                priority += t.weight();
            } else if (t.weight() < 0 && !t.check().healthy()) {
                priority += t.weight();
            }
        }
        return Math.clamp(priority, 1, 254);
    }

    /** Whether a failing zero-weight check puts the router in Fault. */
    public static boolean faulted(List<Tracked> tracked) {
        for (Tracked t : tracked) {
            if (t.weight() == 0 && !t.check().healthy()) {
                return true;
            }
        }
        return false;
    }
}
