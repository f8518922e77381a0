package dev.vrrp4j.netty;

import java.util.List;
import java.util.Objects;

/**
 * Virtual routers that move together (keepalived {@code vrrp_sync_group}): when one becomes Active
 * the others follow, when one gives up Active for Backup the others do too, and while any of them is
 * in Fault all of them are. Typical use: the outside and inside VIPs of a router pair, or a VIP and
 * the address its service talks to.
 *
 * @param name    the group's name ({@code VG_1}), reported to the group's listener
 * @param routers the names of its routers, each in at most one group
 */
public record SyncGroup(String name, List<String> routers) {
    public SyncGroup {
        Objects.requireNonNull(name, "name");
        routers = List.copyOf(Objects.requireNonNull(routers, "routers"));
        if (name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank");
        }
        if (routers.isEmpty()) {
            throw new IllegalArgumentException("routers of sync group " + name + ": none given, expected 1..255");
        }
        if (routers.stream().distinct().count() != routers.size()) {
            throw new IllegalArgumentException("routers of sync group " + name + " name a router twice: " + routers);
        }
    }
}
