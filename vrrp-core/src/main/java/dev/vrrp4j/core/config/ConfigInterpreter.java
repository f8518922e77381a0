package dev.vrrp4j.core.config;

import dev.vrrp4j.core.config.Keywords.Context;
import dev.vrrp4j.core.router.RouterConfig;
import dev.vrrp4j.core.router.VirtualAddress;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.math.BigInteger;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Gives the statement tree its meaning: keepalived's keywords, defaults and adjustments, and
 * vrrp4j's checks. Errors and warnings go to the {@link Diagnostics}; the returned configuration is
 * only meaningful when there are no errors.
 */
final class ConfigInterpreter {
    /** UINT_MAX / TIMER_HZ: keepalived's largest whole-second timer value. */
    private static final long MAX_TIMER_SECONDS = 4294;
    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");
    private static final Pattern DECIMAL = Pattern.compile("\\d+(\\.\\d*)?|\\.\\d+");
    /** RFC 9568 §5.1.1.2 / §5.1.2.2: the only groups vrrp4j sends to. */
    private static final String MCAST_GROUP4 = "224.0.0.18";
    private static final String MCAST_GROUP6 = "ff02::12";

    private final Diagnostics d;

    // global_defs
    private final Map<String, SourceLocation> globalSeen = new HashMap<>();
    private String routerId;
    private boolean scriptSecurity;
    private String scriptUser;
    private Integer vrrpVersion;
    private SourceLocation vrrpVersionWhere;
    private Duration garpDelay;
    private Integer garpRepeat;
    private Duration garpRefresh;
    private boolean minGarp;
    private boolean v3ChecksumAsV2;
    private Integer vrrpNice;
    private Integer vrrpRealtimePriority;

    private final Map<String, ScriptDraft> scripts = new LinkedHashMap<>();
    private final Map<String, InstanceDraft> instances = new LinkedHashMap<>();
    private final Map<String, GroupDraft> groups = new LinkedHashMap<>();
    private final Set<String> trackedScripts = new HashSet<>();

    ConfigInterpreter(Diagnostics diagnostics) {
        this.d = diagnostics;
    }

    KeepalivedConfig interpret(List<Statement> top) {
        // global_defs first: its defaults apply to instances wherever the block is
        for (Statement s : top) {
            if (s.name().equals("global_defs")) {
                globalDefs(s);
            }
        }
        for (Statement s : top) {
            switch (s.name()) {
                case "global_defs" -> { }
                case "vrrp_script" -> vrrpScript(s);
                case "vrrp_instance" -> vrrpInstance(s);
                case "vrrp_sync_group" -> syncGroup(s);
                default -> unhandled(Context.TOP, s, "the configuration");
            }
        }
        GlobalDefs globals = globals();
        resolveSyncGroups();
        List<VrrpInstance> built = new ArrayList<>();
        for (InstanceDraft x : instances.values()) {
            VrrpInstance instance = finish(x, globals);
            if (instance != null) {
                built.add(instance);
            }
        }
        checkDistinctVrids(built);
        List<VrrpScript> builtScripts = new ArrayList<>();
        for (ScriptDraft x : scripts.values()) {
            VrrpScript script = x.build();
            if (script == null) {
                continue;
            }
            builtScripts.add(script);
            if (!trackedScripts.contains(script.name())) {
                d.warn(script.where(), "vrrp_script", "vrrp_script " + script.name()
                        + " is not tracked by any vrrp_instance; it will not run (keepalived does not run it either)");
            }
        }
        List<SyncGroupDef> builtGroups = new ArrayList<>();
        Set<String> builtNames = built.stream().map(VrrpInstance::name).collect(Collectors.toSet());
        for (GroupDraft g : groups.values()) {
            List<String> members = g.resolved.stream().map(x -> x.name).toList();
            if (!members.isEmpty() && builtNames.containsAll(members)) {
                builtGroups.add(new SyncGroupDef(g.name, members, g.notify.build(), g.where));
            }
        }
        return new KeepalivedConfig(globals, builtScripts, built, builtGroups, d.warnings());
    }

    // ---------------------------------------------------------------- global_defs

    private void globalDefs(Statement s) {
        if (!block(s, 0)) {
            return;
        }
        for (Statement c : s.block()) {
            switch (c.name()) {
                case "router_id" -> {
                    String v = oneArg(c);
                    if (v != null && once(globalSeen, c, "global_defs")) {
                        routerId = v;
                    }
                }
                case "enable_script_security" -> {
                    if (noArgs(c)) {
                        scriptSecurity = true;
                    }
                }
                case "script_user" -> {
                    if (args(c, 1, 2) && once(globalSeen, c, "global_defs")) {
                        scriptUser = c.args().getFirst().text();
                    }
                }
                case "vrrp_version" -> {
                    Long v = integerArg(c, 2, 3);
                    if (v != null && once(globalSeen, c, "global_defs")) {
                        vrrpVersion = v.intValue();
                        vrrpVersionWhere = c.where();
                    }
                }
                case "vrrp_garp_master_delay" -> {
                    Long v = integerArg(c, 0, MAX_TIMER_SECONDS);
                    if (v != null && once(globalSeen, c, "global_defs")) {
                        garpDelay = Duration.ofSeconds(v);
                    }
                }
                case "vrrp_garp_master_repeat" -> {
                    Long v = integerArg(c, 1, Integer.MAX_VALUE);
                    if (v != null && once(globalSeen, c, "global_defs")) {
                        garpRepeat = v.intValue();
                    }
                }
                case "vrrp_garp_master_refresh" -> {
                    Long v = integerArg(c, 0, Integer.MAX_VALUE);
                    if (v != null && once(globalSeen, c, "global_defs")) {
                        garpRefresh = Duration.ofSeconds(v);
                    }
                }
                case "vrrp_min_garp" -> {
                    Boolean v = optionalBool(c);
                    if (v != null) {
                        minGarp = v;
                    }
                }
                case "v3_checksum_as_v2" -> {
                    Boolean v = optionalBool(c);
                    if (v != null) {
                        v3ChecksumAsV2 = v;
                    }
                }
                case "vrrp_priority" -> {
                    Long v = integerArg(c, -20, 19);
                    if (v != null && once(globalSeen, c, "global_defs")) {
                        vrrpNice = v.intValue();
                    }
                }
                case "vrrp_rt_priority" -> {
                    Long v = integerArg(c, 1, 99);
                    if (v != null && once(globalSeen, c, "global_defs")) {
                        vrrpRealtimePriority = v.intValue();
                    }
                }
                case "vrrp_mcast_group4" -> requireAddress(c, MCAST_GROUP4);
                case "vrrp_mcast_group6" -> requireAddress(c, MCAST_GROUP6);
                case "vrrp_down_timer_adverts" -> requireDownTimerAdverts(c);
                default -> unhandled(Context.GLOBAL_DEFS, c, "global_defs");
            }
        }
    }

