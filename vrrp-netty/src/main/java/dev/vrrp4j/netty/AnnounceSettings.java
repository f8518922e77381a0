package dev.vrrp4j.netty;

import java.time.Duration;
import java.util.Objects;

/**
 * How a router that becomes Active announces its virtual addresses (gratuitous ARP for IPv4,
 * unsolicited Neighbor Advertisements for IPv6, RFC 9568 §6.4.1 / §6.4.2), with keepalived's knobs.
 *
 * @param burstCount        announcements per address in each burst, 1..100 (keepalived {@code garp_master_repeat}, default 5)
 * @param secondBurstDelay  delay before a second burst, zero for none (keepalived {@code garp_master_delay}, default 5 s)
 * @param refreshInterval   repeat a burst this often while Active, zero for never (keepalived {@code garp_master_refresh})
 */
public record AnnounceSettings(int burstCount, Duration secondBurstDelay, Duration refreshInterval) {
    /** keepalived's defaults: 5 per burst, a second burst after 5 s, no periodic refresh. */
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
    }
}
