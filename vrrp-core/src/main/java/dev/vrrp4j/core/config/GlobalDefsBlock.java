package dev.vrrp4j.core.config;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.vrrp4j.core.config.Values.MAX_TIMER_SECONDS;

/**
 * {@code global_defs}: the node's defaults (router id, script user, VRRP version, gratuitous ARP
 * timing, checksum form, scheduling). All {@code global_defs} blocks of a file add up to one
 * {@link GlobalDefs}; a setting given twice, in one block or two, is an error.
 */
final class GlobalDefsBlock {
    private static final String OWNER = "global_defs";

    static final KeywordTable<GlobalDefsBlock> KEYWORDS = KeywordTable.<GlobalDefsBlock>block(OWNER, ConfigInterpreter.KEYWORDS)
            .supported("router_id", GlobalDefsBlock::routerId)
            .supported("enable_script_security", GlobalDefsBlock::enableScriptSecurity)
            .supported("script_user", GlobalDefsBlock::scriptUser)
            .supported("vrrp_version", GlobalDefsBlock::vrrpVersion)
            .supported("vrrp_garp_master_delay", GlobalDefsBlock::garpMasterDelay)
            .supported("vrrp_garp_master_repeat", GlobalDefsBlock::garpMasterRepeat)
            .supported("vrrp_garp_master_refresh", GlobalDefsBlock::garpMasterRefresh)
            .supported("vrrp_min_garp", GlobalDefsBlock::minGarp)
            .supported("vrrp_garp_master_refresh_repeat", (block, line) -> block.refreshRepeat = block.count(line, 1))
            .supported("vrrp_garp_lower_prio_repeat", (block, line) -> block.lowerPrioRepeat = block.count(line, 0))
            .supported("vrrp_garp_lower_prio_delay", GlobalDefsBlock::lowerPrioDelay)
            .supported("vrrp_garp_interval", (block, line) -> block.garpInterval = block.interval(line))
            .supported("vrrp_gna_interval", (block, line) -> block.gnaInterval = block.interval(line))
            .supported("v3_checksum_as_v2", GlobalDefsBlock::v3ChecksumAsV2)
            .supported("vrrp_mcast_group4", GlobalDefsBlock::mcastGroup4)
            .supported("vrrp_mcast_group6", GlobalDefsBlock::mcastGroup6)
            .supported("vrrp_down_timer_adverts", (globalDefs, line) -> globalDefs.rfcOnly.requireDownTimerAdverts(line))
            .supported("vrrp_priority", GlobalDefsBlock::vrrpPriority)
            .supported("vrrp_rt_priority", GlobalDefsBlock::vrrpRealtimePriority)
            .supported("max_auto_priority", GlobalDefsBlock::maxAutoPriority)
            .supported("min_auto_priority_delay", GlobalDefsBlock::minAutoPriorityDelay)
            .ignored(IgnoredBecause.EMAIL, "notification_email", "notification_email_from", "smtp_server",
                    "smtp_helo_name", "smtp_connect_timeout", "smtp_alert", "smtp_alert_vrrp", "smtp_alert_checker",
                    "no_email_faults", "no_checker_emails")
            .ignored(IgnoredBecause.SNMP, "enable_snmp_vrrp", "enable_snmp_keepalived", "enable_snmp_checker",
                    "enable_snmp_rfc", "enable_snmp_rfcv2", "enable_snmp_rfcv3", "snmp_socket", "enable_traps",
                    "enable_dbus", "dbus_service_name")
            .ignored(IgnoredBecause.LVS, "lvs_timeouts", "lvs_flush", "lvs_flush_on_stop", "lvs_flush_onstop",
                    "lvs_sync_daemon", "lvs_notify_fifo", "lvs_notify_fifo_script", "lvs_netlink_cmd_rcv_bufs",
                    "lvs_netlink_cmd_rcv_bufs_force", "lvs_netlink_monitor_rcv_bufs",
                    "lvs_netlink_monitor_rcv_bufs_force", "lvs_process_name", "checker_process_name",
                    "checker_priority", "checker_no_swap", "checker_rt_priority", "checker_cpu_affinity",
                    "checker_rlimit_rttime", "checker_rlimit_rtime", "checker_log_all_failures", "rs_init_notifies",
                    "nftables_ipvs", "nftables_ipvs_priority", "nftables_ipvs_start_fwmark")
            .supported("notify_fifo", GlobalDefsBlock::fifo)
            .supported("vrrp_notify_fifo", GlobalDefsBlock::fifo)
            .supported("notify_fifo_script", GlobalDefsBlock::fifoScript)
            .supported("vrrp_notify_fifo_script", GlobalDefsBlock::fifoScript)
            .ignored(IgnoredBecause.FIFO, "vrrp_notify_priority_changes", "fifo_write_vrrp_states_on_reload")
            .ignored(IgnoredBecause.FIREWALL, "vrrp_iptables", "vrrp_ipsets", "nftables", "nftables_priority",
                    "nftables_counters", "nftables_ifindex")
            .ignored(IgnoredBecause.DAEMON_SETTING, "process_names", "process_name", "vrrp_process_name",
                    "bfd_process_name", "vrrp_no_swap",
                    "vrrp_cpu_affinity", "vrrp_rlimit_rttime", "vrrp_rlimit_rtime", "bfd_priority", "bfd_no_swap",
                    "bfd_rt_priority", "bfd_cpu_affinity", "bfd_rlimit_rttime", "bfd_rlimit_rtime", "umask",
                    "random_seed", "reload_check_config", "reload_time_file", "reload_repeat", "reload_file",
                    "include_check", "tmp_config_directory", "data_use_instance", "config_save_dir", "startup_script",
                    "startup_script_timeout", "shutdown_script", "shutdown_script_timeout", "net_namespace",
                    "net_namespace_ipvs", "namespace_with_ipsets", "use_pid_dir", "instance", "child_wait_time",
                    "linkbeat_use_polling", "vrrp_netlink_cmd_rcv_bufs", "vrrp_netlink_cmd_rcv_bufs_force",
                    "vrrp_netlink_monitor_rcv_bufs", "vrrp_netlink_monitor_rcv_bufs_force", "process_monitor_rcv_bufs",
                    "process_monitor_rcv_bufs_force", "vrrp_rx_bufs_policy", "vrrp_rx_bufs_multiplier",
                    "default_interface", "disable_local_igmp", "log_unknown_vrids")
            // What vrrp4j does anyway: an instance on a missing interface waits in Fault for it to appear.
            .supported("dynamic_interfaces", (block, statement) -> { })
            .ignored(IgnoredBecause.VMAC, "vmac_prefix", "vmac_addr_prefix", "vrrp_garp_extra_if",
                    "vrrp_vmac_garp_intvl")
            .ignored(IgnoredBecause.TUNING, "vrrp_lower_prio_no_advert", "vrrp_higher_prio_send_advert", "vrrp_check_unicast_src",
                    "vrrp_skip_check_adv_addr", "vrrp_startup_delay")
            .ignored("vrrp4j does not implement keepalived's strict mode (which refuses unicast peers, preempt_delay"
                    + " and more, and drops traffic to the addresses unless priority is 255)", "vrrp_strict");

