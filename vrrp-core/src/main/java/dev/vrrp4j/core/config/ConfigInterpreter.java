package dev.vrrp4j.core.config;

import dev.vrrp4j.core.router.IpRoute;
import dev.vrrp4j.core.router.IpRule;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Gives the statement tree its meaning: keepalived's keywords, defaults and adjustments, and
 * vrrp4j's checks. Each block is read by its class, whose {@link KeywordTable} declares its
 * keywords ({@link GlobalDefsBlock}, {@link VrrpScriptBlock}, {@link VrrpInstanceBlock} and its
 * sub-blocks, {@link SyncGroupBlock}); this class holds the top level and puts the blocks together.
 * Errors and warnings go to the {@link Diagnostics}; the returned configuration is only meaningful
 * when there are no errors.
 */
final class ConfigInterpreter {
    /** The keywords of the file itself: the blocks. */
    static final KeywordTable<ConfigInterpreter> KEYWORDS = KeywordTable.<ConfigInterpreter>topLevel()
            .supportedTopLevelBlock("global_defs", (interpreter, s) -> interpreter.globalDefs.read(s))
            .supportedTopLevelBlock("vrrp_script", ConfigInterpreter::vrrpScript)
            .supportedTopLevelBlock("vrrp_instance", ConfigInterpreter::vrrpInstance)
            .supportedTopLevelBlock("vrrp_sync_group", ConfigInterpreter::syncGroup)
            .readByLexer("include")
            .ignoredTopLevelBlocks(IgnoredBecause.LVS, "virtual_server", "virtual_server_group")
            .ignored(IgnoredBecause.LVS, "SSL")
            .supportedTopLevelBlock("static_routes", (interpreter, s) -> interpreter.routeLines.readRoutes(s,
                    "static_routes", interpreter.staticRoutes))
            .supportedTopLevelBlock("static_rules", (interpreter, s) -> interpreter.ruleLines.readRules(s,
                    "static_rules", interpreter.staticRules))
            .ignored(IgnoredBecause.STATIC, "static_ipaddress", "track_group")
            .ignored(IgnoredBecause.TRACKING, "vrrp_track_process", "track_file", "vrrp_track_file", "bfd_instance")
            .ignored(IgnoredBecause.TUNING, "garp_group", "linkbeat_interfaces", "interface_up_down_delays")
            .ignored(IgnoredBecause.DAEMON_SETTING, "net_namespace", "net_namespace_ipvs", "namespace_with_ipsets",
                    "use_pid_dir", "instance", "child_wait_time", "linkbeat_use_polling");

    private static final String OWNER = "the configuration";

    private final Diagnostics diagnostics;
    private final GlobalDefsBlock globalDefs;
    private final Values values;
    private final Map<String, VrrpScriptBlock> scripts = new LinkedHashMap<>();
    private final Map<String, VrrpInstanceBlock> instances = new LinkedHashMap<>();
    private final Map<String, SyncGroupBlock> groups = new LinkedHashMap<>();
    private final RouteLines routeLines;
    /** One reader for every rule line: keepalived numbers rules without a preference across the file. */
    private final RuleLines ruleLines;
    private final List<IpRoute> staticRoutes = new ArrayList<>();
    private final List<IpRule> staticRules = new ArrayList<>();

    ConfigInterpreter(Diagnostics diagnostics) {
        this.diagnostics = diagnostics;
        this.globalDefs = new GlobalDefsBlock(diagnostics);
        this.values = new Values(diagnostics);
        this.routeLines = new RouteLines(diagnostics);
        this.ruleLines = new RuleLines(diagnostics);
    }

