package dev.vrrp4j.netty;

import dev.vrrp4j.core.router.Action;
import dev.vrrp4j.core.router.IpRoute;
import dev.vrrp4j.core.router.IpRule;
import dev.vrrp4j.core.router.RouterConfig;
import dev.vrrp4j.core.router.State;
import dev.vrrp4j.core.node.NodeConfig;
import dev.vrrp4j.core.node.TrackedCheckSpec;
import dev.vrrp4j.core.router.TransitionReason;
import dev.vrrp4j.netty.driver.NodeDriver;
import dev.vrrp4j.netty.driver.RouterView;
import dev.vrrp4j.netty.driver.TransitionSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.vrrp4j.netty.transport.NativeAccess;
import dev.vrrp4j.netty.transport.NativeException;
import dev.vrrp4j.netty.transport.Platform;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * A VRRP node: one or more virtual routers (RFC 9568) on this host's interfaces, run on one Netty
 * epoll event loop, with the application told of every transition through
 * {@link FailoverListener}s.
 *
 * <pre>{@code
 * RouterConfig vi1 = RouterConfig.builder("VI_1", AddressFamily.IPV4, 51)
 *         .priority(150).virtualAddresses("192.0.2.100/24").build();
 * try (VrrpNode node = VrrpNode.builder()
 *         .router(VirtualRouterSpec.multicast(vi1, "eth0"))
 *         .listener(new FailoverListener() {
 *             public void onActive(RouterEvent e) { startNginx(); }
 *             public void onBackup(RouterEvent e) { stopNginx(); }
 *         })
 *         .build()) {
 *     node.start();                     // VrrpStartException names a missing CAP_NET_RAW / CAP_NET_ADMIN
 *     node.awaitState("VI_1", State.ACTIVE, Duration.ofSeconds(5));
 *     ...
 * }
 * }</pre>
 *
 * <h2>Lifecycle</h2>
 * {@link #start()} once; {@link #close()} is idempotent and graceful: an Active router sends an
 * advertisement with priority 0 (RFC 9568 §6.4.3), removes its addresses, then every listener hears
 * {@link FailoverListener#onStopped}. Needs CAP_NET_RAW and CAP_NET_ADMIN (or root), and native
 * access for this module: {@code --enable-native-access=dev.vrrp4j.netty} on the module path,
 * {@code --enable-native-access=ALL-UNNAMED} on the class path.
 *
 * <h2>Listeners</h2>
 * Added in the builder or at any time with {@link #addListener(FailoverListener, Executor)} (every
 * router and group) or {@link #addListener(String, FailoverListener, Executor)} (one router or
 * group), each on its own executor; the returned {@link ListenerRegistration} removes it. Without
 * an executor ({@link Builder#listener(FailoverListener)}) a listener runs on one vrrp4j thread,
 * which is started only if such a listener exists.
 *
 * <h2>Reading the state</h2>
 * {@link #isActive} and {@link #awaitState} read a router's live state without going through the
 * event loop; {@link #status()} is the one full snapshot (priorities, counters, the current Active).
 */
public final class VrrpNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VrrpNode.class);
    private static final long CLOSE_LISTENER_WAIT_MILLIS = 10_000;

    static {
        dev.vrrp4j.netty.internal.NodeAccess.install(new dev.vrrp4j.netty.internal.NodeAccess.Access() {
            @Override
            public List<RouterView> routers(VrrpNode node) {
                return node.driver.routers();
            }

            @Override
            public void onReconfigured(VrrpNode node, Runnable hook) {
                node.reconfigurationHooks.add(hook);
            }
        });
    }

    private volatile List<VirtualRouterSpec> specs;
    private volatile Map<String, List<String>> groupMembers;
    /** The listeners the builder registered; a reload replaces them with its builder's. */
    private List<ListenerRegistration> builderListeners = new ArrayList<>();
    /** What a reload in progress brings in, taken over on the event loop when it takes effect. */
    private Builder reloading;
    private volatile int generation = 1;
    private final Listeners listeners = new Listeners();
    /** This module's own followers of reloads (the Micrometer binder), run on the loop after each. */
    private final List<Runnable> reconfigurationHooks = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final NodeDriver driver;
    private final Map<String, State> groupStates = new java.util.concurrent.ConcurrentHashMap<>();
    /** The routers by name, once started; read by any thread. */
    private volatile Map<String, RouterView> views = Map.of();
    /** Notified on every transition, for {@link #awaitState}. */
    private final Object transitions = new Object();
    private boolean started;
    private boolean closed;

    private VrrpNode(Builder builder) {
        AutoPriority.Raiser raiser = builder.autoPriority.maxRealtimePriority() == 0 ? null
                : new AutoPriority.Raiser(builder.autoPriority, builder.loopPriority);
        this.specs = List.copyOf(builder.specs);
        this.groupMembers = groupMembers(builder);
        builderListeners = register(builder);
        this.driver = new NodeDriver(builder.config, builder.loopPriority::applyToCurrentThread, VrrpNode::runCheck,
                new TransitionSink() {
                    @Override
                    public void onTransition(RouterView router, Action.StateChanged change, int priority) {
                        VrrpNode.this.onTransition(router, change, priority);
                    }

                    @Override
                    public void onSplitBrain(RouterView router, Action.SplitBrainDetected detected) {
                        VrrpNode.this.onSplitBrain(router, detected);
                    }

                    @Override
                    public void onGroupTransition(String group, State from, State to, TransitionReason reason) {
                        VrrpNode.this.onGroupTransition(group, from, to, reason);
                    }

                    @Override
                    public void onReconfigured(int generation, List<RouterView> routers) {
                        VrrpNode.this.onReconfigured(generation, routers);
                    }

                    @Override
                    public void onLateWakeUp(long lateNanos) {
                        if (raiser != null) {
                            raiser.onLate(lateNanos);
                        }
                    }
                });
    }

    private static Map<String, List<String>> groupMembers(Builder builder) {
        Map<String, List<String>> members = new LinkedHashMap<>();
        for (Builder.Group group : builder.groups) {
            members.put(group.group().name(), group.group().routers());
        }
        return members;
    }

    private List<ListenerRegistration> register(Builder builder) {
        List<ListenerRegistration> registered = new ArrayList<>();
        for (Builder.Registration registration : builder.registrations) {
            registered.add(listeners.add(registration.scope(), registration.listener(), registration.executor()));
        }
        return registered;
    }

    /** A check's task is the application's {@link HealthCheck} ({@link NodeConfigs}). */
    private static CompletionStage<Boolean> runCheck(TrackedCheckSpec check, Map<String, State> routerStates) {
        return ((HealthCheck) check.task()).check(new CheckContext(check.timeout(), routerStates));
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Opens the sockets (in the calling thread's network namespace) and starts the routers.
     *
     * @throws VrrpStartException naming the system call, the errno and, for a permission failure,
     *                            the capability to grant (CAP_NET_RAW, CAP_NET_ADMIN), or the JVM option
     *                            that grants native access when the JVM refuses it; nothing is left open then
     * @throws IllegalStateException if the node was started or closed before
     */
    public synchronized void start() throws VrrpStartException {
        if (started) {
            throw new IllegalStateException("VrrpNode already started");
        }
        if (closed) {
            throw new IllegalStateException("VrrpNode is closed");
        }
        started = true;
        Optional<String> unsupported = Platform.unsupported();
        if (unsupported.isPresent()) {
            throw new VrrpStartException(unsupported.get(), "platform check", 0, null, null, null);
        }
        Optional<IllegalCallerException> refused = NativeAccess.refusal();
        if (refused.isPresent()) {
            throw new VrrpStartException("native access is not enabled for " + VrrpNode.class.getModule()
                    + ": start the JVM with " + NativeAccess.enablingOption(), "native access", 0, null, null,
                    refused.get());
        }
        try {
            driver.start();
        } catch (NativeException e) {
            throw VrrpStartException.of(e);
        } catch (IllegalStateException e) {
            throw new VrrpStartException("starting the event loop failed: " + e.getMessage(), "event loop start",
                    0, null, null, e);
        }
        Map<String, RouterView> byName = new LinkedHashMap<>();
        for (RouterView view : driver.routers()) {
            byName.put(view.config().name(), view);
        }
        views = Map.copyOf(byName);
    }

    /**
     * A live reload: the routers and sync groups of {@code next} replace the running ones, and the
     * listeners registered on {@code next} replace those of the builder this node was built with
     * (listeners added with {@link #addListener} stay). Routers are matched by interface, family and
     * VRID. One whose settings are all the same is left alone: no advertisement, announcement,
     * transition or listener call. One whose settings changed keeps its state and takes them in
     * place (RFC 9568's consequences: an Active whose priority, interval or addresses changed
     * advertises at once; addresses removed from an Active leave the interface, added ones are
     * installed and announced). A removed router leaves as at {@link #close()} (priority 0,
     * addresses removed, {@link FailoverListener#onStopped} to the old listeners); an added one
     * starts. Returns once the change took effect, on the event loop. {@code next}'s event-loop
     * priority is not applied (the thread keeps the one it started with).
     *
     * @return the configuration generation now running (2 after the first reload)
     * @throws IllegalArgumentException if {@code next} is not a valid configuration (as
     *                                  {@link Builder#build()}); nothing changed then
     * @throws VrrpStartException       if what a new router needs cannot be opened (an interface
     *                                  that does not exist, a missing capability); nothing changed then
     * @throws IllegalStateException    if the node is not running
     */
    public synchronized int reconfigure(Builder next) throws VrrpStartException {
        Objects.requireNonNull(next, "next");
        if (!started || closed) {
            throw new IllegalStateException("VrrpNode is not running");
        }
        NodeConfig config = NodeConfigs.of(next.specs, next.groups.stream().map(Builder.Group::group).toList(),
                next.staticRoutes, next.staticRules);
        reloading = next;
        try {
            return driver.reconfigure(config);
        } catch (NativeException e) {
            throw VrrpStartException.of(e);
        } finally {
            reloading = null;
        }
    }

    /** On the event loop, between the removed routers' last events and the rest of a reload. */
    private void onReconfigured(int generation, List<RouterView> routers) {
        Builder next = reloading;
        if (next != null) {
            builderListeners.forEach(listeners::retire);
            builderListeners = register(next);
            specs = List.copyOf(next.specs);
            groupMembers = groupMembers(next);
        }
        Map<String, RouterView> byName = new LinkedHashMap<>();
        for (RouterView view : routers) {
            byName.put(view.config().name(), view);
        }
        views = Map.copyOf(byName);
        this.generation = generation;
        for (Runnable hook : reconfigurationHooks) {
            try {
                hook.run();
            } catch (RuntimeException e) {
                LOG.error("a reconfiguration hook failed", e);
            }
        }
    }

    /** The configuration generation running: 1 until the first {@link #reconfigure}. */
    public int generation() {
        return generation;
    }

    /**
     * Whether the router called {@code router} is Active now (holds its virtual addresses). False
     * before {@link #start()} and after {@link #close()}.
     */
    public boolean isActive(String router) {
        return stateOf(router) == State.ACTIVE;
    }

    /**
     * Waits until the router called {@code router} is in {@code state}, for at most {@code timeout};
     * returns at once if it is already. Woken by the router's transitions, not by polling.
     *
     * @return true if the router reached {@code state}, false if the timeout passed first
     */
    public boolean awaitState(String router, State state, Duration timeout) throws InterruptedException {
        Objects.requireNonNull(state, "state");
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (transitions) {
            while (stateOf(router) != state) {
                long leftNanos = deadline - System.nanoTime();
                if (leftNanos <= 0) {
                    return false;
                }
                java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(transitions, leftNanos);
            }
            return true;
        }
    }

    private State stateOf(String router) {
        RouterView view = views.get(router);
        if (view != null) {
            return view.state();
        }
        if (specs.stream().noneMatch(spec -> spec.config().name().equals(router))) {
            throw new IllegalArgumentException("router '" + router + "' is not configured (have "
                    + specs.stream().map(spec -> spec.config().name()).toList() + ")");
        }
        return State.INITIALIZE; // not started yet
    }

    /**
     * A consistent snapshot of every router, taken on the event loop: state, effective priority,
     * the current Active's address, time in state, counters and split-brain episodes, plus the
     * node's own drop counters and listener failures.
     */
    public NodeStatus status() {
        if (views.isEmpty()) {
            return new NodeStatus(specs.stream().map(Statuses::notStarted).toList(), driver.unattributedDrops(),
                    listeners.failures(), generation);
        }
        List<RouterStatus> routers = driver.snapshot(Statuses::of);
        return new NodeStatus(routers, driver.unattributedDrops(), listeners.failures(), generation);
    }

    /**
     * Adds a listener for every router and sync group of this node, called on {@code executor}:
     * calls for one router stay serial and in order, whatever the executor. May be called before
     * or after {@link #start()}; a listener added later hears the transitions from then on.
     *
     * @return the registration; {@link ListenerRegistration#close()} removes the listener
     */
    public ListenerRegistration addListener(FailoverListener listener, Executor executor) {
        return listeners.add(null, listener, Objects.requireNonNull(executor, "executor"));
    }

    /**
     * Adds a listener for the router (or sync group) called {@code name} only, called on
     * {@code executor}; otherwise as {@link #addListener(FailoverListener, Executor)}.
     *
     * @throws IllegalArgumentException if no router or sync group has that name
     */
    public ListenerRegistration addListener(String name, FailoverListener listener, Executor executor) {
        requireName(name);
        return listeners.add(name, listener, Objects.requireNonNull(executor, "executor"));
    }

    private void requireName(String name) {
        Objects.requireNonNull(name, "name");
        boolean router = specs.stream().anyMatch(spec -> spec.config().name().equals(name));
        if (!router && !groupMembers.containsKey(name)) {
            throw new IllegalArgumentException("name '" + name + "': no router or sync group of that name (routers "
                    + specs.stream().map(spec -> spec.config().name()).toList() + ", groups " + groupMembers.keySet()
                    + ")");
        }
    }

    /** Whether the default listener thread runs; it is started only for a listener without an executor. */
    boolean defaultListenerThreadStarted() {
        return listeners.defaultThreadStarted();
    }

    private void onTransition(RouterView router, Action.StateChanged change, int priority) {
        RouterConfig config = router.config();
        listeners.publish(new RouterEvent(config.name(), config.vrid(), config.family(), change.from(), change.to(),
                change.reason(), priority, Instant.now(), router::state));
        synchronized (transitions) {
            transitions.notifyAll();
        }
    }

    private void onSplitBrain(RouterView router, Action.SplitBrainDetected detected) {
        listeners.publish(Statuses.splitBrainEvent(router, detected, Instant.now()));
    }

    private void onGroupTransition(String group, State from, State to, TransitionReason reason) {
        groupStates.put(group, to);
        listeners.publish(new GroupEvent(group, groupMembers.getOrDefault(group, List.of()), from, to, reason,
                Instant.now(), () -> groupStates.get(group)));
    }

    /**
     * Leaves gracefully (priority 0 from Active routers, addresses removed), waits up to 10 s for
     * the listeners to hear it, closes the listeners that are {@link AutoCloseable}, and releases
     * everything. Idempotent; safe from a shutdown hook:
     * {@code Runtime.getRuntime().addShutdownHook(new Thread(node::close));}
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        driver.close();
        synchronized (transitions) {
            transitions.notifyAll();
        }
        listeners.close(CLOSE_LISTENER_WAIT_MILLIS);
    }

    /** Builds a {@link VrrpNode}; {@link #build()} checks the whole configuration. */
    public static final class Builder {
        private final List<VirtualRouterSpec> specs = new ArrayList<>();
        private final List<Group> groups = new ArrayList<>();
        private final List<Registration> registrations = new ArrayList<>();
        private final List<IpRoute> staticRoutes = new ArrayList<>();
        private final List<IpRule> staticRules = new ArrayList<>();

        private record Group(SyncGroup group) {}
        private record Registration(String scope, FailoverListener listener, Executor executor) {}
        private EventLoopPriority loopPriority = EventLoopPriority.INHERIT;
        private AutoPriority autoPriority = AutoPriority.OFF;
        private NodeConfig config;

        private Builder() {}

        /** Adds a virtual router. */
        public Builder router(VirtualRouterSpec spec) {
            specs.add(Objects.requireNonNull(spec, "spec"));
            return this;
        }

        /**
         * Adds a sync group (keepalived {@code vrrp_sync_group}) and a listener for the group's own
         * transitions ({@link FailoverListener#onGroupChange}), on the default listener thread.
         */
        public Builder syncGroup(SyncGroup group, FailoverListener groupListener) {
            syncGroup(group);
            registrations.add(new Registration(group.name(), Objects.requireNonNull(groupListener, "groupListener"),
                    null));
            return this;
        }

        /** Adds a sync group; listeners for every router hear its {@link GroupEvent}s too. */
        public Builder syncGroup(SyncGroup group) {
            groups.add(new Group(Objects.requireNonNull(group, "group")));
            return this;
        }

        /**
         * Adds a route installed when the node starts and removed when it closes, whatever its routers'
         * states (keepalived {@code static_routes}); each once.
         */
        public Builder staticRoute(IpRoute route) {
            Objects.requireNonNull(route, "staticRoutes: a route");
            if (staticRoutes.contains(route)) {
                throw new IllegalArgumentException("staticRoutes: " + route + " is listed twice");
            }
            staticRoutes.add(route);
            return this;
        }

        /** Adds a policy rule installed while the node runs (keepalived {@code static_rules}); each once. */
        public Builder staticRule(IpRule rule) {
            Objects.requireNonNull(rule, "staticRules: a rule");
            if (staticRules.contains(rule)) {
                throw new IllegalArgumentException("staticRules: " + rule + " is listed twice");
            }
            staticRules.add(rule);
            return this;
        }

        /** Adds a listener for every router and group, called on a single vrrp4j thread. */
        public Builder listener(FailoverListener listener) {
            registrations.add(new Registration(null, Objects.requireNonNull(listener, "listener"), null));
            return this;
        }

        /**
         * Adds a listener for every router and group, called on {@code executor} (calls for one
         * router stay serial and ordered); as {@link VrrpNode#addListener(FailoverListener, Executor)}.
         */
        public Builder listener(FailoverListener listener, Executor executor) {
            registrations.add(new Registration(null, Objects.requireNonNull(listener, "listener"),
                    Objects.requireNonNull(executor, "executor")));
            return this;
        }

        /**
         * How the event-loop thread is scheduled (keepalived's {@code vrrp_priority} /
         * {@code vrrp_rt_priority}); default {@link EventLoopPriority#INHERIT}. Worth raising when the
         * application can keep every core busy: see {@link EventLoopPriority}.
         */
        public Builder eventLoopPriority(EventLoopPriority priority) {
            this.loopPriority = Objects.requireNonNull(priority, "priority");
            return this;
        }

        /**
         * Whether the event loop raises its own scheduling when it wakes late (keepalived's
         * {@code max_auto_priority}); default {@link AutoPriority#OFF}.
         */
        public Builder autoPriority(AutoPriority policy) {
            this.autoPriority = Objects.requireNonNull(policy, "autoPriority");
            return this;
        }

        public VrrpNode build() {
            // The one validation of a node's configuration (core.node.NodeConfig), at build time.
            config = NodeConfigs.of(specs, groups.stream().map(Group::group).toList(), staticRoutes, staticRules);
            return new VrrpNode(this);
        }
    }
}
