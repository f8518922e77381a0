package dev.vrrp4j.core.node;

import dev.vrrp4j.core.router.IpRoute;
import dev.vrrp4j.core.router.IpRule;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A node's whole configuration: its routers, in order, and its sync groups. The constructor is the
 * one validation of a node's configuration, so a bad one fails where it is built (for an embedding
 * application, in {@code VrrpNode.Builder.build()}), not when sockets open. A router is identified
 * by {@link RouterKey}, so two configurations can be compared router by router.
 *
 * @param staticRoutes routes installed while the node runs, whatever its routers' states (keepalived
 *                     {@code static_routes}): at start, before any router's effect, and removed at shutdown
 * @param staticRules  policy rules likewise (keepalived {@code static_rules}), after the routes
 */
public record NodeConfig(List<RouterSpec> routers, List<SyncGroupSpec> groups, List<IpRoute> staticRoutes,
                         List<IpRule> staticRules) {
    public NodeConfig {
        staticRoutes = List.copyOf(Objects.requireNonNull(staticRoutes, "staticRoutes"));
        staticRules = List.copyOf(Objects.requireNonNull(staticRules, "staticRules"));
        routers = List.copyOf(Objects.requireNonNull(routers, "routers"));
        groups = List.copyOf(Objects.requireNonNull(groups, "groups"));
        if (routers.isEmpty()) {
            throw new IllegalArgumentException("routers: none configured, add at least one with router(...)");
        }
        Set<String> names = new LinkedHashSet<>();
        Set<RouterKey> keys = new HashSet<>();
        Map<String, TrackedCheckSpec> checks = new HashMap<>();
        Map<String, String> checkOwners = new HashMap<>();
        for (RouterSpec spec : routers) {
            String name = spec.name();
            if (!names.add(name)) {
                throw new IllegalArgumentException("routers: name " + name + " is used twice");
            }
            if (!keys.add(spec.key())) {
                throw new IllegalArgumentException("routers: VRID " + spec.config().vrid() + " is used twice for "
                        + spec.config().family() + " on " + spec.interfaceName() + " (router " + name + ")");
            }
            for (TrackedCheckSpec check : spec.checks()) {
                TrackedCheckSpec first = checks.putIfAbsent(check.name(), check);
                if (first == null) {
                    checkOwners.put(check.name(), name);
                } else if (!first.sameDefinition(check)) {
                    throw new IllegalArgumentException("check " + check.name() + " is tracked by "
                            + checkOwners.get(check.name()) + " and " + name
                            + " with different definitions; only the weight may differ");
                }
            }
        }
        Set<String> grouped = new HashSet<>();
        Set<String> groupNames = new HashSet<>();
        for (SyncGroupSpec group : groups) {
            if (!groupNames.add(group.name())) {
                throw new IllegalArgumentException("syncGroup: name " + group.name() + " is used twice");
            }
            for (String member : group.routers()) {
                if (!names.contains(member)) {
                    throw new IllegalArgumentException("syncGroup " + group.name() + ": router " + member
                            + " is not configured (have " + names + ")");
                }
                if (!grouped.add(member)) {
                    throw new IllegalArgumentException("syncGroup " + group.name() + ": router " + member
                            + " is already in another sync group");
                }
            }
        }
    }

    /** A node without static routes and rules. */
    public NodeConfig(List<RouterSpec> routers, List<SyncGroupSpec> groups) {
        this(routers, groups, List.of(), List.of());
    }

    /** The same routers and groups with these static routes and rules. */
    public NodeConfig withStatic(List<IpRoute> routes, List<IpRule> rules) {
        return new NodeConfig(routers, groups, routes, rules);
    }

    /** The router with this identity, or null. */
    public RouterSpec router(RouterKey key) {
        for (RouterSpec spec : routers) {
            if (spec.key().equals(key)) {
                return spec;
            }
        }
        return null;
    }
}