    private GlobalDefs globals() {
        // vrrp_min_garp: one gratuitous ARP, no second burst (keepalived.conf(5)); explicit settings win
        Duration delay = garpDelay != null ? garpDelay : minGarp ? Duration.ZERO : GlobalDefs.DEFAULT_GARP_MASTER_DELAY;
        int repeat = garpRepeat != null ? garpRepeat : minGarp ? 1 : GlobalDefs.DEFAULT_GARP_MASTER_REPEAT;
        Duration refresh = garpRefresh != null ? garpRefresh : Duration.ZERO;
        return new GlobalDefs(routerId, scriptSecurity, scriptUser, vrrpVersion, delay, repeat, refresh, v3ChecksumAsV2,
                vrrpNice, vrrpRealtimePriority);
    }

    /** Multicast groups: accepted when they are the RFC's, refused otherwise (peers would not hear us). */
    private void requireAddress(Statement c, String expected) {
        String v = oneArg(c);
        InetAddress address = literal(c, c.name(), v);
        if (address != null && !address.equals(VirtualAddress.parseLiteral(expected))) {
            d.error(c.where(), c.name() + " " + v + ": vrrp4j only uses the RFC 9568 group " + expected
                    + "; peers using another group would not hear it");
        }
    }

    /** RFC 9568 §6.1: Master_Down_Interval is 3 advertisement intervals plus the skew; all routers must agree. */
    private void requireDownTimerAdverts(Statement c) {
        Long v = integerArg(c, 1, 100);
        if (v != null && v != 3) {
            d.error(c.where(), c.name() + " " + v + " is not supported: vrrp4j uses the RFC 9568 value 3,"
                    + " and all routers of a virtual router must use the same value");
        }
    }

    // ---------------------------------------------------------------- vrrp_script

    private static final class ScriptDraft {
        final String name;
        final SourceLocation where;
        final Map<String, SourceLocation> seen = new HashMap<>();
        List<String> command;
        boolean broken;
        Duration interval = Duration.ofSeconds(1);
        Duration timeout;
        int weight;
        int rise = 1;
        int fall = 1;

        ScriptDraft(String name, SourceLocation where) {
            this.name = name;
            this.where = where;
        }

        VrrpScript build() {
            if (command == null || broken) {
                return null;
            }
            // keepalived waits `interval` for a script that has no timeout (vrrp_scheduler.c)
            return new VrrpScript(name, command, interval, timeout != null ? timeout : interval, weight, rise, fall, where);
        }
    }

    private void vrrpScript(Statement s) {
        String name = blockName(s);
        if (name == null) {
            return;
        }
        if (scripts.containsKey(name)) {
            d.error(s.where(), "vrrp_script " + name + " is defined twice (first at " + scripts.get(name).where + ")");
            return;
        }
        ScriptDraft x = new ScriptDraft(name, s.where());
        scripts.put(name, x);
        int errorsBefore = d.errorCount();
        String owner = "vrrp_script " + name;
        for (Statement c : s.block()) {
            switch (c.name()) {
                case "script" -> {
                    if (once(x.seen, c, owner)) {
                        x.command = scriptCommand(c);
                    }
                }
                case "interval" -> {
                    Long v = integerArg(c, 1, MAX_TIMER_SECONDS);
                    if (v != null && once(x.seen, c, owner)) {
                        x.interval = Duration.ofSeconds(v);
                    }
                }
                case "timeout" -> {
                    Long v = integerArg(c, 1, MAX_TIMER_SECONDS);
                    if (v != null && once(x.seen, c, owner)) {
                        x.timeout = Duration.ofSeconds(v);
                    }
                }
                case "weight" -> {
                    if (noBlock(c) && args(c, 1, 2) && once(x.seen, c, owner)) {
                        Long v = integer(c, c.name(), c.args().getFirst().text(), -253, 253);
                        if (v != null) {
                            x.weight = v.intValue();
                        }
                        if (c.args().size() == 2) {
                            notReverse(c, c.args().get(1), "vrrp_script " + name + " weight");
                        }
                    }
                }
                case "rise" -> {
                    Long v = integerArg(c, 1, Integer.MAX_VALUE);
                    if (v != null && once(x.seen, c, owner)) {
                        x.rise = v.intValue();
                    }
                }
                case "fall" -> {
                    Long v = integerArg(c, 1, Integer.MAX_VALUE);
                    if (v != null && once(x.seen, c, owner)) {
                        x.fall = v.intValue();
                    }
                }
                default -> unhandled(Context.VRRP_SCRIPT, c, owner);
            }
        }
        if (x.command == null && !x.seen.containsKey("script")) {
            d.error(s.where(), "vrrp_script " + name + " has no script");
        }
        x.broken = d.errorCount() > errorsBefore;
    }

    /**
     * keepalived 2.x takes the first word after {@code script} (quotes removed) and splits it again
     * at unquoted whitespace; further words are dropped. Dropping them silently would leave a check
     * that always fails (for example {@code script killall -0 nginx} runs {@code killall} alone), so
     * they are an error here.
     */
    private List<String> scriptCommand(Statement c) {
        if (!noBlock(c) || !args(c, 1, Integer.MAX_VALUE)) {
            return null;
        }
        if (c.args().size() > 1) {
            String all = c.args().stream().map(Token::text).collect(Collectors.joining(" "));
            d.error(c.where(), "script: keepalived runs only the first word ('" + c.args().getFirst().text()
                    + "') and drops the rest ('" + all.substring(c.args().getFirst().text().length() + 1)
                    + "'); quote the whole command: script \"" + all + "\"");
            return null;
        }
        return argv(c, c.args().getFirst().text());
    }

    private List<String> argv(Statement c, String command) {
        int errorsBefore = d.errorCount();
        List<String> argv = Words.split(command, false, problem -> d.error(c.where(), c.name() + ": " + problem))
                .stream().map(Words.Word::text).toList();
        if (d.errorCount() > errorsBefore) {
            return null;
        }
        if (argv.isEmpty() || argv.getFirst().isEmpty()) {
            d.error(c.where(), c.name() + " is empty");
            return null;
        }
        return argv;
    }

    // ---------------------------------------------------------------- vrrp_instance

    private record PendingRef(String name, Integer weight, SourceLocation where) {}

