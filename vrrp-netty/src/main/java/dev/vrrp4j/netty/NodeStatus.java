package dev.vrrp4j.netty;

import dev.vrrp4j.core.packet.PacketDropReason;

import java.util.List;
import java.util.Map;

/**
 * A snapshot of a whole {@link VrrpNode}: its routers in configuration order, the drops that belong
 * to no router (packets for unknown VRIDs, unreadable packets), how many listener calls failed, and
 * which configuration runs.
 *
 * @param generation 1 for the configuration the node was built with, one more for each
 *                   {@link VrrpNode#reconfigure} that took effect
 */
public record NodeStatus(List<RouterStatus> routers, Map<PacketDropReason, Long> unattributedDrops,
                         long listenerFailures, int generation) {
    public NodeStatus {
        routers = List.copyOf(routers);
        unattributedDrops = Map.copyOf(unattributedDrops);
    }

    /** The router called {@code name}. */
    public RouterStatus router(String name) {
        return routers.stream().filter(r -> r.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no router called " + name));
    }
}
