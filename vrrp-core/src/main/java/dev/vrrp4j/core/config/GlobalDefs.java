package dev.vrrp4j.core.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The parts of keepalived's {@code global_defs} block that vrrp4j reads. The gratuitous ARP
 * settings and {@code v3ChecksumAsV2} are the defaults every {@link VrrpInstance} starts from (the
 * instance's own keywords override them); the instances already carry the effective values.
 *
 * @param routerId             {@code router_id}, a label for logs; {@code null} when absent
 * @param enableScriptSecurity {@code enable_script_security} was given (informational: vrrp4j runs
 *                             scripts as its own user)
 * @param scriptUser           {@code script_user} (the user name only); {@code null} when absent
 * @param vrrpVersion          {@code vrrp_version}, the default VRRP version of the IPv4 instances;
 *                             {@code null} when absent (keepalived then defaults to 2)
 * @param garpMasterDelay      {@code vrrp_garp_master_delay}, default 5 s; zero means no second burst
 * @param garpMasterRepeat     {@code vrrp_garp_master_repeat}, default 5
 * @param garpMasterRefresh    {@code vrrp_garp_master_refresh}, default zero (off)
 * @param v3ChecksumAsV2       {@code v3_checksum_as_v2} (keepalived 2.2.8+): IPv4 VRRPv3 checksums
 *                             without the pseudo-header; default false
 * @param vrrpNice             {@code vrrp_priority}: the nice value (-20..19) of the thread that sends
 *                             and receives advertisements; {@code null} when absent
 * @param vrrpRealtimePriority {@code vrrp_rt_priority}: SCHED_RR priority (1..99) of that thread,
 *                             which takes precedence over {@code vrrpNice}; {@code null} when absent
 * @param vrrpMcastGroup4      {@code vrrp_mcast_group4}: the IPv4 multicast group of the instances that
 *                             set none; {@code null} for RFC 9568's 224.0.0.18
 * @param vrrpMcastGroup6      {@code vrrp_mcast_group6}: the same for IPv6; {@code null} for ff02::12
 * @param notifyFifos          {@code notify_fifo} and {@code vrrp_notify_fifo} (both get the same
 *                             lines), in that order; empty when neither is given
 * @param maxAutoPriority      {@code max_auto_priority}: the highest SCHED_RR priority (1..99) the
 *                             event loop may raise itself to when it wakes late; 0 (the default,
 *                             or -1) for none
 * @param minAutoPriorityDelay {@code min_auto_priority_delay}: how late a wake-up must be for
 *                             that, default 1 s
 * @param garpRefreshRepeat    {@code vrrp_garp_master_refresh_repeat}: announcements per address at
 *                             each refresh, default 1
 * @param garpLowerPrioRepeat  {@code vrrp_garp_lower_prio_repeat}: announcements per address when an
 *                             Active hears a lower priority, default {@code garpMasterRepeat}
 * @param garpLowerPrioDelay   {@code vrrp_garp_lower_prio_delay}: the second such burst's delay,
 *                             default {@code garpMasterDelay}
 * @param garpInterval         {@code vrrp_garp_interval}: the gap between gratuitous ARPs, default 0
 * @param gnaInterval          {@code vrrp_gna_interval}: the gap between unsolicited NAs, default 0
 */
public record GlobalDefs(
        String routerId,
        boolean enableScriptSecurity,
        String scriptUser,
        Integer vrrpVersion,
        Duration garpMasterDelay,
        int garpMasterRepeat,
        Duration garpMasterRefresh,
        boolean v3ChecksumAsV2,
        Integer vrrpNice,
        Integer vrrpRealtimePriority,
        String vrrpMcastGroup4,
        String vrrpMcastGroup6,
        java.util.List<NotifyFifo> notifyFifos,
        int maxAutoPriority,
        Duration minAutoPriorityDelay,
        int garpRefreshRepeat,
        int garpLowerPrioRepeat,
        Duration garpLowerPrioDelay,
        Duration garpInterval,
        Duration gnaInterval) {

    /** keepalived's defaults: 5 s gratuitous ARP delay, 5 repeats, no refresh (keepalived.conf(5)). */
    public static final Duration DEFAULT_GARP_MASTER_DELAY = Duration.ofSeconds(5);
    public static final int DEFAULT_GARP_MASTER_REPEAT = 5;
    /** keepalived's {@code min_auto_priority_delay} default: 1 s. */
    public static final Duration DEFAULT_MIN_AUTO_PRIORITY_DELAY = Duration.ofSeconds(1);

    /** What an empty (or absent) {@code global_defs} means. */
    public static final GlobalDefs DEFAULTS = new GlobalDefs(null, false, null, null);

    public GlobalDefs {
        if (vrrpVersion != null && (vrrpVersion < 2 || vrrpVersion > 3)) {
            throw new IllegalArgumentException("vrrpVersion " + vrrpVersion + " out of range 2..3");
        }
        Objects.requireNonNull(garpMasterDelay, "garpMasterDelay");
        Objects.requireNonNull(garpMasterRefresh, "garpMasterRefresh");
        if (garpMasterDelay.isNegative() || garpMasterRefresh.isNegative()) {
            throw new IllegalArgumentException("garp durations must not be negative");
        }
        if (vrrpNice != null && (vrrpNice < -20 || vrrpNice > 19)) {
            throw new IllegalArgumentException("vrrpNice " + vrrpNice + " out of range -20..19");
        }
        if (vrrpRealtimePriority != null && (vrrpRealtimePriority < 1 || vrrpRealtimePriority > 99)) {
            throw new IllegalArgumentException("vrrpRealtimePriority " + vrrpRealtimePriority + " out of range 1..99");
        }
        notifyFifos = java.util.List.copyOf(Objects.requireNonNull(notifyFifos, "notifyFifos"));
        if (maxAutoPriority < 0 || maxAutoPriority > 99) {
            throw new IllegalArgumentException("maxAutoPriority " + maxAutoPriority + " out of range 0..99");
        }
        Objects.requireNonNull(minAutoPriorityDelay, "minAutoPriorityDelay");
        Objects.requireNonNull(garpLowerPrioDelay, "garpLowerPrioDelay");
        Objects.requireNonNull(garpInterval, "garpInterval");
        Objects.requireNonNull(gnaInterval, "gnaInterval");
        if (garpMasterRepeat < 1) {
            throw new IllegalArgumentException("garpMasterRepeat " + garpMasterRepeat + " out of range 1..");
        }
    }

    /** The four settings most configurations have, with keepalived's gratuitous ARP defaults. */
    public GlobalDefs(String routerId, boolean enableScriptSecurity, String scriptUser, Integer vrrpVersion) {
        this(routerId, enableScriptSecurity, scriptUser, vrrpVersion, DEFAULT_GARP_MASTER_DELAY,
                DEFAULT_GARP_MASTER_REPEAT, Duration.ZERO, false, null, null, null, null, java.util.List.of(), 0,
                DEFAULT_MIN_AUTO_PRIORITY_DELAY, 1, DEFAULT_GARP_MASTER_REPEAT, DEFAULT_GARP_MASTER_DELAY, Duration.ZERO,
                Duration.ZERO);
    }
}