    private static final class InstanceDraft {
        final String name;
        final SourceLocation where;
        final Map<String, SourceLocation> seen = new HashMap<>();
        /** Keywords that appeared, valid or not (so a bad value is not also reported as missing). */
        final Set<String> present = new HashSet<>();
        String state;
        String iface;
        Integer vrid;
        Integer priority;
        Token advert;
        Integer version;
        boolean nopreempt;
        SourceLocation nopreemptWhere;
        Long preemptDelayMillis;
        SourceLocation preemptDelayWhere;
        boolean accept = true; // keepalived.conf(5): accept is the default unless strict mode is set
        final List<VirtualIp> vips = new ArrayList<>();
        Token srcIp;
        final List<Token> peers = new ArrayList<>();
        Token mcastDst;
        final List<String> trackInterfaces = new ArrayList<>();
        final List<SourceLocation> trackInterfaceWheres = new ArrayList<>();
        final List<PendingRef> trackScripts = new ArrayList<>();
        final NotifyDraft notify;
        Duration garpDelay;
        Integer garpRepeat;
        Duration garpRefresh;
        Boolean v3ChecksumAsV2;
        /** The {@code authentication} block, its {@code auth_type} and {@code auth_pass}; read in finish(). */
        SourceLocation authWhere;
        Token authType;
        Token authPass;
        SourceLocation nativeIpv6;
        GroupDraft group;
        boolean broken;

        InstanceDraft(String name, SourceLocation where) {
            this.name = name;
            this.where = where;
            this.notify = new NotifyDraft("vrrp_instance " + name);
        }
    }

    private void vrrpInstance(Statement s) {
        String name = blockName(s);
        if (name == null) {
            return;
        }
        if (instances.containsKey(name)) {
            d.error(s.where(), "vrrp_instance " + name + " is defined twice (first at " + instances.get(name).where + ")");
            return;
        }
        InstanceDraft x = new InstanceDraft(name, s.where());
        instances.put(name, x);
        int errorsBefore = d.errorCount();
        for (Statement c : s.block()) {
            instanceKeyword(x, c);
        }
        x.broken = d.errorCount() > errorsBefore;
    }

    private void instanceKeyword(InstanceDraft x, Statement c) {
        String owner = "vrrp_instance " + x.name;
        x.present.add(c.name());
        switch (c.name()) {
            case "state" -> {
                String v = oneArg(c);
                if (v == null || !once(x.seen, c, owner)) {
                    return;
                }
                if (v.equals("MASTER") || v.equals("BACKUP")) {
                    x.state = v;
                } else {
                    d.error(c.where(), "state '" + v + "' is not MASTER or BACKUP (keepalived would use BACKUP)");
                }
            }
            case "interface" -> {
                String v = oneArg(c);
                if (v != null && once(x.seen, c, owner)) {
                    x.iface = v;
                }
            }
            case "virtual_router_id" -> {
                Long v = integerArg(c, 1, 255);
                if (v != null && once(x.seen, c, owner)) {
                    x.vrid = v.intValue();
                }
            }
            case "priority" -> {
                Long v = integerArg(c, 1, 255);
                if (v != null && once(x.seen, c, owner)) {
                    x.priority = v.intValue();
                }
            }
            case "advert_int" -> {
                // checked in finish(): the allowed values depend on the version
                if (oneArg(c) != null && once(x.seen, c, owner)) {
                    x.advert = c.args().getFirst();
                }
            }
            case "version" -> {
                Long v = integerArg(c, 2, 3);
                if (v != null && once(x.seen, c, owner)) {
                    x.version = v.intValue();
                }
            }
            case "nopreempt" -> {
                if (noArgs(c)) {
                    x.nopreempt = true;
                    x.nopreemptWhere = c.where();
                }
            }
            case "preempt" -> {
                if (noArgs(c)) {
                    x.nopreempt = false;
                }
            }
            case "preempt_delay" -> {
                Long millis = millisArg(c, RouterConfig.MAX_PREEMPT_DELAY_MILLIS);
                if (millis != null && once(x.seen, c, owner)) {
                    x.preemptDelayMillis = millis;
                    x.preemptDelayWhere = c.where();
                }
            }
            case "accept" -> {
                if (noArgs(c)) {
                    x.accept = true;
                }
            }
            case "no_accept" -> {
                if (noArgs(c)) {
                    x.accept = false;
                }
            }
            case "virtual_ipaddress" -> {
                if (block(c, 0)) {
                    c.block().forEach(line -> virtualIp(x, line));
                }
            }
            case "unicast_src_ip", "mcast_src_ip" -> {
                // keepalived treats both as the source address of advertisements (vrrp_srcip_handler)
                String v = oneArg(c);
                if (v == null || literal(c, c.name(), v) == null) {
                    return;
                }
                if (x.srcIp != null && !VirtualAddress.parseLiteral(x.srcIp.text()).equals(VirtualAddress.parseLiteral(v))) {
                    d.error(c.where(), c.name() + " " + v + " conflicts with the source address " + x.srcIp.text()
                            + " set at " + x.srcIp.where());
                } else {
                    x.srcIp = c.args().getFirst();
                }
            }
            case "unicast_peer" -> {
                if (block(c, 0)) {
                    c.block().forEach(line -> unicastPeer(x, line));
                }
            }
            case "mcast_dst_ip" -> {
                String v = oneArg(c);
                if (v != null && literal(c, c.name(), v) != null && once(x.seen, c, owner)) {
                    x.mcastDst = c.args().getFirst();
                }
            }
            case "track_interface" -> {
                if (block(c, 0)) {
                    c.block().forEach(line -> trackInterface(x, line));
                }
            }
            case "track_script" -> {
                if (block(c, 0)) {
                    c.block().forEach(line -> trackScript(x, line));
                }
            }
            case "notify_master", "notify_backup", "notify_fault", "notify_stop", "notify" -> notify(x.notify, c);
            case "garp_master_delay" -> {
                Long v = integerArg(c, 0, MAX_TIMER_SECONDS);
                if (v != null && once(x.seen, c, owner)) {
                    x.garpDelay = Duration.ofSeconds(v);
                }
            }
            case "garp_master_repeat" -> {
                Long v = integerArg(c, 1, Integer.MAX_VALUE);
                if (v != null && once(x.seen, c, owner)) {
                    x.garpRepeat = v.intValue();
                }
            }
            case "garp_master_refresh" -> {
                Long v = integerArg(c, 0, Integer.MAX_VALUE);
                if (v != null && once(x.seen, c, owner)) {
                    x.garpRefresh = Duration.ofSeconds(v);
                }
            }
            case "v3_checksum_as_v2" -> {
                Boolean v = optionalBool(c);
                if (v != null) {
                    x.v3ChecksumAsV2 = v;
                }
            }
            case "native_ipv6" -> {
                if (noArgs(c)) {
                    x.nativeIpv6 = c.where();
                }
            }
            case "down_timer_adverts" -> requireDownTimerAdverts(c);
            case "authentication" -> {
                if (block(c, 0) && once(x.seen, c, owner)) {
                    x.authWhere = c.where();
                    c.block().forEach(line -> authentication(x, line, owner));
                }
            }
            default -> unhandled(Context.VRRP_INSTANCE, c, owner);
        }
    }

