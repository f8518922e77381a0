package dev.vrrp4j.core.node;

import java.util.List;
import java.util.Objects;

/**
 * Routers that move together (keepalived {@code vrrp_sync_group}, not part of RFC 9568).
 *
 * @param name    the group's name
 * @param routers the names of its routers
 */
public record SyncGroupSpec(String name, List<String> routers) {
    public SyncGroupSpec {
        Objects.requireNonNull(name, "name");
        routers = List.copyOf(Objects.requireNonNull(routers, "routers"));
    }
}
