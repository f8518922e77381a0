package dev.vrrp4j.netty;

import java.time.Duration;
import java.util.Objects;

/**
 * How a router that becomes Active announces its virtual addresses (gratuitous ARP for IPv4,
 * unsolicited Neighbor Advertisements for IPv6, RFC 9568 §6.4.1 / §6.4.2), with keepalived's knobs.
 *
 * @param burstCount         announcements per address in each burst, 1..100 (keepalived {@code garp_master_repeat}, default 5)
 * @param secondBurstDelay   delay before a second burst, zero for none (keepalived {@code garp_master_delay}, default 5 s)
 * @param refreshInterval    announce again this often while Active, zero for never (keepalived {@code garp_master_refresh})
 * @param refreshCount       announcements per address at each refresh, 1..100 (keepalived
 *                           {@code garp_master_refresh_repeat}, default 1; {@link #AnnounceSettings(int, Duration, Duration)}
 *                           takes {@code burstCount})
 * @param lowerPriorityCount announcements per address when the Active hears a lower-priority router
 *                           claim Active (it answers with an advertisement, RFC 9568 §6.4.3, and hosts
 *                           may have heard that router's announcements), 0..100, 0 for none (keepalived
 *                           {@code garp_lower_prio_repeat}, default its {@code garp_master_repeat})
 * @param lowerPriorityDelay delay before a second such burst, zero for none (keepalived {@code garp_lower_prio_delay})
 * @param arpInterval        gap between two gratuitous ARPs of one burst, 0..10 s, zero for back to back
 *                           (keepalived {@code vrrp_garp_interval})
 * @param naInterval         the same for NAs (keepalived {@code vrrp_gna_interval})
 */
public record AnnounceSettings(int burstCount, Duration secondBurstDelay, Duration refreshInterval, int refreshCount,
                               int lowerPriorityCount, Duration lowerPriorityDelay, Duration arpInterval,
                               Duration naInterval) {
    /**
     * keepalived's defaults for becoming Active: 5 per burst, a second burst after 5 s, no periodic
     * refresh; no burst after a lower priority (keepalived's is on: {@link #afterLowerPriority}).
     */
    public static final AnnounceSettings KEEPALIVED_DEFAULTS = new AnnounceSettings(5, Duration.ofSeconds(5), Duration.ZERO);

    public AnnounceSettings {
        if (burstCount < 1 || burstCount > 100) {
            throw new IllegalArgumentException("burstCount " + burstCount + " out of range 1..100");
        }
        Objects.requireNonNull(secondBurstDelay, "secondBurstDelay");
        Objects.requireNonNull(refreshInterval, "refreshInterval");
        if (secondBurstDelay.isNegative() || secondBurstDelay.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("secondBurstDelay " + secondBurstDelay + " out of range 0s..1h");
        }
        if (refreshInterval.isNegative() || refreshInterval.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException("refreshInterval " + refreshInterval + " out of range 0s..24h");
        }
        if (refreshCount < 1 || refreshCount > 100) {
            throw new IllegalArgumentException("refreshCount " + refreshCount + " out of range 1..100");
        }
        if (lowerPriorityCount < 0 || lowerPriorityCount > 100) {
            throw new IllegalArgumentException("lowerPriorityCount " + lowerPriorityCount + " out of range 0..100");
        }
        Objects.requireNonNull(lowerPriorityDelay, "lowerPriorityDelay");
        if (lowerPriorityDelay.isNegative() || lowerPriorityDelay.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("lowerPriorityDelay " + lowerPriorityDelay + " out of range 0s..1h");
        }
        for (Duration interval : new Duration[] {arpInterval, naInterval}) {
            Objects.requireNonNull(interval, "interval");
            if (interval.isNegative() || interval.compareTo(Duration.ofSeconds(10)) > 0) {
                throw new IllegalArgumentException((interval == arpInterval ? "arpInterval " : "naInterval ")
                        + interval.toNanos() / 1_000 + " µs out of range 0..10000000 µs");
            }
        }
    }

    /** The bursts on becoming Active and the refresh; a whole burst at each refresh, no gaps, nothing after a lower priority. */
    public AnnounceSettings(int burstCount, Duration secondBurstDelay, Duration refreshInterval) {
        this(burstCount, secondBurstDelay, refreshInterval, burstCount, 0, Duration.ZERO, Duration.ZERO, Duration.ZERO);
    }

    /** The same with {@code count} announcements per address at each refresh. */
    public AnnounceSettings withRefreshCount(int count) {
        return new AnnounceSettings(burstCount, secondBurstDelay, refreshInterval, count, lowerPriorityCount,
                lowerPriorityDelay, arpInterval, naInterval);
    }

    /** The same, announcing {@code count} times (and again after {@code delay}) after a lower priority. */
    public AnnounceSettings afterLowerPriority(int count, Duration delay) {
        return new AnnounceSettings(burstCount, secondBurstDelay, refreshInterval, refreshCount, count, delay,
                arpInterval, naInterval);
    }

    /** The same with these gaps between the gratuitous ARPs and between the NAs of a burst. */
    public AnnounceSettings withIntervals(Duration arp, Duration na) {
        return new AnnounceSettings(burstCount, secondBurstDelay, refreshInterval, refreshCount, lowerPriorityCount,
                lowerPriorityDelay, arp, na);
    }
}