    private final Diagnostics diagnostics;
    private final Values values;
    private final RfcOnlySettings rfcOnly;
    private final MulticastGroups groups;
    private final Map<String, SourceLocation> seen = new HashMap<>();

    private String routerId;
    private boolean scriptSecurity;
    private String scriptUser;
    private Integer vrrpVersion;
    private SourceLocation vrrpVersionWhere;
    private Duration garpDelay;
    private Integer garpRepeat;
    private Duration garpRefresh;
    private Integer refreshRepeat;
    private Integer lowerPrioRepeat;
    private Duration lowerPrioDelay;
    private Duration garpInterval;
    private Duration gnaInterval;
    private boolean minGarp;
    private boolean v3ChecksumAsV2;
    private Integer vrrpNice;
    private Integer vrrpRealtimePriority;
    private String mcastGroup4;
    private String mcastGroup6;
    private int maxAutoPriority;
    private Duration minAutoPriorityDelay = GlobalDefs.DEFAULT_MIN_AUTO_PRIORITY_DELAY;
    private final Map<String, Statement> fifos = new java.util.LinkedHashMap<>();
    private final Map<String, Statement> fifoScripts = new HashMap<>();
    private final Map<String, List<String>> fifoArgv = new HashMap<>();

    GlobalDefsBlock(Diagnostics diagnostics) {
        this.diagnostics = diagnostics;
        this.values = new Values(diagnostics);
        this.rfcOnly = new RfcOnlySettings(diagnostics);
        this.groups = new MulticastGroups(diagnostics);
    }

    /** Reads one {@code global_defs} block. */
    void read(Statement s) {
        if (!values.block(s, 0)) {
            return;
        }
        for (Statement line : s.block()) {
            KEYWORDS.read(this, line, OWNER, diagnostics);
        }
    }

