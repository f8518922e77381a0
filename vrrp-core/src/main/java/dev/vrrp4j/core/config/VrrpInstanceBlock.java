package dev.vrrp4j.core.config;

import dev.vrrp4j.core.router.IpRoute;
import dev.vrrp4j.core.router.IpRule;
import dev.vrrp4j.core.router.RouterConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import static dev.vrrp4j.core.config.Values.MAX_TIMER_SECONDS;

/**
 * {@code vrrp_instance NAME { ... }}, as written: each keyword's value checked on its own. What
 * depends on several keywords or on other blocks (the address family, the version, keepalived's
 * adjustments, the tracked scripts) is decided by {@link VrrpInstanceBuilder} once the whole file
 * is read.
 */
final class VrrpInstanceBlock {
    static final KeywordTable<VrrpInstanceBlock> KEYWORDS = KeywordTable.<VrrpInstanceBlock>block("vrrp_instance",
                    ConfigInterpreter.KEYWORDS)
            .supported("state", VrrpInstanceBlock::state)
            .supported("interface", VrrpInstanceBlock::iface)
            .supported("virtual_router_id", VrrpInstanceBlock::virtualRouterId)
            .supported("priority", VrrpInstanceBlock::priority)
            .supported("advert_int", VrrpInstanceBlock::advertInt)
            .supported("version", VrrpInstanceBlock::version)
            .supported("nopreempt", VrrpInstanceBlock::nopreempt)
            .supported("preempt", VrrpInstanceBlock::preempt)
            .supported("preempt_delay", VrrpInstanceBlock::preemptDelay)
            .supported("accept", VrrpInstanceBlock::accept)
            .supported("no_accept", VrrpInstanceBlock::noAccept)
            .supported("virtual_ipaddress", (instance, line) -> instance.lines(line, instance.addresses::readLine))
            .supported("virtual_ipaddress_excluded",
                    (instance, line) -> instance.lines(line, instance.excludedAddresses::readLine))
            // keepalived treats both as the source address of advertisements (vrrp_srcip_handler)
            .supported(List.of("unicast_src_ip", "mcast_src_ip"), VrrpInstanceBlock::sourceAddress)
            .supported("unicast_peer", (instance, line) -> instance.lines(line, instance.peers::readLine))
            .supported("mcast_dst_ip", VrrpInstanceBlock::multicastDestination)
            .supported("track_interface", (instance, line) -> instance.lines(line, instance.trackedInterfaces::readLine))
            .supported("track_script", (instance, line) -> instance.lines(line, instance.trackedScripts::readLine))
            .supported(NotifyKeywords.NAMES, (instance, line) -> instance.notify.read(line))
            .supported("garp_master_delay", VrrpInstanceBlock::garpMasterDelay)
            .supported("garp_master_repeat", VrrpInstanceBlock::garpMasterRepeat)
            .supported("garp_master_refresh", VrrpInstanceBlock::garpMasterRefresh)
            .supported("garp_master_refresh_repeat", VrrpInstanceBlock::garpMasterRefreshRepeat)
            .supported("dont_track_primary", (instance, line) -> {
                if (instance.values.noArgs(line)) {
                    instance.dontTrackPrimary = true;
                }
            })
            .supported("garp_lower_prio_repeat", VrrpInstanceBlock::garpLowerPrioRepeat)
            .supported("garp_lower_prio_delay", VrrpInstanceBlock::garpLowerPrioDelay)
            .supported("v3_checksum_as_v2", VrrpInstanceBlock::v3ChecksumAsV2)
            .supported("native_ipv6", VrrpInstanceBlock::nativeIpv6)
            .supported("down_timer_adverts", (instance, line) -> instance.rfcOnly.requireDownTimerAdverts(line))
            .supported("authentication", VrrpInstanceBlock::authentication)
            .supported("auth_hmac", VrrpInstanceBlock::authHmac)
            .supported("virtual_routes", (instance, line) -> instance.routeLines.readRoutes(line, "virtual_routes",
                    instance.routes))
            .supported("virtual_rules", (instance, line) -> instance.ruleLines.readRules(line, "virtual_rules",
                    instance.rules))
            .ignored(IgnoredBecause.VMAC, "use_vmac", "use_vmac_addr", "vmac_xmit_base", "use_ipvlan", "garp_extra_if",
                    "vmac_garp_intvl")
            .ignored(IgnoredBecause.TRACKING, "track_file", "track_process", "track_bfd", "track_src_ip")
            .ignored(IgnoredBecause.TUNING, "vrf", "unicast_fault_no_peer", "check_unicast_src",
                    "old_unicast_checksum", "unicast_ttl", "timer_expired_backup", "lower_prio_no_advert",
                    "higher_prio_send_advert", "promote_secondaries", "skip_check_adv_addr", "debug",
                    "kernel_rx_buf_size", "linkbeat_use_polling")
            .supported("no_virtual_ipaddress", VrrpInstanceBlock::noVirtualIpaddress)
            .ignored("vrrp4j does not implement keepalived's strict mode", "strict_mode")
            .ignored(IgnoredBecause.OTHER_NOTIFY, "notify_deleted", "notify_master_rx_lower_pri",
                    "notify_priority_changes")
            .ignored(IgnoredBecause.EMAIL, "smtp_alert")
            .ignored(IgnoredBecause.LVS, "lvs_sync_daemon_interface");