    /** {@code auth_type PASS|AH} and {@code auth_pass <password>}; whether they apply depends on the version. */
    private void authentication(InstanceDraft x, Statement c, String owner) {
        String what = "authentication in " + owner;
        switch (c.name()) {
            case "auth_type" -> {
                if (oneArg(c) != null && once(x.seen, c, what)) {
                    x.authType = c.args().getFirst();
                }
            }
            case "auth_pass" -> {
                if (oneArg(c) != null && once(x.seen, c, what)) {
                    x.authPass = c.args().getFirst();
                }
            }
            default -> d.error(c.where(), "unknown keyword '" + c.name() + "' in " + what
                    + "; expected auth_type or auth_pass");
        }
    }

    /**
     * The VRRPv2 password of an instance, or "" for none. keepalived 2.2.7 (checked with
     * {@code keepalived -t}) truncates a longer password to 8 characters with a warning, and ignores
     * {@code auth_type PASS} without {@code auth_pass}; vrrp4j does the same. IPsec AH is refused.
     * VRRPv3 has no authentication (RFC 9568 §9): keepalived ignores the block, and so does vrrp4j.
     */
    private String password(InstanceDraft x, int version, String owner) {
        if (x.authWhere == null) {
            return "";
        }
        if (version == 3) {
            d.warnOnce(x.authWhere, "authentication", "authentication is not supported by vrrp4j for VRRPv3 ("
                    + "VRRPv3 has no authentication, RFC 9568 §9; keepalived ignores it too); the block is ignored");
            return "";
        }
        if (x.authType == null) {
            d.error(x.authWhere, "authentication in " + owner + " has no auth_type; use `auth_type PASS` (with"
                    + " auth_pass) or remove the block, on every node");
            return "";
        }
        String type = x.authType.text();
        if (type.equals("AH")) {
            d.error(x.authType.where(), "auth_type AH in " + owner + ": IPsec AH authentication (RFC 2338 §5.3.6.2)"
                    + " is not supported by vrrp4j; use auth_type PASS or remove the authentication block, on every node");
            return "";
        }
        if (!type.equals("PASS")) {
            d.error(x.authType.where(), "auth_type '" + type + "' in " + owner + " is not PASS or AH");
            return "";
        }
        if (x.authPass == null) {
            d.warn(x.authType.where(), "auth_type", owner + ": auth_type PASS without auth_pass; keepalived ignores"
                    + " the authentication block, and so does vrrp4j");
            return "";
        }
        byte[] bytes = x.authPass.text().getBytes(StandardCharsets.UTF_8);
        if (bytes.length > RouterConfig.MAX_PASSWORD_BYTES) {
            d.warn(x.authPass.where(), "auth_pass", owner + ": auth_pass is " + bytes.length + " bytes; VRRPv2"
                    + " carries 8 (RFC 2338 §5.3.10), so only the first 8 are used, as keepalived does"
                    + " (\"Truncating auth_pass to 8 characters\")");
            return new String(bytes, 0, RouterConfig.MAX_PASSWORD_BYTES, StandardCharsets.UTF_8);
        }
        return x.authPass.text();
    }

    /** {@code <address>[/<prefix>] [dev IF] [label NAME] [brd A] [scope S] ...}, one per line. */
    private void virtualIp(InstanceDraft x, Statement c) {
        if (!noBlock(c)) {
            return;
        }
        String text = c.name();
        int slash = text.indexOf('/');
        String host = slash < 0 ? text : text.substring(0, slash);
        InetAddress address;
        try {
            address = VirtualAddress.parseLiteral(host);
        } catch (IllegalArgumentException e) {
            d.error(c.where(), "virtual_ipaddress " + text + ": " + e.getMessage());
            return;
        }
        int max = address instanceof Inet6Address ? 128 : 32;
        int prefix = max;
        if (slash >= 0) {
            Long v = integer(c, "virtual_ipaddress " + text + ": prefix length", text.substring(slash + 1), 0, max);
            if (v == null) {
                return;
            }
            prefix = v.intValue();
        }
        String dev = null;
        String label = null;
        List<Token> a = c.args();
        for (int i = 0; i < a.size(); i++) {
            String option = a.get(i).text();
            switch (option) {
                case "dev", "label", "brd", "broadcast", "scope", "peer", "preferred_lft", "track_group" -> {
                    if (i + 1 >= a.size()) {
                        d.error(c.where(), "virtual_ipaddress " + text + ": " + option + " needs a value");
                        return;
                    }
                    String value = a.get(++i).text();
                    switch (option) {
                        case "dev" -> dev = value;
                        case "label" -> label = value;
                        case "brd", "broadcast", "scope" -> d.warnOnce(c.where(), option, "virtual_ipaddress option "
                                + option + " is ignored; vrrp4j installs addresses with the kernel's default "
                                + (option.equals("scope") ? "scope" : "broadcast address"));
                        default -> d.warnOnce(c.where(), option, "virtual_ipaddress option " + option
                                + " is not supported by vrrp4j; ignored");
                    }
                }
                case "home", "-nodad", "nodad", "mngtmpaddr", "noprefixroute", "autojoin", "no_track", "use_vmac" ->
                        d.warnOnce(c.where(), option, "virtual_ipaddress option " + option
                                + " is not supported by vrrp4j; ignored");
                default -> {
                    d.error(c.where(), "virtual_ipaddress " + text + ": unknown option '" + option
                            + "' (write one address per line)");
                    return;
                }
            }
        }
        x.vips.add(new VirtualIp(host, prefix, dev, label, c.where()));
    }

    private void unicastPeer(InstanceDraft x, Statement c) {
        if (!noBlock(c) || literal(c, "unicast_peer", c.name()) == null) {
            return;
        }
        List<Token> a = c.args();
        for (int i = 0; i < a.size(); i++) {
            String option = a.get(i).text();
            if ((option.equals("min_ttl") || option.equals("max_ttl")) && i + 1 < a.size()) {
                i++;
                d.warnOnce(c.where(), option, "unicast_peer option " + option + " is not supported by vrrp4j; ignored");
            } else {
                d.error(c.where(), "unicast_peer " + c.name() + ": unexpected '" + option + "' (write one peer per line)");
                return;
            }
        }
        x.peers.add(c.keyword());
    }

