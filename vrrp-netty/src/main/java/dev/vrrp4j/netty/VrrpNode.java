package dev.vrrp4j.netty;

import dev.vrrp4j.core.router.Action;
import dev.vrrp4j.core.router.RouterConfig;
import dev.vrrp4j.core.router.SplitBrainKind;
import dev.vrrp4j.core.router.State;
import dev.vrrp4j.netty.driver.NodeDriver;
import dev.vrrp4j.netty.driver.RouterView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A VRRP node: one or more virtual routers (RFC 9568) on this host's interfaces, run on one Netty
 * epoll event loop, with the application told of every transition through a
 * {@link FailoverListener}.
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
 *     node.start();
 *     ...
 * }
 * }</pre>
 *
 * <p>{@link #start()} once; {@link #close()} is idempotent and graceful: an Active router sends an
 * advertisement with priority 0 (RFC 9568 §6.4.3), removes its addresses, then the listener hears
 * {@link FailoverListener#onStopped}. Needs CAP_NET_RAW and CAP_NET_ADMIN (or root), and the JVM
 * flag {@code --enable-native-access=ALL-UNNAMED}.
 */
public final class VrrpNode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VrrpNode.class);

    private final List<VirtualRouterSpec> specs;
    private final FailoverListener listener;
    private final Executor listenerExecutor;
    private final ExecutorService ownedExecutor;
    private final NodeDriver driver;
    private final Map<String, SerialExecutor> perRouter = new LinkedHashMap<>();
    private final Map<String, FailoverListener> groupListeners = new LinkedHashMap<>();
    private final Map<String, SerialExecutor> groupExecutors = new LinkedHashMap<>();
    private final Map<String, State> groupStates = new java.util.concurrent.ConcurrentHashMap<>();
    private final AtomicLong listenerFailures = new AtomicLong();
    private boolean started;
    private boolean closed;

    private VrrpNode(Builder builder) {
        this.specs = List.copyOf(builder.specs);
        this.listener = builder.listener;
        if (builder.executor != null) {
            this.listenerExecutor = builder.executor;
            this.ownedExecutor = null;
        } else {
            this.ownedExecutor = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("vrrp4j-listener")
                    .daemon(true).factory());
            this.listenerExecutor = ownedExecutor;
        }
        for (VirtualRouterSpec spec : specs) {
            perRouter.put(spec.config().name(), new SerialExecutor(listenerExecutor));
        }
        for (Builder.Group group : builder.groups) {
            groupListeners.put(group.group().name(), group.listener());
            groupExecutors.put(group.group().name(), new SerialExecutor(listenerExecutor));
        }
        this.driver = new NodeDriver(specs, builder.groups.stream().map(Builder.Group::group).toList(),
                builder.loopPriority,
                new dev.vrrp4j.netty.driver.TransitionSink() {
                    @Override
                    public void onTransition(RouterView router, Action.StateChanged change, int priority) {
                        VrrpNode.this.onTransition(router, change, priority);
                    }

                    @Override
                    public void onSplitBrain(RouterView router, Action.SplitBrainDetected detected) {
                        VrrpNode.this.onSplitBrain(router, detected);
                    }

                    @Override
                    public void onGroupTransition(String group, State from, State to,
                                                  dev.vrrp4j.core.router.TransitionReason reason) {
                        VrrpNode.this.onGroupTransition(group, from, to, reason);
                    }
                });
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Opens the sockets and starts the routers. Fails with an {@link IOException} that names the
     * system call, the errno and, for a permission failure, the capability to grant
     * (CAP_NET_RAW, CAP_NET_ADMIN); nothing is left open then.
     */
    public synchronized void start() throws IOException {
        if (started) {
            throw new IllegalStateException("VrrpNode already started");
        }
        if (closed) {
            throw new IllegalStateException("VrrpNode is closed");
        }
        started = true;
        driver.start();
    }

    /** The routers and their live state, in configuration order. */
    public List<RouterView> routers() {
        return driver.routers();
    }

    /** The state of the router called {@code name}. */
    public State state(String name) {
        return driver.routers().stream().filter(r -> r.config().name().equals(name)).findFirst()
                .map(RouterView::state)
                .orElseThrow(() -> new IllegalArgumentException("no router called " + name));
    }

    /**
     * A consistent snapshot of every router: state, effective priority, the current Active's
     * address, time in state, counters and split-brain episodes.
     */
    public NodeStatus status() {
        List<RouterStatus> routers = driver.snapshot(s -> {
            RouterConfig config = s.router().config();
            var counters = s.router().counters();
            SplitBrainEvent last = s.lastSplitBrain() == null ? null
                    : splitBrainEvent(s.router(), s.lastSplitBrain(), Instant.now().minusNanos(s.nanosSinceLastSplitBrain()));
            return new RouterStatus(config.name(), config.vrid(), config.family(), s.router().interfaceName(),
                    s.state(), s.priority(), config.priority(), s.activeAddress(),
                    java.time.Duration.ofNanos(Math.max(0, s.nanosInState())), counters.advertsSent(),
                    counters.advertsReceived(), counters.transitions(), counters.dropsByReason(),
                    counters.splitBrainEpisodes(SplitBrainKind.ADVERTISEMENT),
                    counters.splitBrainEpisodes(SplitBrainKind.ADDRESS_CONFLICT), s.splitBrainOngoing(), last);
        });
        return new NodeStatus(routers, driver.unattributedDrops(), listenerFailures.get());
    }

    /** How many listener calls threw. */
    public long listenerFailures() {
        return listenerFailures.get();
    }

    private void onTransition(RouterView router, Action.StateChanged change, int priority) {
        RouterConfig config = router.config();
        RouterEvent event = new RouterEvent(config.name(), config.vrid(), config.family(), change.from(), change.to(),
                change.reason(), priority, Instant.now(), router::state);
        perRouter.get(config.name()).execute(() -> deliver(event));
    }

    private void onSplitBrain(RouterView router, Action.SplitBrainDetected detected) {
        SplitBrainEvent event = splitBrainEvent(router, detected, Instant.now());
        perRouter.get(router.config().name()).execute(() -> {
            try {
                listener.onSplitBrain(event);
            } catch (Throwable t) {
                listenerFailures.incrementAndGet();
                LOG.error("{}: listener failed on {}", event.routerName(), event, t);
            }
        });
    }

    private static SplitBrainEvent splitBrainEvent(RouterView router, Action.SplitBrainDetected d, Instant at) {
        RouterConfig config = router.config();
        return new SplitBrainEvent(config.name(), config.vrid(), config.family(), d.kind(), d.otherAddress(),
                d.otherPriority(), d.otherMac(), d.ourAddress(), d.ourPriority(), d.yielding(), at);
    }

    private void onGroupTransition(String group, State from, State to, dev.vrrp4j.core.router.TransitionReason reason) {
        FailoverListener groupListener = groupListeners.get(group);
        groupStates.put(group, to);
        RouterEvent event = new RouterEvent(group, 0, null, from, to, reason, 0, Instant.now(),
                () -> groupStates.get(group));
        groupExecutors.get(group).execute(() -> deliver(groupListener, event));
    }

    private void deliver(RouterEvent event) {
        deliver(listener, event);
    }

    private void deliver(FailoverListener listener, RouterEvent event) {
        try {
            FailoverListener.dispatch(listener, event);
        } catch (Throwable t) {
            listenerFailures.incrementAndGet();
            LOG.error("{}: listener failed on {}", event.routerName(), event, t);
        }
    }

    /**
     * Leaves gracefully (priority 0 from Active routers, addresses removed), waits up to 10 s for
     * the listener to hear it, and releases everything. Idempotent; safe from a shutdown hook:
     * {@code Runtime.getRuntime().addShutdownHook(new Thread(node::close));}
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        driver.close();
        try {
            for (SerialExecutor executor : java.util.stream.Stream.concat(perRouter.values().stream(),
                    groupExecutors.values().stream()).toList()) {
                if (!executor.awaitIdle(10_000)) {
                    LOG.warn("listener still busy 10 s after close");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (ownedExecutor != null) {
            ownedExecutor.shutdown();
        }
    }

    /** Builds a {@link VrrpNode}; {@link #build()} checks the whole configuration. */
    public static final class Builder {
        private final List<VirtualRouterSpec> specs = new ArrayList<>();
        private final List<Group> groups = new ArrayList<>();

        private record Group(SyncGroup group, FailoverListener listener) {}
        private FailoverListener listener = new FailoverListener() {};
        private Executor executor;
        private EventLoopPriority loopPriority = EventLoopPriority.INHERIT;

        private Builder() {}

        /** Adds a virtual router. */
        public Builder router(VirtualRouterSpec spec) {
            specs.add(Objects.requireNonNull(spec, "spec"));
            return this;
        }

        /**
         * Adds a sync group (keepalived {@code vrrp_sync_group}); {@code groupListener} hears the
         * group's own transitions (all members Active, all Backup, one in Fault), once each, with the
         * group's name as {@link RouterEvent#routerName()}.
         */
        public Builder syncGroup(SyncGroup group, FailoverListener groupListener) {
            groups.add(new Group(Objects.requireNonNull(group, "group"), Objects.requireNonNull(groupListener,
                    "groupListener")));
            return this;
        }

        /** Adds a sync group without a group listener (the routers' own events still arrive). */
        public Builder syncGroup(SyncGroup group) {
            return syncGroup(group, new FailoverListener() {});
        }

        /** The listener, called on a single vrrp4j thread unless {@link #listener(FailoverListener, Executor)}. */
        public Builder listener(FailoverListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** The listener and the executor its calls run on (calls for one router stay serial and ordered). */
        public Builder listener(FailoverListener listener, Executor executor) {
            this.listener = Objects.requireNonNull(listener, "listener");
            this.executor = Objects.requireNonNull(executor, "executor");
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

        public VrrpNode build() {
            // The one validation of a node's configuration (core.node.NodeConfig), at build time.
            NodeConfigs.of(specs, groups.stream().map(Group::group).toList());
            return new VrrpNode(this);
        }
    }
}