    final String name;
    final SourceLocation where;
    /** The instance as the messages name it: {@code vrrp_instance VI_1}. */
    final String owner;
    private final Diagnostics diagnostics;
    private final Values values;
    private final RfcOnlySettings rfcOnly;
    /** The first line of each keyword that may be given once. */
    final Map<String, SourceLocation> seen = new HashMap<>();
    /** Keywords that appeared, valid or not (so a bad value is not also reported as missing). */
    final Set<String> present = new HashSet<>();

    String state;
    String iface;
    Integer vrid;
    Integer priority;
    /** Checked by the builder: the allowed values depend on the version. */
    Token advert;
    Integer version;
    boolean nopreempt;
    SourceLocation nopreemptWhere;
    Long preemptDelayMillis;
    SourceLocation preemptDelayWhere;
    boolean accept = true; // keepalived.conf(5): accept is the default unless strict mode is set
    final VirtualIpaddressBlock addresses;
    /** Installed with {@link #addresses}, never advertised; may be of either family. */
    final VirtualIpaddressBlock excludedAddresses;
    Token sourceAddress;
    final UnicastPeerBlock peers;
    Token multicastDestination;
    final TrackInterfaceBlock trackedInterfaces;
    final TrackScriptBlock trackedScripts;
    final NotifyKeywords notify;
    Duration garpDelay;
    Integer garpRepeat;
    Duration garpRefresh;
    Integer garpRefreshRepeat;
    boolean dontTrackPrimary;
    Integer garpLowerPrioRepeat;
    Duration garpLowerPrioDelay;
    Boolean v3ChecksumAsV2;
    final AuthenticationBlock authentication;
    final AuthHmacBlock authHmac;
    SourceLocation nativeIpv6;
    /** {@code virtual_routes} and {@code virtual_rules}: installed while Active, of any family and device. */
    final List<IpRoute> routes = new ArrayList<>();
    final List<IpRule> rules = new ArrayList<>();
    private final RouteLines routeLines;
    private final RuleLines ruleLines;
    /** Set when the sync groups are resolved. */
    SyncGroupBlock group;
    /** Whether any line of the block was refused: the instance is then not built. */
    boolean broken;

    /** @param ruleLines reads the rule lines of the whole file (keepalived numbers rules across it) */
    VrrpInstanceBlock(String name, SourceLocation where, Diagnostics diagnostics, RouteLines routeLines,
                      RuleLines ruleLines) {
        this.name = name;
        this.routeLines = routeLines;
        this.ruleLines = ruleLines;
        this.where = where;
        this.owner = "vrrp_instance " + name;
        this.diagnostics = diagnostics;
        this.values = new Values(diagnostics);
        this.rfcOnly = new RfcOnlySettings(diagnostics);
        this.addresses = new VirtualIpaddressBlock("virtual_ipaddress", owner, diagnostics);
        this.excludedAddresses = new VirtualIpaddressBlock("virtual_ipaddress_excluded", owner, diagnostics);
        this.peers = new UnicastPeerBlock(diagnostics);
        this.trackedInterfaces = new TrackInterfaceBlock(diagnostics);
        this.trackedScripts = new TrackScriptBlock(diagnostics);
        this.notify = new NotifyKeywords(owner, diagnostics);
        this.authentication = new AuthenticationBlock(owner, diagnostics);
        this.authHmac = new AuthHmacBlock(owner, diagnostics);
    }

    void read(Statement s) {
        int errorsBefore = diagnostics.errorCount();
        for (Statement line : s.block()) {
            present.add(line.name());
            KEYWORDS.read(this, line, owner, diagnostics);
        }
        broken = diagnostics.errorCount() > errorsBefore;
    }

    /** A block of one-per-line entries, such as {@code virtual_ipaddress}; may be given several times. */
    private void lines(Statement line, Consumer<Statement> readLine) {
        if (values.block(line, 0)) {
            line.block().forEach(readLine);
        }
    }

    private void state(Statement line) {
        String v = values.oneArg(line);
        if (v == null || !values.once(seen, line, owner)) {
            return;
        }
        if (v.equals("MASTER") || v.equals("BACKUP")) {
            state = v;
        } else {
            diagnostics.error(line.where(), "state '" + v + "' is not MASTER or BACKUP (keepalived would use BACKUP)");
        }
    }