    /**
     * {@code IF [weight N [reverse|noreverse]]}. An unweighted interface puts the instance in Fault
     * when it goes down; keepalived's weighted form adjusts the priority instead, which vrrp4j does
     * not implement, so a non-zero weight is refused rather than silently turned into Fault.
     */
    private void trackInterface(InstanceDraft x, Statement c) {
        if (!noBlock(c)) {
            return;
        }
        String name = c.name();
        List<Token> a = c.args();
        int i = 0;
        if (i < a.size() && a.get(i).text().equals("weight")) {
            if (i + 1 >= a.size()) {
                d.error(c.where(), "track_interface " + name + ": weight needs a value");
                return;
            }
            Long weight = integer(c, "track_interface " + name + " weight", a.get(i + 1).text(), -253, 253);
            if (weight == null) {
                return;
            }
            if (weight != 0) {
                d.error(c.where(), "track_interface " + name + " weight " + weight + ": weighted interface tracking"
                        + " is not supported by vrrp4j; remove the weight to put the instance in FAULT while "
                        + name + " is down, or remove the line");
                return;
            }
            i += 2;
            if (i < a.size() && !notReverse(c, a.get(i), "track_interface " + name)) {
                return;
            }
            i++;
        }
        if (i < a.size()) {
            d.error(c.where(), "track_interface " + name + ": unexpected '" + a.get(i).text()
                    + "' (write one interface per line)");
            return;
        }
        x.trackInterfaces.add(name);
        x.trackInterfaceWheres.add(c.where());
    }

    /** {@code NAME [weight N] [reverse|noreverse|no_reverse]}, one per line as in keepalived. */
    private void trackScript(InstanceDraft x, Statement c) {
        if (!noBlock(c)) {
            return;
        }
        String name = c.name();
        Integer weight = null;
        List<Token> a = c.args();
        for (int i = 0; i < a.size(); i++) {
            String word = a.get(i).text();
            if (word.equals("weight") && weight == null) {
                if (i + 1 >= a.size()) {
                    d.error(c.where(), "track_script " + name + ": weight needs a value");
                    return;
                }
                Long v = integer(c, "track_script " + name + " weight", a.get(++i).text(), -253, 253);
                if (v == null) {
                    return;
                }
                weight = v.intValue();
            } else if (word.equals("reverse") || word.equals("noreverse") || word.equals("no_reverse")) {
                if (!notReverse(c, a.get(i), "track_script " + name)) {
                    return;
                }
            } else {
                d.error(c.where(), "track_script " + name + ": unexpected '" + word
                        + "' (write one script per line; keepalived ignores the whole line)");
                return;
            }
        }
        x.trackScripts.add(new PendingRef(name, weight, c.where()));
    }

    /** {@code reverse} inverts the meaning of a check; ignoring it would invert the behaviour, so it is an error. */
    private boolean notReverse(Statement c, Token word, String what) {
        switch (word.text()) {
            case "noreverse", "no_reverse" -> {
                return true;
            }
            case "reverse" -> {
                d.error(c.where(), what + ": reverse is not supported by vrrp4j");
                return false;
            }
            default -> {
                d.error(c.where(), what + ": unexpected '" + word.text() + "'");
                return false;
            }
        }
    }

    private VrrpInstance finish(InstanceDraft x, GlobalDefs globals) {
        int errorsBefore = d.errorCount();
        String owner = "vrrp_instance " + x.name;
        if (!x.present.contains("interface")) {
            d.error(x.where, owner + " has no interface");
        }
        if (!x.present.contains("virtual_router_id")) {
            d.error(x.where, owner + " has no virtual_router_id");
        }
        boolean ipv6 = checkAddresses(x, owner);
        int version = version(x, globals, ipv6, owner);
        int advertCentis = x.advert == null ? 100 : advertIntervalCentis(x.advert, version);
        String password = password(x, version, owner);

        int priority = x.priority != null ? x.priority : 100;
        String state = x.state != null ? x.state : "BACKUP";
        boolean preempt = !x.nopreempt;
        if (x.nopreempt && state.equals("MASTER")) {
            d.warn(x.nopreemptWhere, "nopreempt", owner + ": nopreempt does not work with state MASTER;"
                    + " keepalived ignores it, and so does vrrp4j (use state BACKUP on all routers)");
            preempt = true;
        }
        long preemptDelayMillis = x.preemptDelayMillis != null ? x.preemptDelayMillis : 0;
        if (preemptDelayMillis > 0 && state.equals("MASTER")) {
            d.warn(x.preemptDelayWhere, "preempt_delay", owner + ": preempt_delay does not work with state MASTER;"
                    + " keepalived ignores it, and so does vrrp4j (use state BACKUP)");
            preemptDelayMillis = 0;
        }
        if (preemptDelayMillis > 0 && !preempt) {
            d.warn(x.preemptDelayWhere, "preempt_delay", owner + ": preempt_delay has no effect with nopreempt;"
                    + " keepalived resets it, and so does vrrp4j");
            preemptDelayMillis = 0;
        }
        // keepalived (checked with its configuration dump): a sync group starts as MASTER only if all
        // its members say so, otherwise its MASTER members start as BACKUP (after the checks above)
        if (state.equals("MASTER") && x.group != null && x.group.resolved.stream().anyMatch(m -> !"MASTER".equals(m.state))) {
            d.warn(x.seen.get("state"), "state", owner + " is in vrrp_sync_group " + x.group.name + ", whose"
                    + " instances are not all state MASTER: keepalived starts it as BACKUP, and so does vrrp4j");
            state = "BACKUP";
        }
        List<String> trackInterfaces = new ArrayList<>();
        for (int i = 0; i < x.trackInterfaces.size(); i++) {
            String name = x.trackInterfaces.get(i);
            if (name.equals(x.iface)) {
                d.warn(x.trackInterfaceWheres.get(i), "track_interface", owner + " tracks its own interface " + name
                        + " anyway; keepalived ignores this entry, and so does vrrp4j");
            } else if (!trackInterfaces.contains(name)) {
                trackInterfaces.add(name);
            }
        }
        List<TrackScriptRef> refs = trackScriptRefs(x, priority);

        if (x.broken || d.errorCount() > errorsBefore) {
            return null;
        }
        return new VrrpInstance(x.name, state, x.iface, x.vrid, priority, advertCentis, version, preempt,
                preemptDelayMillis, x.accept, x.vips, x.srcIp == null ? null : x.srcIp.text(),
                x.peers.stream().map(Token::text).toList(), trackInterfaces, refs, x.notify.build(),
                x.garpDelay != null ? x.garpDelay : globals.garpMasterDelay(),
                x.garpRepeat != null ? x.garpRepeat : globals.garpMasterRepeat(),
                x.garpRefresh != null ? x.garpRefresh : globals.garpMasterRefresh(),
                x.v3ChecksumAsV2 != null ? x.v3ChecksumAsV2 : globals.v3ChecksumAsV2(), password, x.where);
    }

