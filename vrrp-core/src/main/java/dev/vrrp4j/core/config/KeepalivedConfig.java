package dev.vrrp4j.core.config;

import dev.vrrp4j.core.router.IpRoute;
import dev.vrrp4j.core.router.IpRule;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The VRRP part of a keepalived configuration, as read by {@link KeepalivedConfigParser}: global
 * definitions, health-check scripts, instances and sync groups, all in file order, plus the
 * warnings about what was accepted but is not acted on.
 *
 * @param globals    {@code global_defs}
 * @param scripts    {@code vrrp_script}s
 * @param instances  {@code vrrp_instance}s
 * @param syncGroups {@code vrrp_sync_group}s
 * @param staticRoutes {@code static_routes}: installed while the node runs, whatever its routers' states
 * @param staticRules  {@code static_rules}: likewise
 * @param warnings   what vrrp4j ignores or adjusts; log these
 */
public record KeepalivedConfig(
        GlobalDefs globals,
        List<VrrpScript> scripts,
        List<VrrpInstance> instances,
        List<SyncGroupDef> syncGroups,
        List<IpRoute> staticRoutes,
        List<IpRule> staticRules,
        List<ConfigWarning> warnings) {

    public KeepalivedConfig {
        Objects.requireNonNull(globals, "globals");
        scripts = List.copyOf(scripts);
        instances = List.copyOf(instances);
        syncGroups = List.copyOf(syncGroups);
        staticRoutes = List.copyOf(staticRoutes);
        staticRules = List.copyOf(staticRules);
        warnings = List.copyOf(warnings);
    }

    /** A configuration without {@code static_routes} and {@code static_rules}. */
    public KeepalivedConfig(GlobalDefs globals, List<VrrpScript> scripts, List<VrrpInstance> instances,
                            List<SyncGroupDef> syncGroups, List<ConfigWarning> warnings) {
        this(globals, scripts, instances, syncGroups, List.of(), List.of(), warnings);
    }

    /** The {@code vrrp_script} with this name. */
    public Optional<VrrpScript> script(String name) {
        return scripts.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** The {@code vrrp_instance} with this name. */
    public Optional<VrrpInstance> instance(String name) {
        return instances.stream().filter(i -> i.name().equals(name)).findFirst();
    }

    /** The sync group the named instance belongs to, if any. */
    public Optional<SyncGroupDef> syncGroupOf(String instanceName) {
        return syncGroups.stream().filter(g -> g.instances().contains(instanceName)).findFirst();
    }
}
