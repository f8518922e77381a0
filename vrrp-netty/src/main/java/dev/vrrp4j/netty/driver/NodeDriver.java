package dev.vrrp4j.netty.driver;

import dev.vrrp4j.core.node.LinkState;
import dev.vrrp4j.core.node.Node;
import dev.vrrp4j.core.node.NodeConfig;
import dev.vrrp4j.core.node.NodeEffect;
import dev.vrrp4j.core.node.TrackedCheckSpec;
import dev.vrrp4j.core.packet.PacketDropReason;
import dev.vrrp4j.core.router.State;
import dev.vrrp4j.netty.transport.EpollReadinessRegistration;
import dev.vrrp4j.netty.transport.LinkEvent;
import dev.vrrp4j.netty.transport.LinkMonitor;
import dev.vrrp4j.netty.transport.NativeException;
import io.netty.channel.IoEventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Runs a {@link Node} on one Netty epoll event loop: the I/O around the pure node and nothing
 * else. It opens the kernel resources ({@link NodeSockets}), feeds every input with
 * {@link System#nanoTime()} into the node (packets and ARP through {@link PacketReader}, link
 * changes, check results from the {@link HealthRunner}, address removals through the
 * {@link AddressHealer}), performs the node's effects ({@link EffectRunner}) and keeps the one
 * timer at the node's earliest deadline ({@link Ticker}).
 *
 * <p>Nothing the network sends can stop the loop: malformed packets are dropped and counted by the
 * node ({@link PacketDropReason}), and any exception while handling an input is caught and logged.
 */