    /** Checks the addresses of an instance (one family, no duplicates, at most 255); returns whether it is IPv6. */
    private boolean checkAddresses(InstanceDraft x, String owner) {
        boolean ipv6 = false;
        if (x.vips.isEmpty()) {
            // An empty block, or one whose every line was refused (those errors are reported already):
            // either way there is no instance to build.
            d.error(x.where, owner + (x.present.contains("virtual_ipaddress")
                    ? " has no usable address in virtual_ipaddress" : " has no virtual_ipaddress")
                    + "; vrrp4j needs at least one address");
        } else {
            VirtualIp first = x.vips.getFirst();
            ipv6 = first.isIpv6();
            Map<InetAddress, VirtualIp> seen = new HashMap<>();
            for (VirtualIp vip : x.vips) {
                if (vip.isIpv6() != ipv6) {
                    d.error(vip.where(), "virtual_ipaddress " + vip.address() + " is " + family(vip.isIpv6())
                            + " but the first address of " + owner + " (" + first.address() + ") is " + family(ipv6)
                            + "; an instance's addresses must all be of one family");
                }
                VirtualIp earlier = seen.putIfAbsent(VirtualAddress.parseLiteral(vip.address()), vip);
                if (earlier != null) {
                    d.error(vip.where(), "virtual_ipaddress " + vip.address() + " is listed twice in " + owner
                            + " (first at " + earlier.where() + ")");
                }
            }
            if (x.vips.size() > 255) {
                d.error(x.where, owner + " has " + x.vips.size() + " virtual_ipaddress entries; at most 255 fit in an"
                        + " advertisement (RFC 9568 §5.2.5)");
            }
        }
        if (x.nativeIpv6 != null && !x.vips.isEmpty() && !ipv6) {
            d.error(x.nativeIpv6, "native_ipv6 in " + owner + ", whose addresses are IPv4");
        }
        if (x.srcIp != null && !x.vips.isEmpty() && isIpv6(x.srcIp.text()) != ipv6) {
            d.error(x.srcIp.where(), "source address " + x.srcIp.text() + " is " + family(!ipv6) + " but " + owner
                    + " is " + family(ipv6));
        }
        for (Token peer : x.peers) {
            if (!x.vips.isEmpty() && isIpv6(peer.text()) != ipv6) {
                d.error(peer.where(), "unicast_peer " + peer.text() + " is " + family(!ipv6) + " but " + owner
                        + " is " + family(ipv6));
            }
        }
        if (x.mcastDst != null && !x.vips.isEmpty()) {
            String expected = ipv6 ? MCAST_GROUP6 : MCAST_GROUP4;
            if (!VirtualAddress.parseLiteral(x.mcastDst.text()).equals(VirtualAddress.parseLiteral(expected))) {
                d.error(x.mcastDst.where(), "mcast_dst_ip " + x.mcastDst.text() + ": vrrp4j only uses the RFC 9568"
                        + " group " + expected + "; peers using another group would not hear it");
            }
        }
        return ipv6;
    }

    /** The instance's VRRP version, checked by {@link VersionPolicy}. */
    private int version(InstanceDraft x, GlobalDefs globals, boolean ipv6, String owner) {
        // keepalived: `version`, else 3 for IPv6 (VRRPv2 is IPv4 only), else vrrp_version, else 2
        int version;
        VersionPolicy.Origin origin;
        if (x.version != null) {
            version = x.version;
            origin = new VersionPolicy.Origin.Instance(x.seen.get("version"));
            if (version == 2 && ipv6) {
                d.error(x.seen.get("version"), "version 2 in " + owner + ", whose addresses are IPv6: VRRPv2 is"
                        + " IPv4 only; use version 3 (keepalived ignores this line)");
                version = 3;
            }
        } else if (ipv6) {
            version = 3;
            origin = new VersionPolicy.Origin.Ipv6();
        } else if (globals.vrrpVersion() != null) {
            version = globals.vrrpVersion();
            origin = new VersionPolicy.Origin.Global(vrrpVersionWhere);
        } else {
            version = 2;
            origin = new VersionPolicy.Origin.Default();
        }
        if (!x.vips.isEmpty() || x.version != null) { // otherwise the family, and so the version, is unknown
            VersionPolicy.check(x.name, version, origin, x.where, d);
        }
        return version;
    }

    /**
     * {@code advert_int} in seconds, to centiseconds: VRRPv3 carries 1..4095 cs (RFC 9568 §5.2.7),
     * VRRPv2 whole seconds 1..255 (RFC 3768 §5.3.7). keepalived 2.2.7 accepts a fraction for VRRPv2
     * and rounds it ("must be an integer. rounding"); its sub-second VRRPv2 is non-standard, so
     * vrrp4j refuses both and says what to write instead.
     */
    private int advertIntervalCentis(Token advert, int version) {
        String text = advert.text();
        if (!DECIMAL.matcher(text).matches()) {
            d.error(advert.where(), "advert_int '" + text + "' is not a number of seconds");
            return 100;
        }
        BigDecimal centis = new BigDecimal(text.endsWith(".") ? text + "0" : text).movePointRight(2);
        if (version == 2) {
            if (centis.remainder(BigDecimal.valueOf(100)).signum() != 0
                    || centis.compareTo(BigDecimal.valueOf(100)) < 0 || centis.compareTo(BigDecimal.valueOf(25500)) > 0) {
                d.error(advert.where(), "advert_int " + text + " is not allowed for VRRPv2: it must be whole seconds"
                        + " 1..255 (RFC 3768 §5.3.7; keepalived's fractions are non-standard and it rounds them);"
                        + " use a whole number on every node, or `version 3` on every node for sub-second intervals");
                return 100;
            }
            return centis.intValue();
        }
        if (centis.stripTrailingZeros().scale() > 0) {
            d.error(advert.where(), "advert_int " + text + " is not a whole number of centiseconds"
                    + " (VRRPv3 advertises the interval in centiseconds)");
            return 100;
        }
        if (centis.compareTo(BigDecimal.ONE) < 0 || centis.compareTo(BigDecimal.valueOf(4095)) > 0) {
            d.error(advert.where(), "advert_int " + text + " out of range 0.01..40.95 (VRRPv3)");
            return 100;
        }
        return centis.intValueExact();
    }

