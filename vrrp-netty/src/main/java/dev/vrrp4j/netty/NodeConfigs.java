package dev.vrrp4j.netty;

import dev.vrrp4j.core.node.AnnouncePolicy;
import dev.vrrp4j.core.node.NodeConfig;
import dev.vrrp4j.core.node.RouterSpec;
import dev.vrrp4j.core.node.SyncGroupSpec;
import dev.vrrp4j.core.node.TrackedCheckSpec;
import dev.vrrp4j.core.node.TrackedInterfaceSpec;
import dev.vrrp4j.core.router.IpRoute;
import dev.vrrp4j.core.router.IpRule;

import java.util.List;

/**
 * Converts the public API's specifications into the core's node configuration, whose constructor is
 * the one validation of a node's configuration ({@link NodeConfig}). A check's task is the
 * application's {@link HealthCheck} itself, so two routers tracking one check must share the same
 * instance, as before.
 */
final class NodeConfigs {
    private NodeConfigs() {}

    /** The node configuration of these routers and groups; throws what {@link NodeConfig} finds wrong. */
    static NodeConfig of(List<VirtualRouterSpec> routers, List<SyncGroup> groups) {
        return of(routers, groups, List.of(), List.of());
    }

    /** The same with the node's static routes and rules. */
    static NodeConfig of(List<VirtualRouterSpec> routers, List<SyncGroup> groups, List<IpRoute> staticRoutes,
                         List<IpRule> staticRules) {
        return new NodeConfig(routers.stream().map(NodeConfigs::router).toList(),
                groups.stream().map(group -> new SyncGroupSpec(group.name(), group.routers())).toList(),
                staticRoutes, staticRules);
    }

    private static RouterSpec router(VirtualRouterSpec spec) {
        AnnounceSettings announce = spec.announce();
        return new RouterSpec(spec.config(), spec.interfaceName(), spec.sourceAddress(), spec.unicastPeers(),
                new AnnouncePolicy(announce.burstCount(), announce.secondBurstDelay(), announce.refreshInterval(),
                        announce.refreshCount(), announce.lowerPriorityCount(), announce.lowerPriorityDelay(),
                        announce.arpInterval(), announce.naInterval()),
                spec.checks().stream().map(NodeConfigs::check).toList(), spec.trackedInterfaces(),
                spec.excludedAddresses(), spec.interfaceWeights().entrySet().stream()
                        .map(e -> new TrackedInterfaceSpec(e.getKey(), e.getValue())).toList(), spec.multicastGroup(),
                spec.routes(), spec.rules(), spec.trackPrimaryInterface());
    }

    private static TrackedCheckSpec check(TrackedCheck check) {
        return new TrackedCheckSpec(check.name(), check.interval(), check.timeout(), check.policy(), check.check());
    }
}
