package dev.vrrp4j.core.node;

import dev.vrrp4j.core.health.TrackedPriority;
import dev.vrrp4j.core.packet.AddressFamily;
import dev.vrrp4j.core.packet.Advertisement;
import dev.vrrp4j.core.packet.AdvertisementCodec;
import dev.vrrp4j.core.packet.HmacAuthenticator;
import dev.vrrp4j.core.packet.HmacSettings;
import dev.vrrp4j.core.packet.MalformedPacketException;
import dev.vrrp4j.core.packet.PacketDropReason;
import dev.vrrp4j.core.router.Action;
import dev.vrrp4j.core.router.State;
import dev.vrrp4j.core.router.TransitionReason;
import dev.vrrp4j.core.router.VirtualAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * All virtual routers of one node, sans-I/O: quinn-proto's {@code Endpoint} to the
 * {@link dev.vrrp4j.core.router.VirtualRouter}'s {@code Connection}.
 *
 * <p>Inputs are {@code handle…} calls that carry the time as monotonic nanoseconds: a received
 * packet (decoded here, handed to the router its interface, family and VRID name), a link change,
 * a check result, an ARP address conflict, a timeout, start and shutdown. Outputs are
 * {@link NodeEffect}s, taken with {@link #poll()} after every input and performed in order, and
 * the earliest deadline ({@link #hasDeadline()}, {@link #nextDeadlineNanos()}). The node never
 * reads a clock, sleeps, starts a thread or opens a socket.
 *
 * <p>Beyond demultiplexing it owns the policy that spans routers: the unicast peer allowlist, the
 * drop accounting (per router where the packet's VRID names one, per node otherwise; the first drop
 * of each reason at WARN, later ones at DEBUG), tracking (weighted checks and interfaces adjust the
 * priority; a failing zero-weight check, the router's own link or an unweighted tracked interface
 * being down puts it in Fault) and sync groups (keepalived {@code vrrp_sync_group}: members follow each other into and out
 * of Active, and all are in Fault while one is).
 *
 * <p>A live reload is {@link #reconfigure}: routers are matched by {@link RouterKey}
 * ({@link ConfigDiff}); an unchanged one is left alone, a changed one keeps its state and timers and
 * takes its new settings in place, a removed one leaves as at shutdown and an added one starts.
 * Interfaces that appear or vanish enter through {@link #handleLinkChange} with
 * {@link LinkState#REMOVED} today.
 *
 * <p>Confined to one thread. A Backup receiving its Active's advertisement and an Active's periodic
 * send allocate nothing.
 */
public final class Node {
    private static final Logger LOG = LoggerFactory.getLogger(Node.class);
    private static final PacketDropReason[] REASONS = PacketDropReason.values();

    private NodeConfig config;
    private int generation = 1;
    private final List<NodeRouter> routers = new ArrayList<>();
    /** The next {@link NodeRouter#index()}. */
    private int nextIndex;
    /** The second half of a reload, done once the removed routers' effects are all out ({@link #poll()}). */
    private PendingReload pendingReload;
    /** Effects of no router's queue (a reload's, the static routes' at start), handed out before any router's. */
    private final ArrayDeque<NodeEffect> reloadEffects = new ArrayDeque<>();
    /** Effects handed out once every router's are: the static routes' removal at shutdown, a group's re-announcements. */
    private final ArrayDeque<NodeEffect> lastEffects = new ArrayDeque<>();
    private final Map<String, NodeInterface> interfaces = new LinkedHashMap<>();
    private final Map<String, TrackedLink> trackedLinks = new LinkedHashMap<>();
    private final Map<String, TrackedCheck> checks = new LinkedHashMap<>();
    /** Routers whose actions are still to be taken, in order. */
    private final ArrayDeque<NodeRouter> work = new ArrayDeque<>(64);
    private NodeRouter draining;
    /** The latest state change {@link #draining} handed out. */
    private Action.StateChanged drainingChange;
    private final Advertisement received = new Advertisement();
    private final byte[] sourceScratch = new byte[16];
    /** Drops that belong to no configured router (unknown VRID, unreadable packets). */
    private final AtomicLongArray nodeDrops = new AtomicLongArray(REASONS.length);
    private final AtomicLongArray firstDropLogged = new AtomicLongArray(REASONS.length);
    private boolean started;
    private boolean closed;
    /** UTC time for the auth_hmac sequence numbers and freshness window; {@link #NO_UTC_CLOCK} if none was given. */
    private final InstantSource utcClock;

    /** Stands in for a UTC clock when the node was built without one: no router may then use auth_hmac. */
    private static final InstantSource NO_UTC_CLOCK = () -> {
        throw new IllegalStateException("no UTC clock: a node whose routers use auth_hmac is built with Node(config, clock)");
    };

    /**
     * @param config a configuration whose every router has its source address resolved
     * @throws IllegalArgumentException if one has none
     */
    public Node(NodeConfig config) {
        this(config, NO_UTC_CLOCK);
    }

    /**
     * @param config   a configuration whose every router has its source address resolved
     * @param utcClock the UTC time (milliseconds since the epoch: {@link InstantSource#millis()}) that
     *                 auth_hmac sequence numbers carry and its freshness window is checked against
     *                 (draft-cassen-vrrp-auth-hmac); the driver passes the system clock, a test a
     *                 simulated one. Read only for routers with {@link dev.vrrp4j.core.router.RouterConfig#authHmac()}.
     * @throws IllegalArgumentException if a router has no source address
     */
    public Node(NodeConfig config, InstantSource utcClock) {
        requireResolved(config);
        this.utcClock = java.util.Objects.requireNonNull(utcClock, "utcClock");
        requireUtcClock(config);
        this.config = config;
        for (RouterSpec spec : config.routers()) {
            routers.add(newRouter(spec));
        }
        linkTracking(config.groups());
    }

    private static void requireResolved(NodeConfig config) {
        for (RouterSpec spec : config.routers()) {
            if (spec.sourceAddress() == null) {
                throw new IllegalArgumentException("router " + spec.name()
                        + ": sourceAddress is not resolved; the driver must resolve it before building the node");
            }
        }
    }

    private void requireUtcClock(NodeConfig config) {
        if (utcClock != NO_UTC_CLOCK) {
            return;
        }
        for (RouterSpec spec : config.routers()) {
            if (spec.config().hasAuthHmac()) {
                throw new IllegalArgumentException("router " + spec.name() + " uses auth_hmac, whose sequence numbers"
                        + " are UTC time: build the node with Node(config, utcClock)");
            }
        }
    }

    /** A router in its interface's table, not yet in {@link #routers}. */
    private NodeRouter newRouter(RouterSpec spec) {
        NodeInterface iface = interfaces.computeIfAbsent(spec.interfaceName(), NodeInterface::new);
        NodeRouter router = new NodeRouter(nextIndex++, spec, iface, utcClock);
        iface.table(spec.config().family())[spec.config().vrid()] = router;
        iface.routers.add(router);
        return router;
    }

    /**
     * (Re)builds what spans routers from their specs: the checks and tracked interfaces they track
     * and the sync groups. A check whose definition and policy are unchanged keeps its rise/fall
     * state, a tracked interface its link state, a group its last reported state.
     */
    private void linkTracking(List<SyncGroupSpec> groups) {
        Map<String, TrackedCheck> oldChecks = new HashMap<>(checks);
        Map<String, TrackedLink> oldLinks = new HashMap<>(trackedLinks);
        Map<String, SyncGroupState> oldGroups = new HashMap<>();
        checks.clear();
        trackedLinks.clear();
        for (NodeRouter router : routers) {
            if (router.group != null) {
                oldGroups.put(router.group.name, router.group);
            }
            router.tracked.clear();
            router.links.clear();
            router.weightedLinks.clear();
            router.group = null;
            RouterSpec spec = router.spec();
            for (TrackedCheckSpec check : spec.checks()) {
                TrackedCheck tracked = checks.computeIfAbsent(check.name(), name -> {
                    TrackedCheck old = oldChecks.get(name);
                    return old != null && old.spec.sameDefinition(check) && old.spec.policy().equals(check.policy())
                            ? old.reset() : new TrackedCheck(check);
                });
                tracked.routers.add(router);
                router.tracked.add(new TrackedPriority.Tracked(tracked.state, check.policy().weight()));
            }
            for (String name : faultInterfaces(spec)) {
                if (name.equals(spec.interfaceName())) {
                    continue; // its own interface is always tracked
                }
                TrackedLink link = trackedLinks.computeIfAbsent(name, n -> {
                    TrackedLink old = oldLinks.get(n);
                    return old != null ? old.reset() : new TrackedLink(n);
                });
                link.routers.add(router);
                router.links.add(link);
            }
            for (TrackedInterfaceSpec weighted : spec.weightedInterfaces()) {
                if (weighted.name().equals(spec.interfaceName())) {
                    continue; // keepalived ignores its own interface, whatever the weight: its link means Fault
                }
                TrackedLink link = trackedLinks.computeIfAbsent(weighted.name(), n -> {
                    TrackedLink old = oldLinks.get(n);
                    return old != null ? old.reset() : new TrackedLink(n);
                });
                link.routers.add(router);
                router.weightedLinks.add(new TrackedLink.Weighted(link, weighted.weight()));
            }
        }
        for (SyncGroupSpec group : groups) {
            SyncGroupState state = new SyncGroupState(group.name());
            SyncGroupState old = oldGroups.get(group.name());
            if (old != null) {
                state.reported = old.reported;
                state.lastReason = old.lastReason;
            }
            for (String member : group.routers()) {
                for (NodeRouter router : routers) {
                    if (router.name().equals(member)) {
                        router.group = state;
                        state.members.add(router);
                    }
                }
            }
        }
    }

    /** The interfaces whose link going down puts the router in Fault: keepalived's track_interface, then those of its addresses. */
    private static List<String> faultInterfaces(RouterSpec spec) {
        List<String> byAddress = spec.addressInterfaces();
        if (byAddress.isEmpty()) {
            return spec.trackedInterfaces();
        }
        List<String> names = new ArrayList<>(spec.trackedInterfaces());
        names.addAll(byAddress);
        return names;
    }

    public NodeConfig config() {
        return config;
    }

    /** 1 for the configuration the node was built with, one more for each {@link #reconfigure}. */
    public int generation() {
        return generation;
    }

    /** One more than the highest {@link NodeRouter#index()} handed out: the size of a driver's per-router array. */
    public int routerSlots() {
        return nextIndex;
    }

    /** The routers, in configuration order ({@link NodeRouter#index()}). */
    public List<NodeRouter> routers() {
        return Collections.unmodifiableList(routers);
    }

    /** The interfaces routers run on, in order of first use. */
    public List<NodeInterface> interfaces() {
        return List.copyOf(interfaces.values());
    }

    /** The interface called {@code name}, or null if no router runs on it. */
    public NodeInterface networkInterface(String name) {
        return interfaces.get(name);
    }

    /** Interfaces routers track besides their own (keepalived track_interface), for the driver to watch. */
    public List<String> trackedInterfaces() {
        return List.copyOf(trackedLinks.keySet());
    }

    /** The distinct checks routers track, each as first configured: the driver runs these. */
    public List<TrackedCheckSpec> checks() {
        return checks.values().stream().map(c -> c.spec).toList();
    }

    /** Drops that could not be attributed to a configured router, by reason. Safe from any thread. */
    public Map<PacketDropReason, Long> unattributedDrops() {
        Map<PacketDropReason, Long> map = new EnumMap<>(PacketDropReason.class);
        for (PacketDropReason reason : REASONS) {
            long count = nodeDrops.get(reason.ordinal());
            if (count != 0) {
                map.put(reason, count);
            }
        }
        return map;
    }

    // ------------------------------------------------------------------ outputs

    /**
     * The next effect to perform, or null when there is none; call it until null after every input.
     * Allocates nothing for an advertisement to send or an address change.
     */
    public NodeEffect poll() {
        while (true) {
            if (draining == null) {
                if (!reloadEffects.isEmpty()) {
                    return reloadEffects.pollFirst();
                }
                if (pendingReload != null && work.isEmpty()) {
                    finishReload();
                    continue;
                }
                draining = work.pollFirst();
                if (draining == null) {
                    return lastEffects.pollFirst();
                }
                drainingChange = null;
            }
            NodeRouter router = draining;
            Action action = router.router.pollAction();
            if (action != null) {
                return effectOf(router, action);
            }
            draining = null;
            NodeEffect reported = finished(router, drainingChange);
            if (reported != null) {
                return reported;
            }
        }
    }

    /** Whether any router has a timer running. */
    public boolean hasDeadline() {
        for (int i = 0; i < routers.size(); i++) {
            if (routers.get(i).router.hasDeadline()) {
                return true;
            }
        }
        return false;
    }

    /** The earliest deadline of all routers; meaningful only while {@link #hasDeadline()}. */
    public long nextDeadlineNanos() {
        boolean any = false;
        long earliest = 0;
        for (int i = 0; i < routers.size(); i++) {
            NodeRouter router = routers.get(i);
            if (router.router.hasDeadline()) {
                long deadline = router.router.nextDeadlineNanos();
                if (!any || deadline - earliest < 0) {
                    earliest = deadline;
                    any = true;
                }
            }
        }
        return earliest;
    }

    /** Whether a Backup's Active_Down_Timer is due at {@code nowNanos}: it is about to declare its Active dead. */
    public boolean backupTimeoutDue(long nowNanos) {
        for (int i = 0; i < routers.size(); i++) {
            NodeRouter router = routers.get(i);
            if (router.state() == State.BACKUP && router.router.hasDeadline()
                    && nowNanos - router.router.nextDeadlineNanos() >= 0) {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ lifecycle

    /**
     * RFC 9568 §6.4.1 Startup for every router, then what the links and checks say (a router whose
     * link is down goes to Fault). Link states learned before this call are the starting point.
     */
    public void handleStart(long nowNanos) {
        if (started) {
            throw new IllegalStateException("node already started");
        }
        started = true;
        NodeEffect.UpdateRoutes statics = NodeEffect.UpdateRoutes.between(null, List.of(), config.staticRoutes(),
                List.of(), config.staticRules());
        if (!statics.isEmpty()) {
            reloadEffects.add(statics);
        }
        for (NodeRouter router : routers) {
            router.router.handleStart(nowNanos);
            if (!router.networkInterface().linkUp) {
                LOG.warn("{}: interface {} is down at startup", router.name(), router.networkInterface().name());
            }
            enqueue(router);
        }
        for (NodeRouter router : routers) {
            updateConditions(router, nowNanos);
        }
    }

    /**
     * RFC 9568 §6.4.3 Shutdown for every router (an Active sends priority 0 and removes its
     * addresses); check results after it are ignored.
     */
    public void handleShutdown(long nowNanos) {
        for (NodeRouter router : routers) {
            try {
                router.router.handleShutdown(nowNanos);
                enqueue(router);
            } catch (RuntimeException e) {
                LOG.error("{}: shutdown failed", router.name(), e);
            }
        }
        NodeEffect.UpdateRoutes statics = NodeEffect.UpdateRoutes.between(null, config.staticRoutes(), List.of(),
                config.staticRules(), List.of());
        if (started && !closed && !statics.isEmpty()) {
            lastEffects.add(statics);
        }
        closed = true;
    }

    // ------------------------------------------------------------------ live reload

    /** @param statics the change of the static routes and rules, empty before start */
    private record PendingReload(long nowNanos, NodeConfig next, ConfigDiff diff, List<NodeRouter> removed,
                                 NodeEffect.UpdateRoutes statics) {}

    /**
     * A live reload to {@code next}, whose every router has its source address resolved (as for the
     * constructor). Routers are matched by {@link RouterKey} ({@link ConfigDiff#between}):
     * <ul>
     * <li>unchanged: nothing happens to it, no effect at all (no advertisement, no announcement, no
     *     transition);</li>
     * <li>changed: it keeps its state, timers and the Active last heard, and takes the new settings in
     *     place with RFC 9568's consequences. Priority, interval, addresses: an Active advertises at
     *     once (§6.4.3), so a Backup that now has the higher priority stops accepting it from then on
     *     and takes over when its Active_Down_Timer runs out (§6.4.2); an
     *     Active's removed addresses leave the interface and its new ones are installed and announced
     *     ({@link NodeEffect.UpdateVirtualAddresses}), and so are its changed routes and rules
     *     ({@link NodeEffect.UpdateRoutes}, after the addresses; the node's static ones likewise).
     *     Checks, tracked interfaces and sync groups are re-linked (an unchanged check keeps its
     *     state) and the router's conditions re-applied, which may move it into or out of Fault or
     *     change its effective priority;</li>
     * <li>removed: it leaves as at shutdown (§6.4.3: an Active sends priority 0 and removes its
     *     addresses);</li>
     * <li>added: it starts as at node start (§6.4.1).</li>
     * </ul>
     * The effects come out of {@link #poll()} in that order: the removed routers' first, then
     * {@link NodeEffect.Reconfigured}, then the changed and added routers'.
     *
     * @return what changed
     * @throws IllegalArgumentException if a router of {@code next} has no resolved source address
     * @throws IllegalStateException    after shutdown, or while a reload's effects are still to be taken
     */
    public ConfigDiff reconfigure(long nowNanos, NodeConfig next) {
        requireResolved(next);
        requireUtcClock(next);
        if (closed) {
            throw new IllegalStateException("node is shut down");
        }
        if (pendingReload != null) {
            throw new IllegalStateException("the previous reload's effects have not all been taken (poll())");
        }
        ConfigDiff diff = ConfigDiff.between(config, next);
        List<NodeRouter> removed = new ArrayList<>();
        for (RouterSpec spec : diff.removed()) {
            NodeRouter router = byKey(spec.key());
            removed.add(router);
            routers.remove(router);
            NodeInterface iface = router.networkInterface();
            iface.table(router.config().family())[router.config().vrid()] = null;
            iface.routers.remove(router);
            if (started) {
                router.router.handleShutdown(nowNanos);
                enqueue(router);
            }
        }
        NodeEffect.UpdateRoutes statics = NodeEffect.UpdateRoutes.between(null,
                started ? config.staticRoutes() : List.of(), started ? next.staticRoutes() : List.of(),
                started ? config.staticRules() : List.of(), started ? next.staticRules() : List.of());
        config = next;
        generation++;
        pendingReload = new PendingReload(nowNanos, next, diff, removed, statics);
        if (diff.isEmpty()) {
            LOG.info("configuration generation {}: no router changed", generation);
        } else {
            LOG.info("configuration generation {}: {} unchanged, {} changed, {} added, {} removed", generation,
                    diff.unchanged().size(), diff.changed().size(), diff.added().size(), diff.removed().size());
        }
        return diff;
    }

    /** The second half of {@link #reconfigure}, once the removed routers' effects are out. */
    private void finishReload() {
        PendingReload reload = pendingReload;
        pendingReload = null;
        long now = reload.nowNanos();
        Map<RouterKey, NodeRouter> kept = new HashMap<>();
        for (NodeRouter router : routers) {
            kept.put(router.spec().key(), router);
        }
        List<NodeRouter> added = new ArrayList<>();
        List<NodeRouter> order = new ArrayList<>();
        for (RouterSpec spec : reload.next().routers()) {
            NodeRouter router = kept.get(spec.key());
            if (router == null) {
                router = newRouter(spec);
                added.add(router);
            }
            order.add(router);
        }
        List<NodeRouter> changed = new ArrayList<>();
        List<NodeEffect> addressChanges = new ArrayList<>();
        List<NodeEffect> routeChanges = new ArrayList<>();
        for (ConfigDiff.Changed change : reload.diff().changed()) {
            NodeRouter router = kept.get(change.key());
            if (router.state() == State.ACTIVE && change.changes().contains(ConfigDiff.Change.ROUTES)) {
                // After the addresses: a new route may take one of them as its source.
                routeChanges.add(NodeEffect.UpdateRoutes.between(router, change.before().routes(),
                        change.after().routes(), change.before().rules(), change.after().rules()));
            }
            if (router.state() == State.ACTIVE && (change.changes().contains(ConfigDiff.Change.VIRTUAL_ADDRESSES)
                    || change.changes().contains(ConfigDiff.Change.EXCLUDED_ADDRESSES))) {
                // Over both lists: an address moved between them stays on the interface.
                List<VirtualAddress> before = change.before().installedAddresses();
                List<VirtualAddress> after = change.after().installedAddresses();
                addressChanges.add(new NodeEffect.UpdateVirtualAddresses(router,
                        before.stream().filter(a -> !after.contains(a)).toList(),
                        after.stream().filter(a -> !before.contains(a)).toList()));
            }
            router.update(now, change.after());
            changed.add(router);
        }
        routers.clear();
        routers.addAll(order);
        // After the additions: an interface that lost its routers and got new ones is the same one.
        interfaces.values().removeIf(iface -> iface.routers.isEmpty());
        linkTracking(reload.next().groups());
        reloadEffects.add(new NodeEffect.Reconfigured(reload.diff(), generation, reload.removed(), added));
        reloadEffects.addAll(addressChanges);
        reloadEffects.addAll(routeChanges);
        if (!reload.statics().isEmpty()) {
            reloadEffects.add(reload.statics());
        }
        if (!started) {
            return;
        }
        for (NodeRouter router : added) {
            router.router.handleStart(now);
            enqueue(router);
        }
        for (NodeRouter router : changed) {
            enqueue(router); // what reconfigure itself decided (an address owner going Active)
        }
        List<NodeRouter> conditions = new ArrayList<>(changed);
        conditions.addAll(added);
        for (NodeRouter router : conditions) {
            updateConditions(router, now);
        }
        for (ConfigDiff.Changed change : reload.diff().changed()) {
            var changes = change.changes();
            if (changes.contains(ConfigDiff.Change.PRIORITY) || changes.contains(ConfigDiff.Change.ADVERT_INTERVAL)
                    || changes.contains(ConfigDiff.Change.VIRTUAL_ADDRESSES)) {
                NodeRouter router = kept.get(change.key());
                router.router.advertiseNow(now);
                enqueue(router);
            }
        }
    }

    private NodeRouter byKey(RouterKey key) {
        for (NodeRouter router : routers) {
            if (router.spec().key().equals(key)) {
                return router;
            }
        }
        throw new IllegalStateException("no router " + key);
    }

    /** Fires every router timer due at {@code nowNanos}; an early call does nothing. */
    public void handleTimeout(long nowNanos) {
        for (int i = 0; i < routers.size(); i++) {
            NodeRouter router = routers.get(i);
            if (router.router.hasDeadline() && nowNanos - router.router.nextDeadlineNanos() >= 0) {
                router.router.handleTimeout(nowNanos);
                enqueue(router);
            }
        }
    }

    // ------------------------------------------------------------------ packets

    /**
     * A packet from a raw VRRP socket. It is decoded, handed to the router its VRID names on that
     * interface and family, or dropped and counted; our own looped-back advertisements are ignored.
     * Allocates nothing for a well-formed advertisement from an accepted source.
     *
     * @param arrivalNanos when the packet arrived (the kernel's stamp), the router's "now": RFC 9568
     *                     §6.4.2 restarts the Active_Down_Timer from the arrival, not from the read
     * @param packet       IPv4: the whole packet from the IP header on; IPv6: the VRRP message
     * @param source       IPv6: the source address (ancillary data); ignored for IPv4
     * @param destination  IPv6: the destination address; ignored for IPv4
     * @param ttl          IPv6: the hop limit; ignored for IPv4
     */
    public void handlePacket(long arrivalNanos, NodeInterface iface, AddressFamily family, ByteBuffer packet,
                             byte[] source, byte[] destination, int ttl) {
        try {
            if (family == AddressFamily.IPV4) {
                AdvertisementCodec.decodeIpv4Packet(packet, received);
            } else {
                AdvertisementCodec.decodeMessage(packet, family, source, destination, ttl, false, received);
            }
        } catch (MalformedPacketException e) {
            drop(attribute(iface, family, packet), e.reason(), e.getMessage());
            return;
        }
        NodeRouter router = iface.table(family)[received.vrid()];
        if (router == null) {
            drop(null, PacketDropReason.VRID_MISMATCH, "no router for VRID " + received.vrid() + " on " + iface.name());
            return;
        }
        if (received.compareSourceTo(router.sourceBytes()) == 0) {
            return; // our own advertisement, looped back
        }
        received.copySource(sourceScratch);
        if (!router.acceptsSource(sourceScratch)) {
            drop(router, PacketDropReason.UNKNOWN_PEER, "advertisement from " + received.sourceAddress().getHostAddress()
                    + ", which is not a unicast peer of " + router.name());
            return;
        }
        HmacAuthenticator hmac = router.hmac();
        if (hmac != null && received.version() == router.config().version() && !authenticated(router, hmac, packet)) {
            return; // a version mismatch is left to the router, which drops it as keepalived does, before auth
        }
        router.router.handleAdvertisement(arrivalNanos, received);
        enqueue(router);
    }

    /**
     * draft-cassen-vrrp-auth-hmac, as keepalived 2.4.3 receives: the trailer is there when exactly 28
     * bytes follow the message. Without one, enforce mode drops the advertisement and the migration
     * modes let it through (counted); with one, it must verify, be fresh and be new from its sender.
     * Allocates nothing unless it drops.
     */
    private boolean authenticated(NodeRouter router, HmacAuthenticator hmac, ByteBuffer packet) {
        if (received.trailingBytes() != HmacAuthenticator.TRAILER_LENGTH) {
            if (hmac.settings().mode() == HmacSettings.Mode.ENFORCE) {
                drop(router, PacketDropReason.HMAC_MISSING, "advertisement from "
                        + received.sourceAddress().getHostAddress() + " for " + router.name()
                        + " has no auth_hmac trailer (" + received.trailingBytes() + " bytes after the message, expected "
                        + HmacAuthenticator.TRAILER_LENGTH + ") and auth_hmac mode is enforce");
                return false;
            }
            router.counters().unsignedAccepted();
            return true;
        }
        PacketDropReason reason = hmac.verify(packet, received.messageOffset(), received.messageLength(),
                received.family(), received.version(), received.vrid(), sourceScratch, utcClock.millis());
        if (reason != null) {
            drop(router, reason, "advertisement from " + received.sourceAddress().getHostAddress() + " for "
                    + router.name() + ": " + hmacDetail(reason));
            return false;
        }
        return true;
    }

    private static String hmacDetail(PacketDropReason reason) {
        return switch (reason) {
            case HMAC_MALFORMED -> "auth_hmac trailer of an unknown scheme or with a non-zero reserved field";
            case HMAC_UNKNOWN_KEY -> "auth_hmac trailer names a key id that is not configured";
            case HMAC_INVALID -> "auth_hmac HMAC does not match (another key, or a forgery)";
            case HMAC_STALE -> "auth_hmac timestamp outside time_window of this node's clock (clock skew or replay)";
            case HMAC_REPLAYED -> "auth_hmac sequence number not above the last one accepted from it (replay)";
            default -> reason.name();
        };
    }

    /** A packet the socket truncated (larger than the receive buffer): dropped and counted for the node. */
    public void handleTruncatedPacket(NodeInterface iface, int packetLength) {
        drop(null, PacketDropReason.TRUNCATED, "packet of " + packetLength + " bytes was truncated");
    }

    /** An ARP frame on {@code iface} that could not be read: dropped and counted for the node. */
    public void handleMalformedArp(NodeInterface iface) {
        drop(null, PacketDropReason.MALFORMED_ARP, "malformed ARP frame on " + iface.name());
    }

    /** The router a malformed packet was meant for, if its VRID byte can be read; else null. */
    private static NodeRouter attribute(NodeInterface iface, AddressFamily family, ByteBuffer packet) {
        int offset = packet.position();
        if (family == AddressFamily.IPV4) {
            if (packet.remaining() < 1) {
                return null;
            }
            offset += (packet.get(offset) & 0x0f) * 4;
        }
        return offset + 1 < packet.limit() ? iface.table(family)[packet.get(offset + 1) & 0xff] : null;
    }

    private void drop(NodeRouter router, PacketDropReason reason, String detail) {
        if (router != null) {
            router.counters().drop(reason);
        } else {
            nodeDrops.incrementAndGet(reason.ordinal());
        }
        if (firstDropLogged.compareAndSet(reason.ordinal(), 0, 1)) {
            LOG.warn("dropped a packet{}: {} (further {} drops are logged at debug level)",
                    router == null ? "" : " for " + router.name(), detail, reason);
        } else {
            LOG.debug("dropped a packet: {}", detail);
        }
    }

    /**
     * Another host's ARP on {@code iface} (the driver filters out our own MAC): each Active IPv4
     * router on it checks whether the sender claims one of its virtual addresses (split brain).
     *
     * @param senderAddress the ARP sender's IPv4 address, 4 bytes
     * @param senderMac     its MAC, 48 bits
     */
    public void handleAddressConflict(long nowNanos, NodeInterface iface, byte[] senderAddress, long senderMac) {
        List<NodeRouter> onInterface = iface.routers;
        for (int i = 0; i < onInterface.size(); i++) {
            NodeRouter router = onInterface.get(i);
            if (router.state() == State.ACTIVE && router.config().family() == AddressFamily.IPV4) {
                try {
                    router.router.handleAddressConflict(nowNanos, senderAddress, senderMac);
                    enqueue(router);
                } catch (RuntimeException e) {
                    LOG.error("{}: failed to handle an ARP packet", router.name(), e);
                }
            }
        }
    }

    // ------------------------------------------------------------------ tracking

    /**
     * The link of a router's own interface changed. Before {@link #handleStart} this only sets the
     * starting state. {@link LinkState#REMOVED} counts as down; it is also where an interface that
     * vanishes (or, with a later input, appears) will be handled.
     */
    public void handleLinkChange(long nowNanos, NodeInterface iface, LinkState state) {
        boolean present = state != LinkState.REMOVED;
        if (state.up() == iface.linkUp && present == iface.present) {
            return;
        }
        iface.linkUp = state.up();
        iface.present = present;
        if (!started) {
            return;
        }
        LOG.info("interface {} is {}", iface.name(), state);
        for (NodeRouter router : iface.routers) {
            updateConditions(router, nowNanos);
        }
    }

    /**
     * The link of a tracked interface ({@link #trackedInterfaces()}) changed; an unknown name is
     * ignored. Before {@link #handleStart} this only sets the starting state.
     */
    public void handleTrackedInterfaceChange(long nowNanos, String name, LinkState state) {
        TrackedLink link = trackedLinks.get(name);
        if (link == null || state.up() == link.up) {
            return;
        }
        link.up = state.up();
        if (!started) {
            return;
        }
        LOG.info("tracked interface {} is {}", name, state);
        for (NodeRouter router : link.routers) {
            updateConditions(router, nowNanos);
        }
    }

    /**
     * One result of the check called {@code name} (keepalived rise/fall: the status changes after
     * {@code rise} successes or {@code fall} failures in a row). Ignored before start, after
     * shutdown, and for an unknown name.
     */
    public void handleCheckResult(long nowNanos, String name, boolean healthy) {
        TrackedCheck check = checks.get(name);
        if (check == null || !started || closed || !check.state.record(healthy)) {
            return;
        }
        LOG.info("check {} is now {}", name, healthy ? "healthy" : "failing");
        for (NodeRouter router : check.routers) {
            updateConditions(router, nowNanos);
        }
    }

    /**
     * Applies what the checks, the links and the sync group say: the effective priority (keepalived
     * track_script weights) and whether the router (and, through its sync group, its partners)
     * belongs in Fault.
     */
    private void updateConditions(NodeRouter router, long nowNanos) {
        if (!router.config().isOwner()) {
            int priority = TrackedPriority.effectivePriority(router.config().priority(), router.tracked,
                    router.linkWeights());
            if (priority != router.priority()) {
                router.router.setPriority(nowNanos, priority);
            }
        }
        List<NodeRouter> affected = router.group == null ? List.of(router) : router.group.members;
        for (NodeRouter member : affected) {
            boolean fault = member.ownFault();
            if (member.group != null) {
                for (NodeRouter other : member.group.members) {
                    fault |= other != member && other.ownFault();
                }
            }
            State state = member.state();
            if (fault && state != State.FAULT && state != State.INITIALIZE) {
                member.router.handleFault(nowNanos);
            } else if (!fault && state == State.FAULT) {
                member.router.handleFaultCleared(nowNanos);
            }
            enqueueMember(member);
        }
    }

    // ------------------------------------------------------------------ effects

    /**
     * Queues a router whose input may have produced actions. They are taken from it only in
     * {@link #poll()}, one at a time: the router logs a state change when it hands it out, and that
     * (cold, ~1 ms) line must come after a new Active's first advertisement has left, not before.
     */
    private void enqueue(NodeRouter router) {
        work.addLast(router);
    }

    /** A router in a sync group whose actions must be performed before the group's state is reported. */
    private void enqueueMember(NodeRouter router) {
        if (router.group != null) {
            router.followTokens++;
            router.group.pendingMembers++;
        }
        work.addLast(router);
    }

    private NodeEffect effectOf(NodeRouter router, Action action) {
        return switch (action) {
            case Action.SendAdvertisement send -> router.send(send.priority());
            case Action.AddVirtualAddresses add -> router.addAddresses;
            case Action.RemoveVirtualAddresses remove -> router.removeAddresses;
            case Action.AnnounceAddresses announce -> router.announce;
            case Action.AnnounceAfterLowerPriority lower -> {
                announceGroupAfterLowerPriority(router);
                yield router.announceAfterLowerPriority;
            }
            case Action.SplitBrainDetected detected -> new NodeEffect.SplitBrain(router, detected);
            case Action.StateChanged changed -> {
                drainingChange = changed;
                yield new NodeEffect.StateChanged(router, changed, router.priority());
            }
        };
    }

    /**
     * keepalived vrrp_sync_group: a lower-priority Active on one member's link means the other side
     * took the whole group for a while (a split brain or a stalled node), so every Active member
     * announces its addresses again, not only the one that heard it. Handed out once the queued
     * routers' effects are.
     */
    private void announceGroupAfterLowerPriority(NodeRouter router) {
        if (router.group == null) {
            return;
        }
        for (NodeRouter member : router.group.members) {
            if (member != router && member.state() == State.ACTIVE) {
                lastEffects.add(member.announceAfterLowerPriority);
            }
        }
    }

    /**
     * keepalived vrrp_sync_group, once a router's actions are all out: the others follow a member
     * into Active or out of it (their actions come next, before anything queued earlier), and when
     * the last of them is done the group's new state is reported, once.
     */
    private NodeEffect finished(NodeRouter router, Action.StateChanged change) {
        SyncGroupState group = router.group;
        if (group == null) {
            return null;
        }
        boolean member = router.followTokens > 0;
        if (member) {
            router.followTokens--;
            group.pendingMembers--;
        }
        if (change == null && !member) {
            return null;
        }
        if (change != null) {
            group.lastReason = change.reason();
            if (change.reason() != TransitionReason.SYNC_GROUP) {
                List<NodeRouter> members = group.members;
                for (NodeRouter other : members) {
                    if (other == router) {
                        continue;
                    }
                    if (change.to() == State.ACTIVE) {
                        other.router.handleSyncActive(change.atNanos());
                    } else if (change.from() == State.ACTIVE && change.to() == State.BACKUP) {
                        other.router.handleSyncBackup(change.atNanos());
                    }
                }
                for (int i = members.size() - 1; i >= 0; i--) {
                    NodeRouter other = members.get(i);
                    if (other != router) {
                        other.followTokens++;
                        group.pendingMembers++;
                        work.addFirst(other);
                    }
                }
            }
        }
        if (group.pendingMembers > 0) {
            return null;
        }
        State now = group.current();
        if (now == null || now == group.reported) {
            return null;
        }
        State from = group.reported;
        group.reported = now;
        LOG.info("sync group {}: {} -> {}", group.name, from.keepalivedName(), now.keepalivedName());
        return new NodeEffect.GroupChanged(group.name, from, now, group.lastReason);
    }

    @Override
    public String toString() {
        return "Node" + routers;
    }
}