public final class NodeDriver implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeDriver.class);

    /** The configuration as given (sources unresolved): what the node runs, re-resolved when an interface appears. */
    private volatile NodeConfig userConfig;
    private final Runnable loopThreadSetup;
    private final CheckLauncher checkLauncher;
    private final TransitionSink sink;
    private final List<EpollReadinessRegistration> registrations = new ArrayList<>();

    private NodeSockets sockets;
    private MultiThreadIoEventLoopGroup group;
    private IoEventLoop loop;
    private EffectRunner effects;
    private PacketReader reader;
    private Ticker ticker;
    private HealthRunner healthRunner;
    private volatile List<RouterView> views = List.of();
    private volatile boolean started;
    private volatile boolean closed;

    /**
     * @param config          a validated node configuration; routers without a source address get
     *                        their interface's at start
     * @param loopThreadSetup runs first on the event-loop thread (its scheduling priority)
     * @param checkLauncher   runs the tasks of the configuration's health checks
     * @param sink            hears every transition, on the event loop
     */
    public NodeDriver(NodeConfig config, Runnable loopThreadSetup, CheckLauncher checkLauncher, TransitionSink sink) {
        this.userConfig = Objects.requireNonNull(config, "config");
        this.loopThreadSetup = Objects.requireNonNull(loopThreadSetup, "loopThreadSetup");
        this.checkLauncher = Objects.requireNonNull(checkLauncher, "checkLauncher");
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    /** The routers, in configuration order; empty until {@link #start()}. */
    public List<RouterView> routers() {
        return views;
    }

    /**
     * Takes a consistent snapshot of every router on the event loop (after close, from the last
     * state) and maps each through {@code mapper}; empty before {@link #start()}.
     */
    public <T> List<T> snapshot(Function<RouterSnapshot, T> mapper) {
        NodeSockets s = sockets;
        return s == null ? List.of() : RouterSnapshot.take(s, loop != null && !closed ? loop : null, mapper);
    }

    /** Drops that could not be attributed to a configured router, by reason; empty before start. */
    public Map<PacketDropReason, Long> unattributedDrops() {
        NodeSockets s = sockets;
        return s == null ? Map.of() : s.node.unattributedDrops();
    }

    /**
     * Opens the sockets (in the calling thread's network namespace), starts the event loop and the
     * routers. Fails with a {@link NativeException} naming the call, the errno and, where that is
     * the cause, the missing capability; nothing is left open then.
     */
    public synchronized void start() throws NativeException {
        if (started) {
            throw new IllegalStateException("already started");
        }
        started = true;
        try {
            sockets = NodeSockets.open(userConfig);
            group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("vrrp4j", true),
                    EpollIoHandler.newFactory());
            loop = (IoEventLoop) group.next();
            effects = new EffectRunner(sockets, loop, sink, this::onReconfigured);
            reader = new PacketReader(sockets, effects);
            ticker = new Ticker(sockets, reader, effects, sink);
            registerAll();
            loop.submit(loopThreadSetup).get(10, TimeUnit.SECONDS);
            loop.submit(this::startNode).get(10, TimeUnit.SECONDS);
            views = List.copyOf(sockets.inOrder());
            startHealthRunner();
        } catch (NativeException | RuntimeException | Error e) {
            closed = true;
            releaseAll();
            throw e;
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            closed = true;
            releaseAll();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("starting the event loop failed", e);
        }
    }

    private void startHealthRunner() {
        healthRunner = new HealthRunner(sockets.node.checks(), sockets.inOrder(), checkLauncher,
                (check, healthy) -> onLoop(() -> onCheckResult(check, healthy)));
        healthRunner.start();
    }

    private void registerAll() throws InterruptedException, ExecutionException, TimeoutException {
        for (InterfacePort port : sockets.ports.values()) {
            registerPort(port);
        }
        for (NodeSockets.TrackedInterface tracked : sockets.trackedInterfaces) {
            registerTracked(tracked);
        }
        AddressHealer healer = new AddressHealer(sockets, effects);
        registrations.add(register(healer.fd(), healer::onReadable));
        registrations.add(register(sockets.timerFd.fd(), ticker::onReadable));
    }

    private void registerPort(InterfacePort port) throws InterruptedException, ExecutionException, TimeoutException {
        port.linkRegistration = register(port.linkMonitor.fd(), () -> onPortLinkEvents(port));
        registerSockets(port);
    }

    private void registerSockets(InterfacePort port) throws InterruptedException, ExecutionException, TimeoutException {
        if (port.receive4 != null) {
            port.registrations.add(register(port.receive4.fd(), () -> readable(port, port.receive4)));
        }
        if (port.receive6 != null) {
            port.registrations.add(register(port.receive6.fd(), () -> readable(port, port.receive6)));
        }
        if (port.arpWatch != null) {
            port.registrations.add(register(port.arpWatch.fd(), () -> {
                reader.readArp(port);
                ticker.reschedule();
            }));
        }
    }

    /**
     * The link of a router's interface changed. Up or down is the node's input; a deleted
     * interface is that too (Fault), and then its sockets are closed; one that appears (at last, or
     * again under a new index) gets its sockets opened, its routers' sources resolved and the node
     * reconfigured with them, before the node hears its link state.
     */
    private void onPortLinkEvents(InterfacePort port) {
        List<LinkEvent> events;
        try {
            events = port.linkMonitor.poll();
        } catch (NativeException e) {
            LOG.warn("reading link events for {} failed: {}", port.name, e.getMessage());
            return;
        }
        try {
            for (LinkEvent event : events) {
                long now = System.nanoTime();
                if (event.state() == LinkEvent.State.REMOVED) {
                    if (port.present) {
                        LOG.warn("interface {} was deleted: its routers are in Fault until it is back", port.name);
                        sockets.node.handleLinkChange(now, port.iface, LinkState.REMOVED);
                        effects.run();
                        cancelSockets(port);
                        sockets.unrealize(port);
                    }
                    continue;
                }
                if (!port.present && !appeared(port)) {
                    continue;
                }
                sockets.node.handleLinkChange(now, port.iface, event.state() == LinkEvent.State.UP ? LinkState.UP
                        : LinkState.DOWN);
                effects.run();
            }
        } catch (RuntimeException e) {
            LOG.error("handling a link change of {} failed", port.name, e);
        }
        ticker.reschedule();
    }

    /** An absent interface exists now: opens what its routers need; false (logged) if that failed. */
    private boolean appeared(InterfacePort port) {
        try {
            sockets.realize(port);
            registerSockets(port);
            apply(userConfig);
            LOG.info("interface {} appeared (index {}): its routers start", port.name, port.index);
            return true;
        } catch (NativeException | ExecutionException | InterruptedException | TimeoutException | RuntimeException e) {
            LOG.error("interface {} appeared but could not be used: {}", port.name, e.getMessage());
            cancelSockets(port);
            sockets.unrealize(port);
            return false;
        }
    }

    private void registerTracked(NodeSockets.TrackedInterface tracked)
            throws InterruptedException, ExecutionException, TimeoutException {
        tracked.registration = register(tracked.monitor.fd(), () -> onLinkEvents(tracked.monitor, tracked.name,
                (now, state) -> sockets.node.handleTrackedInterfaceChange(now, tracked.name, state)));
    }

    /** Off the loop it waits for the registration; on it (a reload) Netty registers at once. */
    private EpollReadinessRegistration register(int fd, Runnable onReadable)
            throws InterruptedException, ExecutionException, TimeoutException {
        io.netty.util.concurrent.Future<EpollReadinessRegistration> future =
                EpollReadinessRegistration.register(loop, fd, onReadable);
        if (!loop.inEventLoop()) {
            return future.get(10, TimeUnit.SECONDS);
        }
        if (!future.isDone()) {
            throw new IllegalStateException("registering fd " + fd + " with the event loop did not complete at once");
        }
        if (!future.isSuccess()) {
            throw new ExecutionException("registering fd " + fd + " with the event loop failed", future.cause());
        }
        return future.getNow();
    }

    // ------------------------------------------------------------------ live reload

    /**
     * Applies {@code next} to the running node ({@link Node#reconfigure}) on the event loop and
     * returns once it took effect. What the new routers need is opened first (an interface's
     * sockets, a send socket, a tracked interface's monitor); if that fails, nothing changed and the
     * node keeps running its configuration.
     *
     * @return the node's generation now
     * @throws NativeException          opening a socket or reading an interface failed
     * @throws IllegalArgumentException an interface has no address to send advertisements from
     * @throws IllegalStateException    the node is not running
     */
    public int reconfigure(NodeConfig next) throws NativeException {
        Objects.requireNonNull(next, "next");
        if (!started || closed) {
            throw new IllegalStateException("the node is not running");
        }
        try {
            int generation = loop.submit(() -> apply(next)).get(10, TimeUnit.SECONDS);
            userConfig = next;
            return generation;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reloading", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the reload did not complete within 10 s", e);
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case NativeException failure -> throw failure;
                case RuntimeException failure -> throw failure;
                default -> throw new IllegalStateException("reload failed", e.getCause());
            }
        }
    }

    /** {@link #reconfigure} on the loop: resolve, open, reconfigure the node, perform, tidy up. */
    private int apply(NodeConfig next) throws NativeException, InterruptedException, ExecutionException,
            TimeoutException {
        NodeConfig resolved = sockets.resolve(next);
        NodeSockets.Opened opened = sockets.openFor(resolved);
        List<NodeSockets.TrackedInterface> trackedBefore = List.copyOf(sockets.trackedInterfaces);
        try {
            for (InterfacePort port : opened.ports()) {
                registerPort(port);
            }
            for (NodeSockets.TrackedInterface tracked : opened.tracked()) {
                registerTracked(tracked);
            }
        } catch (ExecutionException | RuntimeException e) {
            opened.ports().forEach(NodeDriver::cancel);
            opened.tracked().forEach(t -> cancel(t.registration));
            sockets.closeOpened(opened);
            throw e;
        }
        List<TrackedCheckSpec> checksBefore = sockets.node.checks();
        long now = System.nanoTime();
        sockets.node.reconfigure(now, resolved);
        effects.run(); // onReconfigured comes in the middle
        for (InterfacePort port : opened.ports()) {
            sockets.node.handleLinkChange(now, port.iface, port.linkStateAtStart());
        }
        for (NodeSockets.TrackedInterface tracked : sockets.trackedInterfaces) {
            if (!trackedBefore.contains(tracked)) {
                sockets.node.handleTrackedInterfaceChange(now, tracked.name,
                        sockets.linkUp(tracked.name) ? LinkState.UP : LinkState.DOWN);
            }
        }
        effects.run();
        if (!TrackedCheckSpec.sameDefinitions(checksBefore, sockets.node.checks())) {
            healthRunner.close();
            startHealthRunner();
        }
        ticker.reschedule();
        return sockets.node.generation();
    }

    /** Between the removed routers' effects and the rest: the driver's side of a reload. */
    private void onReconfigured(NodeEffect.Reconfigured reconfigured) {
        sockets.detach(reconfigured.removed());
        sockets.attach(reconfigured.added());
        sockets.rebindSendSockets();
        for (InterfacePort port : sockets.unusedPorts()) {
            cancel(port);
        }
        for (NodeSockets.TrackedInterface tracked : sockets.unusedTracked()) {
            cancel(tracked.registration);
        }
        sockets.closeUnused();
        views = List.copyOf(sockets.inOrder());
    }

    private static void cancel(InterfacePort port) {
        cancelSockets(port);
        cancel(port.linkRegistration);
        port.linkRegistration = null;
    }

    /** The registrations of a port's sockets; its link monitor's stays. */
    private static void cancelSockets(InterfacePort port) {
        port.registrations.forEach(NodeDriver::cancel);
        port.registrations.clear();
    }

    /** On the loop the descriptor leaves the epoll set at once, so it can be closed right after. */
    private static void cancel(EpollReadinessRegistration registration) {
        if (registration != null) {
            registration.cancel();
        }
    }

    private void readable(InterfacePort port, dev.vrrp4j.netty.transport.VrrpReceiveSocket socket) {
        reader.read(port, socket);
        ticker.reschedule();
    }

    /** On the loop: clears stale addresses, warms up, starts the node (RFC 9568 §6.4.1). */
    private void startNode() {
        for (DriverRouter router : sockets.routers) {
            if (!router.config().isOwner()) {
                // A crashed predecessor (kill -9, power loss) leaves its addresses on the interface;
                // a Backup must not answer for them, so clear them as keepalived does at startup.
                effects.changeAddresses(router, false);
                effects.changeRoutes(router, false); // only ones of keepalived's protocol: ours
            }
        }
        WarmUp.run(sockets.routers, effects);
        // Read the clock after the slow part (netlink, warm-up: tens of ms with 255 routers), or the
        // Backups' first Active_Down_Timers would be spent before the loop could read one advert.
        sockets.node.handleStart(System.nanoTime());
        effects.run();
        ticker.reschedule();
    }

    /** One link change of an interface, in the node's words. */
    @FunctionalInterface
    private interface LinkInput {
        void accept(long nowNanos, LinkState state);
    }

    private void onLinkEvents(LinkMonitor monitor, String name, LinkInput input) {
        List<LinkEvent> events;
        try {
            events = monitor.poll();
        } catch (NativeException e) {
            LOG.warn("reading link events for {} failed: {}", name, e.getMessage());
            return;
        }
        try {
            for (LinkEvent event : events) {
                input.accept(System.nanoTime(), event.state() == LinkEvent.State.UP ? LinkState.UP : LinkState.DOWN);
                effects.run();
            }
        } catch (RuntimeException e) {
            LOG.error("handling a link change of {} failed", name, e);
        }
        ticker.reschedule();
    }

    private void onCheckResult(String check, boolean healthy) {
        if (closed) {
            return;
        }
        try {
            sockets.node.handleCheckResult(System.nanoTime(), check, healthy);
            effects.run();
        } catch (RuntimeException e) {
            LOG.error("handling a result of check {} failed", check, e);
        }
        ticker.reschedule();
    }

    private void onLoop(Runnable task) {
        try {
            loop.execute(task);
        } catch (RejectedExecutionException closing) {
            // a check finished while the node was closing: nothing left to tell
        }
    }

    /**
     * Stops gracefully: every Active router sends priority 0 and removes its addresses (RFC 9568
     * §6.4.3 Shutdown), every router reports the change, then sockets and the loop are released.
     * Idempotent.
     */
    @Override
    public synchronized void close() {
        if (!started || closed) {
            closed = true;
            return;
        }
        if (healthRunner != null) {
            healthRunner.close();
        }
        try {
            loop.submit(() -> {
                sockets.node.handleShutdown(System.nanoTime());
                effects.run();
                for (DriverRouter router : sockets.inOrder()) {
                    router.cancelAnnouncements();
                }
                closed = true;
                ticker.stop();
            }).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.error("graceful shutdown did not complete", e);
        }
        closed = true;
        releaseAll();
    }

    private void releaseAll() {
        List<EpollReadinessRegistration> all = new ArrayList<>(registrations);
        if (sockets != null) {
            sockets.ports.values().forEach(port -> {
                all.addAll(port.registrations);
                if (port.linkRegistration != null) {
                    all.add(port.linkRegistration);
                }
            });
            sockets.trackedInterfaces.stream().map(t -> t.registration).filter(Objects::nonNull).forEach(all::add);
        }
        for (EpollReadinessRegistration registration : all) {
            try {
                registration.cancel().await(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        if (sockets != null) {
            sockets.close();
        }
    }

    @Override
    public String toString() {
        NodeSockets s = sockets;
        return "NodeDriver" + (s == null ? userConfig.routers().stream().map(r -> r.name()).toList()
                : Arrays.toString(s.routers));
    }
}