    /** What all blocks said, with keepalived's defaults for the rest. */
    GlobalDefs build() {
        // vrrp_min_garp: one gratuitous ARP, no second burst (keepalived.conf(5)); explicit settings win
        Duration delay = garpDelay != null ? garpDelay : minGarp ? Duration.ZERO : GlobalDefs.DEFAULT_GARP_MASTER_DELAY;
        int repeat = garpRepeat != null ? garpRepeat : minGarp ? 1 : GlobalDefs.DEFAULT_GARP_MASTER_REPEAT;
        Duration refresh = garpRefresh != null ? garpRefresh : Duration.ZERO;
        return new GlobalDefs(routerId, scriptSecurity, scriptUser, vrrpVersion, delay, repeat, refresh, v3ChecksumAsV2,
                vrrpNice, vrrpRealtimePriority, mcastGroup4, mcastGroup6, notifyFifos(), maxAutoPriority,
                minAutoPriorityDelay, refreshRepeat != null ? refreshRepeat : 1,
                lowerPrioRepeat != null ? lowerPrioRepeat : repeat, lowerPrioDelay != null ? lowerPrioDelay : delay,
                garpInterval != null ? garpInterval : Duration.ZERO, gnaInterval != null ? gnaInterval : Duration.ZERO);
    }

    /** A repeat count ({@code vrrp_garp_master_refresh_repeat 1..}, {@code vrrp_garp_lower_prio_repeat 0..}), once. */
    private Integer count(Statement line, int min) {
        Long v = values.integerArgOnce(line, min, Integer.MAX_VALUE, seen, OWNER);
        return v == null ? null : v.intValue();
    }

    private void lowerPrioDelay(Statement line) {
        Long seconds = values.integerArgOnce(line, 0, MAX_TIMER_SECONDS, seen, OWNER);
        if (seconds != null) {
            lowerPrioDelay = Duration.ofSeconds(seconds);
        }
    }

    /** {@code vrrp_garp_interval} / {@code vrrp_gna_interval}: decimal seconds, microsecond resolution, up to 10 s. */
    private Duration interval(Statement line) {
        if (!values.once(seen, line, OWNER)) {
            return null;
        }
        Long micros = values.microsArg(line, 10_000_000);
        return micros == null ? null : Duration.ofNanos(micros * 1_000);
    }

    /** {@code max_auto_priority [-1..99]}: no value is the maximum, 99; 0 and -1 (no start-up warning) are off. */
    private void maxAutoPriority(Statement line) {
        if (line.args().isEmpty()) {
            if (values.noBlock(line) && values.once(seen, line, OWNER)) {
                maxAutoPriority = 99;
            }
            return;
        }
        Long v = values.integerArgOnce(line, -1, 99, seen, OWNER);
        if (v != null) {
            maxAutoPriority = (int) Math.max(0, v);
        }
    }

    /** {@code min_auto_priority_delay USECS}, 1..10000000 (10 s) as keepalived allows. */
    private void minAutoPriorityDelay(Statement line) {
        Long micros = values.integerArgOnce(line, 1, 10_000_000, seen, OWNER);
        if (micros != null) {
            minAutoPriorityDelay = Duration.ofNanos(micros * 1_000);
        }
    }

    /** The FIFOs in keepalived's order (notify_fifo, then vrrp_notify_fifo), each with its script. */
    private List<NotifyFifo> notifyFifos() {
        for (Map.Entry<String, Statement> script : fifoScripts.entrySet()) {
            String fifo = script.getKey().substring(0, script.getKey().length() - "_script".length());
            if (!fifos.containsKey(fifo)) {
                diagnostics.warn(script.getValue().where(), script.getKey(), script.getKey() + " without " + fifo
                        + ": there is no FIFO to run it for, so it does not run (as in keepalived)");
            }
        }
        Statement general = fifos.get("notify_fifo");
        Statement vrrp = fifos.get("vrrp_notify_fifo");
        if (general != null && vrrp != null && fifoPath(general).equals(fifoPath(vrrp))) {
            diagnostics.error(vrrp.where(), "vrrp_notify_fifo " + fifoPath(vrrp) + " is the FIFO notify_fifo names ("
                    + general.where() + "); keepalived needs the FIFO names to differ");
        }
        List<NotifyFifo> result = new java.util.ArrayList<>();
        for (String keyword : List.of("notify_fifo", "vrrp_notify_fifo")) {
            Statement line = fifos.get(keyword);
            if (line != null) {
                result.add(new NotifyFifo(keyword, fifoPath(line), fifoArgv.getOrDefault(keyword + "_script", List.of()),
                        line.where()));
            }
        }
        return result;
    }

