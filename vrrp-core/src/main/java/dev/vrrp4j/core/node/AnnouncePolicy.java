package dev.vrrp4j.core.node;

import java.time.Duration;
import java.util.Objects;

/**
 * How a router that becomes Active announces its virtual addresses (gratuitous ARP, unsolicited
 * Neighbor Advertisements; RFC 9568 §6.4.1, §6.4.2): the node only says "announce"
 * ({@link NodeEffect.AnnounceAddresses}, {@link NodeEffect.AnnounceAfterLowerPriority}); the
 * driver performs the bursts with these figures, keepalived's {@code garp_*} settings.
 *
 * @param burstCount         announcements per address in each burst, 1..100
 * @param secondBurstDelay   delay before a second burst, zero for none
 * @param refreshInterval    repeat announcements this often while Active, zero for never
 * @param refreshCount       announcements per address at each refresh, 1..100
 *                           (keepalived {@code garp_master_refresh_repeat}, default 1)
 * @param lowerPriorityCount announcements per address when the Active hears a lower-priority
 *                           router claim Active, 0..100, 0 for none (keepalived
 *                           {@code garp_lower_prio_repeat}, default its {@code garp_master_repeat})
 * @param lowerPriorityDelay delay before a second such burst, zero for none (keepalived
 *                           {@code garp_lower_prio_delay}, default its {@code garp_master_delay})
 * @param arpInterval        gap between two gratuitous ARPs of a burst, zero to send them back to
 *                           back (keepalived {@code vrrp_garp_interval}), at most 10 s
 * @param naInterval         the same for unsolicited NAs (keepalived {@code vrrp_gna_interval})
 */
public record AnnouncePolicy(int burstCount, Duration secondBurstDelay, Duration refreshInterval, int refreshCount,
                             int lowerPriorityCount, Duration lowerPriorityDelay, Duration arpInterval,
                             Duration naInterval) {
    private static final Duration MAX_INTERVAL = Duration.ofSeconds(10);

    public AnnouncePolicy {
        if (burstCount < 1 || burstCount > 100) {
            throw new IllegalArgumentException("burstCount " + burstCount + " out of range 1..100");
        }
        Objects.requireNonNull(secondBurstDelay, "secondBurstDelay");
        Objects.requireNonNull(refreshInterval, "refreshInterval");
        if (refreshCount < 1 || refreshCount > 100) {
            throw new IllegalArgumentException("refreshCount " + refreshCount + " out of range 1..100");
        }
        if (lowerPriorityCount < 0 || lowerPriorityCount > 100) {
            throw new IllegalArgumentException("lowerPriorityCount " + lowerPriorityCount + " out of range 0..100");
        }
        Objects.requireNonNull(lowerPriorityDelay, "lowerPriorityDelay");
        checkInterval("arpInterval", arpInterval);
        checkInterval("naInterval", naInterval);
    }

    /** Bursts and refresh as given, a full burst at each refresh, nothing after a lower priority, no gaps. */
    public AnnouncePolicy(int burstCount, Duration secondBurstDelay, Duration refreshInterval) {
        this(burstCount, secondBurstDelay, refreshInterval, burstCount, 0, Duration.ZERO, Duration.ZERO, Duration.ZERO);
    }

    /** The gap between two announcements of {@code ipv6} (NA) or IPv4 (gratuitous ARP). */
    public Duration interval(boolean ipv6) {
        return ipv6 ? naInterval : arpInterval;
    }

    private static void checkInterval(String name, Duration interval) {
        Objects.requireNonNull(interval, name);
        if (interval.isNegative() || interval.compareTo(MAX_INTERVAL) > 0) {
            throw new IllegalArgumentException(name + " " + interval.toNanos() / 1_000 + " µs out of range 0..10000000 µs");
        }
    }
}