    private void iface(Statement line) {
        String v = values.oneArg(line);
        if (v != null && values.once(seen, line, owner)) {
            iface = v;
        }
    }

    private void virtualRouterId(Statement line) {
        Long v = values.integerArgOnce(line, 1, 255, seen, owner);
        if (v != null) {
            vrid = v.intValue();
        }
    }

    private void priority(Statement line) {
        Long v = values.integerArgOnce(line, 1, 255, seen, owner);
        if (v != null) {
            priority = v.intValue();
        }
    }

    private void advertInt(Statement line) {
        if (values.oneArg(line) != null && values.once(seen, line, owner)) {
            advert = line.args().getFirst();
        }
    }

    private void version(Statement line) {
        Long v = values.integerArgOnce(line, 2, 3, seen, owner);
        if (v != null) {
            version = v.intValue();
        }
    }

    private void nopreempt(Statement line) {
        if (values.noArgs(line)) {
            nopreempt = true;
            nopreemptWhere = line.where();
        }
    }

    private void preempt(Statement line) {
        if (values.noArgs(line)) {
            nopreempt = false;
        }
    }

    private void preemptDelay(Statement line) {
        Long millis = values.millisArg(line, RouterConfig.MAX_PREEMPT_DELAY_MILLIS);
        if (millis != null && values.once(seen, line, owner)) {
            preemptDelayMillis = millis;
            preemptDelayWhere = line.where();
        }
    }

    private void accept(Statement line) {
        if (values.noArgs(line)) {
            accept = true;
        }
    }

    private void noAccept(Statement line) {
        if (values.noArgs(line)) {
            accept = false;
        }
    }

    /** {@code unicast_src_ip} or {@code mcast_src_ip}: either may repeat the other's address. */
    private void sourceAddress(Statement line) {
        String v = values.oneArg(line);
        if (v == null || values.literal(line, line.name(), v) == null) {
            return;
        }
        if (sourceAddress != null
                && !Values.address(sourceAddress.text()).equals(Values.address(v))) {
            diagnostics.error(line.where(), line.name() + " " + v + " conflicts with the source address "
                    + sourceAddress.text() + " set at " + sourceAddress.where());
        } else {
            sourceAddress = line.args().getFirst();
        }
    }

    /** Checked by the builder against the RFC's group of the instance's family. */
    private void multicastDestination(Statement line) {
        String v = values.oneArg(line);
        if (v != null && values.literal(line, line.name(), v) != null && values.once(seen, line, owner)) {
            multicastDestination = line.args().getFirst();
        }
    }

    private void garpMasterDelay(Statement line) {
        Long seconds = values.integerArgOnce(line, 0, MAX_TIMER_SECONDS, seen, owner);
        if (seconds != null) {
            garpDelay = Duration.ofSeconds(seconds);
        }
    }

    private void garpMasterRepeat(Statement line) {
        Long v = values.integerArgOnce(line, 1, Integer.MAX_VALUE, seen, owner);
        if (v != null) {
            garpRepeat = v.intValue();
        }
    }

    private void garpMasterRefreshRepeat(Statement line) {
        Long v = values.integerArgOnce(line, 1, Integer.MAX_VALUE, seen, owner);
        if (v != null) {
            garpRefreshRepeat = v.intValue();
        }
    }

    private void garpLowerPrioRepeat(Statement line) {
        Long v = values.integerArgOnce(line, 0, Integer.MAX_VALUE, seen, owner);
        if (v != null) {
            garpLowerPrioRepeat = v.intValue();
        }
    }

    private void garpLowerPrioDelay(Statement line) {
        Long seconds = values.integerArgOnce(line, 0, MAX_TIMER_SECONDS, seen, owner);
        if (seconds != null) {
            garpLowerPrioDelay = Duration.ofSeconds(seconds);
        }
    }

    private void garpMasterRefresh(Statement line) {
        Long seconds = values.integerArgOnce(line, 0, Integer.MAX_VALUE, seen, owner);
        if (seconds != null) {
            garpRefresh = Duration.ofSeconds(seconds);
        }
    }

    private void v3ChecksumAsV2(Statement line) {
        Boolean v = values.optionalBool(line);
        if (v != null) {
            v3ChecksumAsV2 = v;
        }
    }

    /** Checked by the builder: allowed for VRRPv2 only. */
    private void noVirtualIpaddress(Statement line) {
        if (values.noArgs(line)) {
            seen.putIfAbsent(line.name(), line.where());
        }
    }

    private void nativeIpv6(Statement line) {
        if (values.noArgs(line)) {
            nativeIpv6 = line.where();
        }
    }

    private void authentication(Statement line) {
        if (values.block(line, 0) && values.once(seen, line, owner)) {
            authentication.read(line);
        }
    }

    private void authHmac(Statement line) {
        if (values.block(line, 0)) {
            authHmac.read(line);
        }
    }
}