    private static String fifoPath(Statement line) {
        return line.args().getFirst().text();
    }

    /** {@code notify_fifo PATH [user [group]]}, {@code vrrp_notify_fifo} alike. */
    private void fifo(Statement line) {
        if (!values.args(line, 1, 3) || !values.once(seen, line, OWNER)) {
            return;
        }
        if (!fifoPath(line).startsWith("/")) {
            diagnostics.error(line.where(), line.name() + " " + fifoPath(line) + ": the FIFO needs an absolute path");
            return;
        }
        if (line.args().size() > 1) {
            diagnostics.warn(line.where(), line.name(), line.name() + ": keepalived would give the FIFO to user '"
                    + line.args().get(1).text() + "'; vrrp4j creates it as its own user");
        }
        fifos.put(line.name(), line);
    }

    /** {@code notify_fifo_script COMMAND [user [group]]}: the command quoted when it has arguments. */
    private void fifoScript(Statement line) {
        if (!values.args(line, 1, 3) || !values.once(seen, line, OWNER)) {
            return;
        }
        List<String> argv = values.argv(line, line.args().getFirst().text());
        if (argv == null) {
            return;
        }
        if (line.args().size() > 1) {
            diagnostics.warn(line.where(), line.name(), line.name() + ": keepalived would run "
                    + line.args().getFirst().text() + " as user '" + line.args().get(1).text()
                    + "'; vrrp4j runs it as its own user");
        }
        fifoScripts.put(line.name(), line);
        fifoArgv.put(line.name(), argv);
    }

    /** Where {@code vrrp_version} was set, for the messages of instances that take their version from it. */
    SourceLocation vrrpVersionWhere() {
        return vrrpVersionWhere;
    }

    private void routerId(Statement line) {
        String v = values.oneArg(line);
        if (v != null && values.once(seen, line, OWNER)) {
            routerId = v;
        }
    }

    private void enableScriptSecurity(Statement line) {
        if (values.noArgs(line)) {
            scriptSecurity = true;
        }
    }

    /** {@code script_user USER [GROUP]}. */
    private void scriptUser(Statement line) {
        if (values.args(line, 1, 2) && values.once(seen, line, OWNER)) {
            scriptUser = line.args().getFirst().text();
        }
    }

    private void vrrpVersion(Statement line) {
        Long v = values.integerArgOnce(line, 2, 3, seen, OWNER);
        if (v != null) {
            vrrpVersion = v.intValue();
            vrrpVersionWhere = line.where();
        }
    }

    private void garpMasterDelay(Statement line) {
        Long seconds = values.integerArgOnce(line, 0, MAX_TIMER_SECONDS, seen, OWNER);
        if (seconds != null) {
            garpDelay = Duration.ofSeconds(seconds);
        }
    }

    private void garpMasterRepeat(Statement line) {
        Long v = values.integerArgOnce(line, 1, Integer.MAX_VALUE, seen, OWNER);
        if (v != null) {
            garpRepeat = v.intValue();
        }
    }

    private void garpMasterRefresh(Statement line) {
        Long seconds = values.integerArgOnce(line, 0, Integer.MAX_VALUE, seen, OWNER);
        if (seconds != null) {
            garpRefresh = Duration.ofSeconds(seconds);
        }
    }

    private void minGarp(Statement line) {
        Boolean v = values.optionalBool(line);
        if (v != null) {
            minGarp = v;
        }
    }

    private void v3ChecksumAsV2(Statement line) {
        Boolean v = values.optionalBool(line);
        if (v != null) {
            v3ChecksumAsV2 = v;
        }
    }

    /** keepalived's {@code vrrp_priority}: the nice value of its VRRP process. */
    private void vrrpPriority(Statement line) {
        Long v = values.integerArgOnce(line, -20, 19, seen, OWNER);
        if (v != null) {
            vrrpNice = v.intValue();
        }
    }

    private void mcastGroup4(Statement line) {
        String group = groups.global(line, false);
        if (group != null && values.once(seen, line, OWNER)) {
            mcastGroup4 = group;
        }
    }

    private void mcastGroup6(Statement line) {
        String group = groups.global(line, true);
        if (group != null && values.once(seen, line, OWNER)) {
            mcastGroup6 = group;
        }
    }

    private void vrrpRealtimePriority(Statement line) {
        Long v = values.integerArgOnce(line, 1, 99, seen, OWNER);
        if (v != null) {
            vrrpRealtimePriority = v.intValue();
        }
    }
}