    /**
     * Resolves {@code track_script} names and drops the weighted ones keepalived ignores: on an
     * address owner (priority 255) and on members of a sync group without
     * {@code sync_group_tracking_weight} ("ignoring tracked script ... with weights").
     */
    private List<TrackScriptRef> trackScriptRefs(InstanceDraft x, int priority) {
        String owner = "vrrp_instance " + x.name;
        List<TrackScriptRef> refs = new ArrayList<>();
        for (PendingRef ref : x.trackScripts) {
            ScriptDraft script = scripts.get(ref.name());
            if (script == null) {
                String near = Keywords.closest(ref.name(), scripts.keySet());
                d.error(ref.where(), "track_script " + ref.name() + ": no vrrp_script named " + ref.name()
                        + (near != null ? " (did you mean " + near + "?)" : ""));
                continue;
            }
            int weight = ref.weight() != null ? ref.weight() : script.weight;
            if (weight != 0 && priority == 255) {
                d.warn(ref.where(), "track_script", owner + " has priority 255 (address owner): keepalived ignores"
                        + " the weighted track_script " + ref.name() + ", and so does vrrp4j");
                continue;
            }
            if (weight != 0 && x.group != null && !x.group.trackingWeight) {
                d.warn(ref.where(), "track_script", owner + " is in vrrp_sync_group " + x.group.name
                        + ": keepalived ignores the weighted track_script " + ref.name() + ", and so does vrrp4j"
                        + " (sync_group_tracking_weight in the group keeps it)");
                continue;
            }
            trackedScripts.add(ref.name());
            refs.add(new TrackScriptRef(ref.name(), ref.weight()));
        }
        return refs;
    }

    private void checkDistinctVrids(List<VrrpInstance> built) {
        Map<String, VrrpInstance> byKey = new HashMap<>();
        for (VrrpInstance instance : built) {
            String key = instance.interfaceName() + "/" + instance.family() + "/" + instance.vrid();
            VrrpInstance other = byKey.putIfAbsent(key, instance);
            if (other != null) {
                d.error(instances.get(instance.name()).seen.get("virtual_router_id"), "virtual_router_id "
                        + instance.vrid() + " of vrrp_instance " + instance.name() + " is already used on "
                        + instance.interfaceName() + " (" + family(instance.isIpv6()) + ") by vrrp_instance "
                        + other.name() + " at " + other.where());
            }
        }
    }

    // ---------------------------------------------------------------- vrrp_sync_group

    private static final class GroupDraft {
        final String name;
        final SourceLocation where;
        final Map<String, SourceLocation> seen = new HashMap<>();
        final List<Token> members = new ArrayList<>();
        final List<InstanceDraft> resolved = new ArrayList<>();
        final NotifyDraft notify;
        boolean trackingWeight;

        GroupDraft(String name, SourceLocation where) {
            this.name = name;
            this.where = where;
            this.notify = new NotifyDraft("vrrp_sync_group " + name);
        }
    }

    private void syncGroup(Statement s) {
        String name = blockName(s);
        if (name == null) {
            return;
        }
        if (groups.containsKey(name)) {
            d.error(s.where(), "vrrp_sync_group " + name + " is defined twice (first at " + groups.get(name).where + ")");
            return;
        }
        GroupDraft g = new GroupDraft(name, s.where());
        groups.put(name, g);
        String owner = "vrrp_sync_group " + name;
        for (Statement c : s.block()) {
            switch (c.name()) {
                case "group" -> {
                    if (block(c, 0) && once(g.seen, c, owner)) {
                        g.members.addAll(c.blockWords());
                    }
                }
                case "notify_master", "notify_backup", "notify_fault", "notify_stop", "notify" -> notify(g.notify, c);
                case "sync_group_tracking_weight", "global_tracking" -> {
                    if (noArgs(c)) {
                        g.trackingWeight = true;
                    }
                }
                default -> unhandled(Context.SYNC_GROUP, c, owner);
            }
        }
        if (g.members.isEmpty()) {
            d.error(s.where(), owner + " has no instances (group { VI_1 VI_2 })");
        }
    }

    private void resolveSyncGroups() {
        for (GroupDraft g : groups.values()) {
            for (Token member : g.members) {
                InstanceDraft x = instances.get(member.text());
                if (x == null) {
                    String near = Keywords.closest(member.text(), instances.keySet());
                    d.error(member.where(), "vrrp_sync_group " + g.name + ": no vrrp_instance named " + member.text()
                            + (near != null ? " (did you mean " + near + "?)" : ""));
                } else if (x.group != null) {
                    d.error(member.where(), "vrrp_sync_group " + g.name + ": vrrp_instance " + x.name
                            + (x.group == g ? " is listed twice" : " is already in vrrp_sync_group " + x.group.name));
                } else {
                    x.group = g;
                    g.resolved.add(x);
                }
            }
            if (g.resolved.size() == 1) {
                d.warn(g.where, "vrrp_sync_group", "vrrp_sync_group " + g.name
                        + " has only one instance, which is probably not what you want (keepalived warns too)");
            }
        }
    }

    // ---------------------------------------------------------------- notify scripts

    private static final class NotifyDraft {
        final String owner;
        final Map<String, SourceLocation> seen = new HashMap<>();
        final Map<String, List<String>> commands = new HashMap<>();

        NotifyDraft(String owner) {
            this.owner = owner;
        }

        NotifyCommands build() {
            return new NotifyCommands(get("notify_master"), get("notify_backup"), get("notify_fault"),
                    get("notify_stop"), get("notify"));
        }

        private List<String> get(String keyword) {
            return commands.getOrDefault(keyword, List.of());
        }
    }

    /**
     * {@code notify_X <command> [user [group]]}: the command is one word (quote it when it has
     * arguments), split like a vrrp_script's; the user and group, which keepalived runs it as, are
     * reported as ignored.
     */
    private void notify(NotifyDraft n, Statement c) {
        if (c.args().size() > 3) {
            d.error(c.where(), c.name() + " takes a command and at most a user and a group; quote the whole command: "
                    + c.name() + " \"" + joined(c.args()) + "\"");
            return;
        }
        if (!noBlock(c) || !args(c, 1, 3) || !once(n.seen, c, n.owner)) {
            return;
        }
        List<String> argv = argv(c, c.args().getFirst().text());
        if (argv == null) {
            return;
        }
        if (c.args().size() > 1) {
            String user = c.args().get(1).text();
            d.warn(c.where(), c.name(), c.name() + ": keepalived would run " + c.args().getFirst().text()
                    + " as user '" + user + "'; vrrp4j runs notify scripts as its own user (if '" + user
                    + "' is meant as an argument, quote the whole command)");
        }
        n.commands.put(c.name(), argv);
    }

