package dev.vrrp4j.core.node;

import java.time.Duration;
import java.util.Objects;

/**
 * How a router that becomes Active announces its virtual addresses (gratuitous ARP, unsolicited
 * Neighbor Advertisements; RFC 9568 §6.4.1, §6.4.2): the node only says "announce"
 * ({@link NodeEffect.AnnounceAddresses}); the driver performs the bursts with these figures.
 *
 * @param burstCount       announcements per address in each burst, 1..100
 * @param secondBurstDelay delay before a second burst, zero for none
 * @param refreshInterval  repeat a burst this often while Active, zero for never
 */
public record AnnouncePolicy(int burstCount, Duration secondBurstDelay, Duration refreshInterval) {
    public AnnouncePolicy {
        if (burstCount < 1 || burstCount > 100) {
            throw new IllegalArgumentException("burstCount " + burstCount + " out of range 1..100");
        }
        Objects.requireNonNull(secondBurstDelay, "secondBurstDelay");
        Objects.requireNonNull(refreshInterval, "refreshInterval");
    }
}