    KeepalivedConfig interpret(List<Statement> top) {
        // global_defs first, wherever it is in the file, so that its messages come first
        for (Statement s : top) {
            if (s.name().equals("global_defs")) {
                KEYWORDS.read(this, s, OWNER, diagnostics);
            }
        }
        for (Statement s : top) {
            if (!s.name().equals("global_defs")) {
                KEYWORDS.read(this, s, OWNER, diagnostics);
            }
        }
        GlobalDefs globals = globalDefs.build();
        groups.values().forEach(group -> group.resolve(instances));

        Set<String> trackedScripts = new HashSet<>();
        VrrpInstanceBuilder builder = new VrrpInstanceBuilder(diagnostics, globals, globalDefs.vrrpVersionWhere(),
                scripts, trackedScripts);
        List<VrrpInstance> builtInstances = new ArrayList<>();
        for (VrrpInstanceBlock block : instances.values()) {
            VrrpInstance instance = builder.build(block);
            if (instance != null) {
                builtInstances.add(instance);
            }
        }
        checkDistinctVrids(builtInstances);

        List<VrrpScript> builtScripts = new ArrayList<>();
        for (VrrpScriptBlock block : scripts.values()) {
            VrrpScript script = block.build();
            if (script == null) {
                continue;
            }
            builtScripts.add(script);
            if (!trackedScripts.contains(script.name())) {
                diagnostics.warn(script.where(), "vrrp_script", "vrrp_script " + script.name()
                        + " is not tracked by any vrrp_instance; it will not run (keepalived does not run it either)");
            }
        }

        List<String> builtNames = builtInstances.stream().map(VrrpInstance::name).toList();
        List<SyncGroupDef> builtGroups = new ArrayList<>();
        for (SyncGroupBlock block : groups.values()) {
            SyncGroupDef group = block.build(builtNames);
            if (group != null) {
                builtGroups.add(group);
            }
        }
        return new KeepalivedConfig(globals, builtScripts, builtInstances, builtGroups, staticRoutes, staticRules,
                diagnostics.warnings());
    }

    private void vrrpScript(Statement s) {
        String name = values.blockName(s);
        if (name == null) {
            return;
        }
        VrrpScriptBlock first = scripts.get(name);
        if (first != null) {
            diagnostics.error(s.where(), "vrrp_script " + name + " is defined twice (first at " + first.where() + ")");
            return;
        }
        VrrpScriptBlock block = new VrrpScriptBlock(name, s.where(), diagnostics);
        scripts.put(name, block);
        block.read(s);
    }

    private void vrrpInstance(Statement s) {
        String name = values.blockName(s);
        if (name == null) {
            return;
        }
        VrrpInstanceBlock first = instances.get(name);
        if (first != null) {
            diagnostics.error(s.where(), "vrrp_instance " + name + " is defined twice (first at " + first.where + ")");
            return;
        }
        VrrpInstanceBlock block = new VrrpInstanceBlock(name, s.where(), diagnostics, routeLines, ruleLines);
        instances.put(name, block);
        block.read(s);
    }

    private void syncGroup(Statement s) {
        String name = values.blockName(s);
        if (name == null) {
            return;
        }
        SyncGroupBlock first = groups.get(name);
        if (first != null) {
            diagnostics.error(s.where(), "vrrp_sync_group " + name + " is defined twice (first at " + first.where + ")");
            return;
        }
        SyncGroupBlock block = new SyncGroupBlock(name, s.where(), diagnostics);
        groups.put(name, block);
        block.read(s);
    }

    /** A VRID names one virtual router per interface and address family. */
    private void checkDistinctVrids(List<VrrpInstance> built) {
        Map<String, VrrpInstance> byKey = new HashMap<>();
        for (VrrpInstance instance : built) {
            String key = instance.interfaceName() + "/" + instance.family() + "/" + instance.vrid();
            VrrpInstance other = byKey.putIfAbsent(key, instance);
            if (other != null) {
                diagnostics.error(instances.get(instance.name()).seen.get("virtual_router_id"), "virtual_router_id "
                        + instance.vrid() + " of vrrp_instance " + instance.name() + " is already used on "
                        + instance.interfaceName() + " (" + Values.family(instance.isIpv6()) + ") by vrrp_instance "
                        + other.name() + " at " + other.where());
            }
        }
    }
}
