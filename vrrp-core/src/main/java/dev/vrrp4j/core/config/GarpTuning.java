package dev.vrrp4j.core.config;

import java.time.Duration;
import java.util.Objects;

/**
 * An instance's finer gratuitous ARP / NA settings, after the instance's own keyword, else the
 * {@code global_defs} one, else keepalived's default.
 *
 * @param refreshRepeat   {@code garp_master_refresh_repeat}: announcements per address at each refresh, default 1
 * @param lowerPrioRepeat {@code garp_lower_prio_repeat}: announcements per address when the Active
 *                        hears a lower priority, default the global {@code vrrp_garp_master_repeat}
 * @param lowerPrioDelay  {@code garp_lower_prio_delay}: the delay of a second such burst, default the
 *                        global {@code vrrp_garp_master_delay}
 * @param arpInterval     {@code vrrp_garp_interval}: the gap between gratuitous ARPs, default 0
 * @param naInterval      {@code vrrp_gna_interval}: the gap between unsolicited NAs, default 0
 */
public record GarpTuning(int refreshRepeat, int lowerPrioRepeat, Duration lowerPrioDelay, Duration arpInterval,
                         Duration naInterval) {
    public GarpTuning {
        Objects.requireNonNull(lowerPrioDelay, "lowerPrioDelay");
        Objects.requireNonNull(arpInterval, "arpInterval");
        Objects.requireNonNull(naInterval, "naInterval");
    }
}
