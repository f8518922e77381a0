package dev.vrrp4j.core.config;

import java.util.List;
import java.util.Objects;

/**
 * A keepalived {@code vrrp_sync_group}: instances that change state together (when one becomes
 * Backup or Fault, all do), with notify scripts of their own.
 *
 * @param name           the group's name
 * @param instances      names of its {@code vrrp_instance}s, in the order given; each exists and is in
 *                       no other group
 * @param notifyCommands the group's notify scripts
 * @param where          the {@code vrrp_sync_group} line
 */
public record SyncGroupDef(String name, List<String> instances, NotifyCommands notifyCommands, SourceLocation where) {
    public SyncGroupDef {
        Objects.requireNonNull(name, "name");
        instances = List.copyOf(instances);
        Objects.requireNonNull(notifyCommands, "notifyCommands");
        Objects.requireNonNull(where, "where");
        if (instances.isEmpty()) {
            throw new IllegalArgumentException("vrrp_sync_group " + name + " has no instances");
        }
    }
}
