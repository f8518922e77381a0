package dev.vrrp4j.core.config;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * What vrrp4j knows about keepalived's keywords beyond the ones it implements: the keepalived 2.2
 * keywords it deliberately ignores (with the reason given in the warning), per block, and the
 * keywords that only make sense at the top level.
 */
final class Keywords {
    /** The blocks vrrp4j reads. */
    enum Context {
        TOP, GLOBAL_DEFS, VRRP_SCRIPT, VRRP_INSTANCE, SYNC_GROUP
    }

    /** The keywords each context implements (used to suggest a correction for a misspelt keyword). */
    static final Map<Context, Set<String>> SUPPORTED = Map.of(
            Context.TOP, Set.of("global_defs", "vrrp_script", "vrrp_instance", "vrrp_sync_group", "include"),
            Context.GLOBAL_DEFS, Set.of("router_id", "enable_script_security", "script_user", "vrrp_version",
                    "vrrp_garp_master_delay", "vrrp_garp_master_repeat", "vrrp_garp_master_refresh", "vrrp_min_garp",
                    "v3_checksum_as_v2", "vrrp_mcast_group4", "vrrp_mcast_group6", "vrrp_down_timer_adverts",
                    "vrrp_priority", "vrrp_rt_priority"),
            Context.VRRP_SCRIPT, Set.of("script", "interval", "timeout", "weight", "rise", "fall"),
            Context.VRRP_INSTANCE, Set.of("state", "interface", "virtual_router_id", "priority", "advert_int", "version",
                    "nopreempt", "preempt", "preempt_delay", "accept", "no_accept", "virtual_ipaddress",
                    "unicast_src_ip", "mcast_src_ip", "unicast_peer", "mcast_dst_ip", "track_interface", "track_script",
                    "notify_master", "notify_backup", "notify_fault", "notify_stop", "notify", "garp_master_delay",
                    "garp_master_repeat", "garp_master_refresh", "v3_checksum_as_v2", "native_ipv6",
                    "down_timer_adverts", "authentication"),
            Context.SYNC_GROUP, Set.of("group", "notify_master", "notify_backup", "notify_fault", "notify_stop", "notify",
                    "sync_group_tracking_weight", "global_tracking"));

    /** Blocks that belong at the top level; seeing one inside a block usually means a missing '}'. */
    static final Set<String> TOP_LEVEL_ONLY = Set.of("global_defs", "vrrp_script", "vrrp_instance", "vrrp_sync_group",
            "virtual_server", "virtual_server_group");

    private static final Map<Context, Map<String, String>> UNSUPPORTED = new HashMap<>();

    private static final String LVS = "LVS/IPVS load balancing is not part of vrrp4j";
    private static final String PROCESS = "a setting of the keepalived daemon, not applicable to vrrp4j";
    private static final String EMAIL = "e-mail alerts are not implemented";
    private static final String SNMP = "SNMP and D-Bus are not implemented";
    private static final String FIFO = "notify FIFOs are not implemented; notify scripts are";
    private static final String FIREWALL = "keepalived's firewall rules (for no_accept and VMACs) are not implemented";
    private static final String STATIC = "static addresses, routes and rules are not managed by vrrp4j";
    private static final String TRACKING = "only vrrp_script and interface tracking are implemented";
    private static final String TUNING = "this keepalived tuning option is not implemented";
    private static final String VMAC = "virtual MAC and ipvlan interfaces are not implemented";

