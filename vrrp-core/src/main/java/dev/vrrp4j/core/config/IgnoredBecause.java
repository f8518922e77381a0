package dev.vrrp4j.core.config;

/**
 * The reasons shared by many ignored keywords, as the warning gives them
 * ({@code use_vmac is not supported by vrrp4j (virtual MAC and ipvlan interfaces are not implemented); ignored}).
 */
final class IgnoredBecause {
    static final String LVS = "LVS/IPVS load balancing is not part of vrrp4j";
    static final String DAEMON_SETTING = "a setting of the keepalived daemon, not applicable to vrrp4j";
    static final String EMAIL = "e-mail alerts are not implemented";
    static final String SNMP = "SNMP and D-Bus are not implemented";
    static final String FIFO = "notify FIFOs get the transition lines only: no priority-change lines, no states re-sent on reload";
    static final String FIREWALL = "keepalived's firewall rules (for no_accept and VMACs) are not implemented";
    static final String STATIC = "static addresses and track groups are not managed by vrrp4j";
    static final String TRACKING = "only vrrp_script and interface tracking are implemented";
    static final String TUNING = "this keepalived tuning option is not implemented";
    static final String VMAC = "virtual MAC and ipvlan interfaces are not implemented";
    static final String OTHER_NOTIFY = "only notify_master, notify_backup, notify_fault, notify_stop and notify are run";

    private IgnoredBecause() {
    }
}
