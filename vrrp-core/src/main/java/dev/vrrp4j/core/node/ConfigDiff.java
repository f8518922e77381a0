package dev.vrrp4j.core.node;

import dev.vrrp4j.core.router.RouterConfig;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What changes between the configuration a node runs and a new one, router by router: the pure half
 * of a live reload. Routers are matched by {@link RouterKey} (interface, family, VRID); a router whose
 * key changed is a removal plus an addition, and so is one whose VRRP version changed, since a v2 and a
 * v3 router do not speak the same protocol (RFC 9568 §8.4). A router that is in both with equal
 * settings is {@linkplain #unchanged() unchanged}: a reload must leave its state, timers and addresses
 * alone.
 *
 * @param unchanged routers whose every setting is the same, in the new configuration's order
 * @param changed   routers present in both whose settings differ, in the new configuration's order
 * @param removed   routers only the old configuration has, in its order
 * @param added     routers only the new configuration has, in its order
 */
public record ConfigDiff(List<RouterKey> unchanged, List<Changed> changed, List<RouterSpec> removed,
                         List<RouterSpec> added) {

    /** A setting of a router that a reload applies in place. */
    public enum Change {
        NAME,
        /** RFC 9568 §6.4.3: an Active whose priority drops advertises at once, so a higher Backup can preempt. */
        PRIORITY,
        ADVERT_INTERVAL,
        PREEMPTION,
        ACCEPT_MODE,
        /**
         * Addresses added to or removed from an Active are added to or removed from the interface; one
         * whose install options changed (interface, label, broadcast, scope, no_track) is replaced.
         */
        VIRTUAL_ADDRESSES,
        /** Like {@link #VIRTUAL_ADDRESSES} on the interface, but nothing to advertise. */
        EXCLUDED_ADDRESSES,
        /** Routes or rules removed from an Active are removed, added ones installed; nothing to advertise. */
        ROUTES,
        CHECKSUM_FORM,
        AUTHENTICATION,
        /** auth_hmac keys, active key, anti-replay, window or mode: the router's signer and replay marks start over. */
        AUTH_HMAC,
        SOURCE_ADDRESS,
        UNICAST_PEERS,
        /** Advertisements go to the new group from the next one on; the driver joins it. */
        MULTICAST_GROUP,
        ANNOUNCE_POLICY,
        CHECKS,
        TRACKED_INTERFACES,
        /** The router joined, left or moved between sync groups. */
        SYNC_GROUP
    }

    /** One router in both configurations, and which of its settings differ. */
    public record Changed(RouterSpec before, RouterSpec after, Set<Change> changes) {
        public Changed {
            Objects.requireNonNull(before, "before");
            Objects.requireNonNull(after, "after");
            changes = Set.copyOf(changes);
        }

        public RouterKey key() {
            return after.key();
        }
    }

    public ConfigDiff {
        unchanged = List.copyOf(unchanged);
        changed = List.copyOf(changed);
        removed = List.copyOf(removed);
        added = List.copyOf(added);
    }

    /** The difference from {@code running} to {@code next}. */
    public static ConfigDiff between(NodeConfig running, NodeConfig next) {
        Map<RouterKey, RouterSpec> before = new LinkedHashMap<>();
        for (RouterSpec spec : running.routers()) {
            before.put(spec.key(), spec);
        }
        Map<String, String> groupBefore = groupOfRouter(running);
        Map<String, String> groupAfter = groupOfRouter(next);
        List<RouterKey> unchanged = new ArrayList<>();
        List<Changed> changed = new ArrayList<>();
        List<RouterSpec> added = new ArrayList<>();
        for (RouterSpec after : next.routers()) {
            RouterSpec old = before.remove(after.key());
            if (old == null || old.config().version() != after.config().version()) {
                if (old != null) {
                    before.put(old.key(), old); // reported as removed below
                }
                added.add(after);
                continue;
            }
            Set<Change> changes = changes(old, after);
            if (!Objects.equals(groupBefore.get(old.name()), groupAfter.get(after.name()))) {
                changes.add(Change.SYNC_GROUP);
            }
            if (changes.isEmpty()) {
                unchanged.add(after.key());
            } else {
                changed.add(new Changed(old, after, changes));
            }
        }
        List<RouterSpec> removed = running.routers().stream().filter(spec -> before.containsKey(spec.key())).toList();
        return new ConfigDiff(unchanged, changed, removed, added);
    }

    /** Whether applying the new configuration changes nothing at all. */
    public boolean isEmpty() {
        return changed.isEmpty() && removed.isEmpty() && added.isEmpty();
    }

    private static Set<Change> changes(RouterSpec before, RouterSpec after) {
        Set<Change> changes = EnumSet.noneOf(Change.class);
        RouterConfig a = before.config();
        RouterConfig b = after.config();
        addIf(changes, Change.NAME, !a.name().equals(b.name()));
        addIf(changes, Change.PRIORITY, a.priority() != b.priority());
        addIf(changes, Change.ADVERT_INTERVAL, a.advertIntervalCentis() != b.advertIntervalCentis());
        addIf(changes, Change.PREEMPTION, a.preempt() != b.preempt() || a.preemptDelayMillis() != b.preemptDelayMillis());
        addIf(changes, Change.ACCEPT_MODE, a.acceptMode() != b.acceptMode());
        addIf(changes, Change.VIRTUAL_ADDRESSES, !a.virtualAddresses().equals(b.virtualAddresses()));
        addIf(changes, Change.EXCLUDED_ADDRESSES, !before.excludedAddresses().equals(after.excludedAddresses()));
        addIf(changes, Change.ROUTES, !before.routes().equals(after.routes()) || !before.rules().equals(after.rules()));
        addIf(changes, Change.CHECKSUM_FORM, a.ipv4ChecksumForm() != b.ipv4ChecksumForm());
        addIf(changes, Change.AUTHENTICATION, !Objects.equals(a.authPassword(), b.authPassword()));
        addIf(changes, Change.AUTH_HMAC, !Objects.equals(a.authHmac(), b.authHmac()));
        addIf(changes, Change.SOURCE_ADDRESS, !Objects.equals(before.sourceAddress(), after.sourceAddress()));
        addIf(changes, Change.UNICAST_PEERS, !before.unicastPeers().equals(after.unicastPeers()));
        addIf(changes, Change.MULTICAST_GROUP, !before.multicastDestination().equals(after.multicastDestination()));
        addIf(changes, Change.ANNOUNCE_POLICY, !before.announce().equals(after.announce()));
        addIf(changes, Change.CHECKS, !sameChecks(before.checks(), after.checks()));
        addIf(changes, Change.TRACKED_INTERFACES, !before.trackedInterfaces().equals(after.trackedInterfaces())
                || !Set.copyOf(before.weightedInterfaces()).equals(Set.copyOf(after.weightedInterfaces()))
                || before.trackPrimary() != after.trackPrimary()
                || !before.addressInterfaces().equals(after.addressInterfaces()));
        return changes;
    }

    /** The same checks with the same definitions and weights, in any order. */
    private static boolean sameChecks(List<TrackedCheckSpec> before, List<TrackedCheckSpec> after) {
        if (before.size() != after.size()) {
            return false;
        }
        Map<String, TrackedCheckSpec> byName = new HashMap<>();
        for (TrackedCheckSpec check : before) {
            byName.put(check.name(), check);
        }
        for (TrackedCheckSpec check : after) {
            TrackedCheckSpec old = byName.get(check.name());
            if (old == null || !old.sameDefinition(check) || !old.policy().equals(check.policy())) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, String> groupOfRouter(NodeConfig config) {
        Map<String, String> groupOf = new HashMap<>();
        for (SyncGroupSpec group : config.groups()) {
            for (String member : group.routers()) {
                groupOf.put(member, group.name());
            }
        }
        return groupOf;
    }

    private static void addIf(Set<Change> changes, Change change, boolean condition) {
        if (condition) {
            changes.add(change);
        }
    }
}