    static {
        add(Context.TOP, LVS, "virtual_server", "virtual_server_group", "SSL");
        add(Context.TOP, STATIC, "static_ipaddress", "static_routes", "static_rules", "track_group");
        add(Context.TOP, TRACKING, "vrrp_track_process", "track_file", "vrrp_track_file", "bfd_instance");
        add(Context.TOP, TUNING, "garp_group", "linkbeat_interfaces", "interface_up_down_delays");
        add(Context.TOP, PROCESS, "net_namespace", "net_namespace_ipvs", "namespace_with_ipsets", "use_pid_dir",
                "instance", "child_wait_time", "linkbeat_use_polling");

        add(Context.GLOBAL_DEFS, EMAIL, "notification_email", "notification_email_from", "smtp_server", "smtp_helo_name",
                "smtp_connect_timeout", "smtp_alert", "smtp_alert_vrrp", "smtp_alert_checker", "no_email_faults",
                "no_checker_emails");
        add(Context.GLOBAL_DEFS, SNMP, "enable_snmp_vrrp", "enable_snmp_keepalived", "enable_snmp_checker",
                "enable_snmp_rfc", "enable_snmp_rfcv2", "enable_snmp_rfcv3", "snmp_socket", "enable_traps",
                "enable_dbus", "dbus_service_name");
        add(Context.GLOBAL_DEFS, LVS, "lvs_timeouts", "lvs_flush", "lvs_flush_on_stop", "lvs_flush_onstop",
                "lvs_sync_daemon", "lvs_notify_fifo", "lvs_notify_fifo_script", "lvs_netlink_cmd_rcv_bufs",
                "lvs_netlink_cmd_rcv_bufs_force", "lvs_netlink_monitor_rcv_bufs", "lvs_netlink_monitor_rcv_bufs_force",
                "lvs_process_name", "checker_process_name", "checker_priority", "checker_no_swap",
                "checker_rt_priority", "checker_cpu_affinity", "checker_rlimit_rttime", "checker_rlimit_rtime",
                "checker_log_all_failures", "rs_init_notifies", "nftables_ipvs", "nftables_ipvs_priority",
                "nftables_ipvs_start_fwmark");
        add(Context.GLOBAL_DEFS, FIFO, "notify_fifo", "notify_fifo_script", "vrrp_notify_fifo", "vrrp_notify_fifo_script",
                "vrrp_notify_priority_changes", "fifo_write_vrrp_states_on_reload");
        add(Context.GLOBAL_DEFS, FIREWALL, "vrrp_iptables", "vrrp_ipsets", "nftables", "nftables_priority",
                "nftables_counters", "nftables_ifindex");
        add(Context.GLOBAL_DEFS, PROCESS, "process_names", "process_name", "vrrp_process_name", "bfd_process_name",
                "max_auto_priority", "min_auto_priority_delay", "vrrp_no_swap",
                "vrrp_cpu_affinity", "vrrp_rlimit_rttime", "vrrp_rlimit_rtime", "bfd_priority", "bfd_no_swap",
                "bfd_rt_priority", "bfd_cpu_affinity", "bfd_rlimit_rttime", "bfd_rlimit_rtime", "umask",
                "random_seed", "reload_check_config", "reload_time_file", "reload_repeat", "reload_file",
                "include_check", "tmp_config_directory", "data_use_instance", "config_save_dir", "startup_script",
                "startup_script_timeout", "shutdown_script", "shutdown_script_timeout", "net_namespace",
                "net_namespace_ipvs", "namespace_with_ipsets", "use_pid_dir", "instance", "child_wait_time",
                "linkbeat_use_polling", "vrrp_netlink_cmd_rcv_bufs", "vrrp_netlink_cmd_rcv_bufs_force",
                "vrrp_netlink_monitor_rcv_bufs", "vrrp_netlink_monitor_rcv_bufs_force", "process_monitor_rcv_bufs",
                "process_monitor_rcv_bufs_force", "vrrp_rx_bufs_policy", "vrrp_rx_bufs_multiplier",
                "dynamic_interfaces", "default_interface", "disable_local_igmp", "log_unknown_vrids");
        add(Context.GLOBAL_DEFS, VMAC, "vmac_prefix", "vmac_addr_prefix", "vrrp_garp_extra_if", "vrrp_vmac_garp_intvl");
        add(Context.GLOBAL_DEFS, TUNING, "vrrp_garp_master_refresh_repeat", "vrrp_garp_lower_prio_delay",
                "vrrp_garp_lower_prio_repeat", "vrrp_garp_interval", "vrrp_gna_interval", "vrrp_lower_prio_no_advert",
                "vrrp_higher_prio_send_advert", "vrrp_check_unicast_src", "vrrp_skip_check_adv_addr",
                "vrrp_startup_delay");
        add(Context.GLOBAL_DEFS, "vrrp4j does not implement keepalived's strict mode (which refuses unicast peers,"
                + " preempt_delay and more, and drops traffic to the addresses unless priority is 255)", "vrrp_strict");

        add(Context.VRRP_INSTANCE, VMAC, "use_vmac", "use_vmac_addr", "vmac_xmit_base", "use_ipvlan", "garp_extra_if",
                "vmac_garp_intvl");
        add(Context.VRRP_INSTANCE, TRACKING, "track_file", "track_process", "track_bfd", "track_src_ip");
        add(Context.VRRP_INSTANCE, STATIC, "virtual_routes", "virtual_rules");
        add(Context.VRRP_INSTANCE, TUNING, "vrf", "dont_track_primary", "unicast_fault_no_peer", "check_unicast_src",
                "old_unicast_checksum", "unicast_ttl", "garp_master_refresh_repeat", "garp_lower_prio_delay",
                "garp_lower_prio_repeat", "timer_expired_backup", "lower_prio_no_advert", "higher_prio_send_advert",
                "promote_secondaries", "skip_check_adv_addr", "debug", "kernel_rx_buf_size", "linkbeat_use_polling");
        add(Context.VRRP_INSTANCE, "these addresses are not installed", "virtual_ipaddress_excluded");
        add(Context.VRRP_INSTANCE, "an instance without addresses cannot be run", "no_virtual_ipaddress");
        add(Context.VRRP_INSTANCE, "vrrp4j does not implement keepalived's strict mode", "strict_mode");
        add(Context.VRRP_INSTANCE, "only notify_master, notify_backup, notify_fault, notify_stop and notify are run",
                "notify_deleted", "notify_master_rx_lower_pri", "notify_priority_changes");
        add(Context.VRRP_INSTANCE, EMAIL, "smtp_alert");
        add(Context.VRRP_INSTANCE, LVS, "lvs_sync_daemon_interface");

        add(Context.VRRP_SCRIPT, "vrrp4j runs scripts as its own user", "user");
        add(Context.VRRP_SCRIPT, "the script starts as not yet checked", "init_fail");

        add(Context.SYNC_GROUP, "tracking on a sync group is not implemented; track in each vrrp_instance instead",
                "track_interface", "track_script", "track_file", "track_process", "track_bfd");
        add(Context.SYNC_GROUP, "only notify_master, notify_backup, notify_fault, notify_stop and notify are run",
                "notify_deleted", "notify_priority_changes");
        add(Context.SYNC_GROUP, EMAIL, "smtp_alert");
    }

    private Keywords() {
    }

    private static void add(Context context, String reason, String... keywords) {
        Map<String, String> map = UNSUPPORTED.computeIfAbsent(context, c -> new HashMap<>());
        for (String keyword : keywords) {
            map.put(keyword, reason);
        }
    }

    /** Why vrrp4j ignores this keepalived keyword here, or {@code null} if it is not a known keepalived keyword. */
    static String unsupportedReason(Context context, String keyword) {
        return UNSUPPORTED.getOrDefault(context, Map.of()).get(keyword);
    }

    /** The supported keyword {@code word} is most likely a misspelling of (edit distance at most 2), or {@code null}. */
    static String closest(String word, Collection<String> candidates) {
        if (word.length() < 4) {
            return null;
        }
        String best = null;
        int bestDistance = 3;
        for (String candidate : candidates) {
            int distance = distance(word, candidate);
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best;
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