    // ---------------------------------------------------------------- keywords vrrp4j does not implement

    private void unhandled(Context context, Statement c, String owner) {
        String keyword = c.name();
        if (context != Context.TOP && Keywords.TOP_LEVEL_ONLY.contains(keyword)) {
            d.error(c.where(), keyword + " inside " + owner + ": is a '}' missing before this line?");
            return;
        }
        String reason = Keywords.unsupportedReason(context, keyword);
        if (reason != null) {
            d.warnOnce(c.where(), keyword, keyword + " is not supported by vrrp4j (" + reason + "); "
                    + (c.hasBlock() ? "the block is ignored" : "ignored"));
            return;
        }
        String near = Keywords.closest(keyword, Keywords.SUPPORTED.get(context));
        if (near != null) {
            d.error(c.where(), "unknown keyword '" + keyword + "' in " + owner + "; did you mean '" + near + "'?");
            return;
        }
        d.warnOnce(c.where(), keyword, "unknown keyword '" + keyword + "' in " + owner + "; ignored");
    }

    // ---------------------------------------------------------------- values

    private boolean once(Map<String, SourceLocation> seen, Statement c, String owner) {
        SourceLocation first = seen.putIfAbsent(c.name(), c.where());
        if (first != null) {
            d.error(c.where(), c.name() + " is given twice in " + owner + " (first at " + first + ")");
            return false;
        }
        return true;
    }

    private boolean noBlock(Statement c) {
        if (c.hasBlock()) {
            d.error(c.where(), c.name() + " does not take a { } block");
            return false;
        }
        return true;
    }

    /** A block statement with {@code words} words before the brace. */
    private boolean block(Statement c, int words) {
        if (!c.hasBlock()) {
            d.error(c.where(), c.name() + " needs a { ... } block");
            return false;
        }
        if (c.args().size() != words) {
            d.error(c.where(), words == 0 ? c.name() + " takes no value before '{', got '" + joined(c.args()) + "'"
                    : c.name() + " needs " + words + " name before '{'" + (c.args().isEmpty() ? "" : ", got '" + joined(c.args()) + "'"));
            return false;
        }
        return true;
    }

    private String blockName(Statement s) {
        return block(s, 1) ? s.args().getFirst().text() : null;
    }

    private boolean args(Statement c, int min, int max) {
        int n = c.args().size();
        if (n < min) {
            d.error(c.where(), c.name() + " needs a value");
            return false;
        }
        if (n > max) {
            d.error(c.where(), c.name() + " takes " + (max == 1 ? "one value" : "at most " + max + " values")
                    + ", got '" + joined(c.args()) + "'");
            return false;
        }
        return true;
    }

    private boolean noArgs(Statement c) {
        if (!noBlock(c)) {
            return false;
        }
        if (!c.args().isEmpty()) {
            d.error(c.where(), c.name() + " takes no value, got '" + joined(c.args()) + "'");
            return false;
        }
        return true;
    }

    private String oneArg(Statement c) {
        return noBlock(c) && args(c, 1, 1) ? c.args().getFirst().text() : null;
    }

    private Long integerArg(Statement c, long min, long max) {
        String v = oneArg(c);
        return v == null ? null : integer(c, c.name(), v, min, max);
    }

    /** An integer in min..max; the error names the keyword, the value and the range. */
    private Long integer(Statement c, String what, String text, long min, long max) {
        if (!INTEGER.matcher(text).matches()) {
            d.error(c.where(), what + " '" + text + "' is not an integer");
            return null;
        }
        BigInteger v = new BigInteger(text.startsWith("+") ? text.substring(1) : text);
        if (v.compareTo(BigInteger.valueOf(min)) < 0 || v.compareTo(BigInteger.valueOf(max)) > 0) {
            d.error(c.where(), what + " " + text + " out of range " + min + ".." + max);
            return null;
        }
        return v.longValueExact();
    }

    /** A decimal number of seconds up to {@code maxMillis}, as whole milliseconds. */
    private Long millisArg(Statement c, long maxMillis) {
        String text = oneArg(c);
        if (text == null) {
            return null;
        }
        if (!DECIMAL.matcher(text).matches()) {
            d.error(c.where(), c.name() + " '" + text + "' is not a number of seconds");
            return null;
        }
        BigDecimal millis = new BigDecimal(text.endsWith(".") ? text + "0" : text).movePointRight(3);
        if (millis.compareTo(BigDecimal.valueOf(maxMillis)) > 0) {
            d.error(c.where(), c.name() + " " + text + " out of range 0.." + maxMillis / 1000);
            return null;
        }
        if (millis.stripTrailingZeros().scale() > 0) {
            d.error(c.where(), c.name() + " " + text + " is not a whole number of milliseconds");
            return null;
        }
        return millis.longValueExact();
    }

    /** keepalived's {@code <BOOL>}: on|off|true|false|yes|no; the keyword alone means true. */
    private Boolean optionalBool(Statement c) {
        if (!noBlock(c) || !args(c, 0, 1)) {
            return null;
        }
        if (c.args().isEmpty()) {
            return true;
        }
        String v = c.args().getFirst().text();
        return switch (v.toLowerCase(java.util.Locale.ROOT)) {
            case "on", "true", "yes" -> true;
            case "off", "false", "no" -> false;
            default -> {
                d.error(c.where(), c.name() + " '" + v + "' is not one of on, off, true, false, yes, no");
                yield null;
            }
        };
    }

    private InetAddress literal(Statement c, String what, String text) {
        if (text == null) {
            return null;
        }
        try {
            return VirtualAddress.parseLiteral(text);
        } catch (IllegalArgumentException e) {
            d.error(c.where(), what + " " + text + ": " + e.getMessage());
            return null;
        }
    }

    private static boolean isIpv6(String literal) {
        return literal.indexOf(':') >= 0;
    }

    private static String family(boolean ipv6) {
        return ipv6 ? "IPv6" : "IPv4";
    }

    private static String joined(List<Token> tokens) {
        return tokens.stream().map(Token::text).collect(Collectors.joining(" "));
    }
}
