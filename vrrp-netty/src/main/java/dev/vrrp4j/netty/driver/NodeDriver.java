package dev.vrrp4j.netty.driver;

import dev.vrrp4j.core.packet.AddressFamily;
import dev.vrrp4j.core.packet.AdvertisementCodec;
import dev.vrrp4j.core.packet.Advertisement;
import dev.vrrp4j.core.packet.MalformedPacketException;
import dev.vrrp4j.core.packet.PacketDropReason;
import dev.vrrp4j.core.router.Action;
import dev.vrrp4j.core.router.State;
import dev.vrrp4j.core.router.VirtualAddress;
import dev.vrrp4j.core.router.VirtualRouter;
import dev.vrrp4j.core.health.TrackedPriority;
import dev.vrrp4j.core.router.TransitionReason;
import dev.vrrp4j.netty.EventLoopPriority;
import dev.vrrp4j.netty.SyncGroup;
import dev.vrrp4j.netty.TrackedCheck;
import dev.vrrp4j.netty.VirtualRouterSpec;
import dev.vrrp4j.netty.transport.AddressMonitor;
import dev.vrrp4j.netty.transport.ArpPacket;
import dev.vrrp4j.netty.transport.ArpWatchSocket;
import dev.vrrp4j.netty.transport.EpollReadinessRegistration;
import dev.vrrp4j.netty.transport.GratuitousArpSender;
import dev.vrrp4j.netty.transport.LinkEvent;
import dev.vrrp4j.netty.transport.LinkInfo;
import dev.vrrp4j.netty.transport.LinkMonitor;
import dev.vrrp4j.netty.transport.NativeException;
import dev.vrrp4j.netty.transport.NeighborAdvertisementSender;
import dev.vrrp4j.netty.transport.ReceivedPacketInfo;
import dev.vrrp4j.netty.transport.RtNetlink;
import dev.vrrp4j.netty.transport.ThreadScheduling;
import dev.vrrp4j.netty.transport.TimerFd;
import dev.vrrp4j.netty.transport.VrrpReceiveSocket;
import dev.vrrp4j.netty.transport.VrrpSendSocket;
import io.netty.channel.IoEventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Runs a node's virtual routers on one Netty epoll event loop: feeds received packets and
 * {@link System#nanoTime()} into each {@link dev.vrrp4j.core.router.VirtualRouter}, performs the
 * actions it returns (send, add/remove addresses, announce), and arms one timer (a {@link TimerFd})
 * at the earliest deadline of all routers.
 *
 * <p>When the timer fires late (a GC pause, a stopped process), the driver first reads every packet
 * already queued on the sockets and hands it to the routers, and only then lets expired timers run:
 * an Active router that was merely paused is heard before a Backup declares it dead. It logs how late
 * the timer was.
 *
 * <p>Nothing the network sends can stop the loop: malformed packets are dropped and counted by
 * {@link PacketDropReason}, and any exception while handling a packet is caught and logged.
 */
public final class NodeDriver implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeDriver.class);
    private static final int RECEIVE_BATCH = 64;
    /** Upper bound on packets read before a timeout runs: a busy LAN must not starve the timer forever. */
    private static final int DRAIN_LIMIT = 64 * RECEIVE_BATCH;
    /** Receive queue per router on a socket (16 KiB ≈ 12–20 queued adverts each), within the bounds below. */
    private static final int RECEIVE_BUFFER_PER_ROUTER = 16 * 1024;
    private static final int RECEIVE_BUFFER_MIN = 256 * 1024;
    private static final int RECEIVE_BUFFER_MAX = 4 * 1024 * 1024;
    private static final long LATE_WARNING_NANOS = 20_000_000L;
    /**
     * A timer this late means the loop was busy or stopped: what arrived meanwhile is read before
     * any timeout runs. Below it the sockets were read in this very loop iteration, and draining
     * them again would only delay a takeover (0.1 ms, measured).
     */
    private static final long DRAIN_LATENESS_NANOS = 1_000_000L;
    private static final long TICK_NANOS = 5_000_000L;
    /** Runs of the send path at start, for the whole node: enough for the JIT's first tier. */
    private static final int WARM_UP_SENDS = 2_000;
    private static final int WARM_UP_TAKEOVERS = 3_000;
    private static final PacketDropReason[] REASONS = PacketDropReason.values();

    private final List<VirtualRouterSpec> specs;
    private final List<SyncGroup> groups;
    private final Map<String, InterfaceWatch> watches = new LinkedHashMap<>();
    private final Map<String, HealthRunner.CheckRun> checks = new LinkedHashMap<>();
    private HealthRunner healthRunner;
    private final TransitionSink sink;
    private final Map<String, InterfacePort> ports = new LinkedHashMap<>();
    private final Map<String, VrrpSendSocket> sendSockets = new LinkedHashMap<>();
    private final List<RouterSlot> slots = new ArrayList<>();
    private final List<EpollReadinessRegistration> watchRegistrations = new ArrayList<>();
    private final ByteBuffer receiveBuffer = ByteBuffer.allocateDirect(65_536);
    private final ByteBuffer sendBuffer = ByteBuffer.allocateDirect(VrrpSendSocket.MAX_MESSAGE_BYTES);
    private final ReceivedPacketInfo info = new ReceivedPacketInfo();
    private final Advertisement received = new Advertisement();
    private final byte[] sourceScratch = new byte[16];
    private final ArpPacket arpPacket = new ArpPacket();
    /** Drops that belong to no configured router (unknown VRID, unreadable packets). */
    private final AtomicLongArray nodeDrops = new AtomicLongArray(REASONS.length);
    private final AtomicLongArray firstDropLogged = new AtomicLongArray(REASONS.length);

    private MultiThreadIoEventLoopGroup group;
    private IoEventLoop loop;
    private RtNetlink netlink;
    private TimerFd timerFd;
    /** Puts back virtual addresses removed behind our back (issue 14). */
    private AddressHealer addressHealer;
    private EpollReadinessRegistration timerRegistration;
    private boolean timerArmed;
    /** A read stopped at a full batch, so packets may still be queued. */
    private boolean receiveBacklog;
    private int probeIndex;
    private long timerDeadlineNanos;
    private volatile boolean started;
    private volatile boolean closed;

    private final EventLoopPriority loopPriority;

    public NodeDriver(List<VirtualRouterSpec> specs, List<SyncGroup> groups, EventLoopPriority loopPriority,
                      TransitionSink sink) {
        this.loopPriority = Objects.requireNonNull(loopPriority, "loopPriority");
        this.specs = List.copyOf(specs);
        this.groups = List.copyOf(groups);
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    /** The routers, in configuration order. Filled by {@link #start()}. */
    public List<RouterView> routers() {
        return List.copyOf(slots);
    }

    /**
     * Takes a consistent snapshot of every router on the event loop (or, before start and after
     * close, from the configuration) and maps each through {@code mapper}.
     */
    public <T> List<T> snapshot(java.util.function.Function<RouterSnapshot, T> mapper) {
        java.util.concurrent.Callable<List<T>> take = () -> {
            long now = System.nanoTime();
            List<T> result = new ArrayList<>(slots.size());
            for (RouterSlot slot : slots) {
                Action.SplitBrainDetected last = slot.router.lastSplitBrain();
                result.add(mapper.apply(new RouterSnapshot(slot, slot.router.state(), slot.router.priority(),
                        slot.router.activeAddress(), now - slot.router.stateSinceNanos(),
                        slot.router.splitBrainOngoing(now), last, last == null ? 0 : now - last.atNanos())));
            }
            return result;
        };
        try {
            if (loop != null && !closed && !loop.inEventLoop()) {
                return loop.submit(take).get(5, TimeUnit.SECONDS);
            }
            return take.call();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while taking a status snapshot", e);
        } catch (Exception e) {
            throw new IllegalStateException("status snapshot failed", e);
        }
    }

    /**
     * What {@link #snapshot} sees of one router.
     *
     * @param splitBrainOngoing  whether a split-brain episode is going on
     * @param lastSplitBrain     the report of the latest episode, or null
     * @param nanosSinceLastSplitBrain how long ago that report was made (0 without one)
     */
    public record RouterSnapshot(RouterView router, State state, int priority, InetAddress activeAddress,
                                 long nanosInState, boolean splitBrainOngoing, Action.SplitBrainDetected lastSplitBrain,
                                 long nanosSinceLastSplitBrain) {}

    /** Drops that could not be attributed to a configured router, by reason. */
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
            openAll();
            group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("vrrp4j", true),
                    EpollIoHandler.newFactory());
            loop = (IoEventLoop) group.next();
            for (InterfacePort port : ports.values()) {
                register(port, port.receive4, () -> readAll(port, port.receive4, true));
                register(port, port.receive6, () -> readAll(port, port.receive6, true));
                register(port, port.linkMonitor, () -> onLinkEvent(port));
                register(port, port.arpWatch, () -> readArp(port));
            }
            for (InterfaceWatch watch : watches.values()) {
                if (watch.monitor != null) {
                    watchRegistrations.add(EpollReadinessRegistration.register(loop, watch.monitor.fd(),
                            () -> onWatchEvent(watch)).get(10, TimeUnit.SECONDS));
                }
            }
            addressHealer = new AddressHealer(AddressMonitor.open(), ports.values(), netlink, this::announceBurst);
            watchRegistrations.add(EpollReadinessRegistration.register(loop, addressHealer.fd(),
                    addressHealer::onReadable).get(10, TimeUnit.SECONDS));
            timerFd = TimerFd.open();
            timerRegistration = EpollReadinessRegistration.register(loop, timerFd.fd(), this::onTimerReadable)
                    .get(10, TimeUnit.SECONDS);
            loop.submit(this::applyLoopPriority).get(10, TimeUnit.SECONDS);
            loop.submit(this::startRouters).get(10, TimeUnit.SECONDS);
            healthRunner = new HealthRunner(List.copyOf(checks.values()), (run, healthy) -> {
                try {
                    loop.execute(() -> onCheckResult(run, healthy));
                } catch (java.util.concurrent.RejectedExecutionException closing) {
                    // a check finished while the node was closing: nothing left to tell
                }
            });
            healthRunner.start();
        } catch (NativeException | RuntimeException e) {
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

    /** Runs on the loop thread: scheduling is per thread. A refusal is a warning, as in keepalived. */
    private void applyLoopPriority() {
        try {
            switch (loopPriority.policy()) {
                case INHERIT -> { }
                case NICE -> {
                    ThreadScheduling.setCurrentThreadNice(loopPriority.value());
                    LOG.info("event loop runs at nice {}", loopPriority.value());
                }
                case REALTIME -> {
                    ThreadScheduling.setCurrentThreadRealtime(loopPriority.value());
                    LOG.info("event loop runs at SCHED_RR priority {}", loopPriority.value());
                }
            }
        } catch (NativeException e) {
            LOG.warn("event loop priority not changed, running at the normal priority: {}", e.getMessage());
        }
    }

    private void register(InterfacePort port, Object socket, Runnable onReadable)
            throws InterruptedException, ExecutionException, TimeoutException {
        int fd = switch (socket) {
            case null -> -1;
            case VrrpReceiveSocket receive -> receive.fd();
            case LinkMonitor monitor -> monitor.fd();
            case ArpWatchSocket arp -> arp.fd();
            default -> throw new IllegalArgumentException(socket.toString());
        };
        if (fd >= 0) {
            port.registrations.add(EpollReadinessRegistration.register(loop, fd, onReadable).get(10, TimeUnit.SECONDS));
        }
    }

    private void openAll() throws NativeException {
        netlink = RtNetlink.open();
        netlink.checkAddressChangesPermitted();
        for (VirtualRouterSpec spec : specs) {
            InterfacePort port = ports.get(spec.interfaceName());
            if (port == null) {
                LinkInfo link = netlink.link(spec.interfaceName());
                port = new InterfacePort(spec.interfaceName(), link.index());
                ports.put(spec.interfaceName(), port);
                port.linkUp = link.operational();
                port.linkMonitor = LinkMonitor.open(spec.interfaceName());
            }
            AddressFamily family = spec.config().family();
            RouterSlot[] table = port.table(family);
            int vrid = spec.config().vrid();
            if (table[vrid] != null) {
                throw new IllegalArgumentException("routers " + table[vrid].name() + " and " + spec.config().name()
                        + " both use VRID " + vrid + " for " + family + " on " + spec.interfaceName());
            }
            InetAddress source = spec.sourceAddress() != null ? spec.sourceAddress() : primaryAddress(spec);
            VrrpSendSocket sendSocket = sendSocket(spec, source);
            if (family == AddressFamily.IPV4) {
                if (port.receive4 == null) {
                    port.receive4 = VrrpReceiveSocket.openIpv4(port.name);
                    port.arp = GratuitousArpSender.open(port.name);
                    // Always open, not only while Active: opening it on takeover would put three
                    // system calls and a failure mode on the takeover path, and ARP is little traffic.
                    port.arpWatch = ArpWatchSocket.open(port.name);
                    port.mac = port.arp.link().hardwareAddress().value();
                }
            } else if (port.receive6 == null) {
                port.receive6 = VrrpReceiveSocket.openIpv6(port.name);
                port.neighborAdvertiser = NeighborAdvertisementSender.open(port.name);
            }
            RouterSlot slot = new RouterSlot(spec, port, sendSocket, source);
            table[vrid] = slot;
            port.routers.add(slot);
            slots.add(slot);
            trackChecks(slot);
            trackInterfaces(slot);
        }
        for (InterfacePort port : ports.values()) {
            sizeReceiveBuffer(port.receive4, port.table(AddressFamily.IPV4));
            sizeReceiveBuffer(port.receive6, port.table(AddressFamily.IPV6));
        }
        for (SyncGroup group : groups) {
            GroupState state = new GroupState(group.name());
            for (String member : group.routers()) {
                RouterSlot slot = slots.stream().filter(s -> s.name().equals(member)).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("sync group " + group.name()
                                + " names router " + member + ", which is not configured"));
                if (slot.group != null) {
                    throw new IllegalArgumentException("router " + member + " is in sync groups " + slot.group.name
                            + " and " + group.name() + "; a router can be in one group only");
                }
                slot.group = state;
                state.members.add(slot);
            }
        }
    }

    private static void sizeReceiveBuffer(VrrpReceiveSocket socket, RouterSlot[] table) throws NativeException {
        if (socket == null) {
            return;
        }
        long routers = java.util.Arrays.stream(table).filter(Objects::nonNull).count();
        socket.receiveBufferBytes((int) Math.clamp(routers * RECEIVE_BUFFER_PER_ROUTER, RECEIVE_BUFFER_MIN,
                RECEIVE_BUFFER_MAX));
    }

    private void trackChecks(RouterSlot slot) {
        for (TrackedCheck check : slot.spec.checks()) {
            HealthRunner.CheckRun run = checks.computeIfAbsent(check.name(), name -> new HealthRunner.CheckRun(check));
            TrackedCheck first = run.spec;
            if (first.check() != check.check() || !first.interval().equals(check.interval())
                    || !first.timeout().equals(check.timeout()) || first.policy().rise() != check.policy().rise()
                    || first.policy().fall() != check.policy().fall()) {
                throw new IllegalArgumentException("check " + check.name() + " is tracked by " + run.routers.get(0).name()
                        + " and " + slot.name() + " with different definitions; only the weight may differ");
            }
            run.routers.add(slot);
            slot.tracked.add(new TrackedPriority.Tracked(run.state, check.policy().weight()));
        }
    }

    private void trackInterfaces(RouterSlot slot) throws NativeException {
        for (String name : slot.spec.trackedInterfaces()) {
            if (name.equals(slot.port.name)) {
                continue; // its own interface is always tracked
            }
            InterfaceWatch watch = watches.get(name);
            if (watch == null) {
                watch = new InterfaceWatch(name);
                watches.put(name, watch);
                try {
                    watch.up = netlink.link(name).operational();
                } catch (NativeException e) {
                    LOG.warn("tracked interface {} cannot be read ({}); treating it as down", name, e.getMessage());
                    watch.up = false;
                }
                watch.monitor = LinkMonitor.open(name);
            }
            watch.routers.add(slot);
            slot.watches.add(watch);
        }
    }

    private InetAddress primaryAddress(VirtualRouterSpec spec) throws NativeException {
        String name = spec.interfaceName();
        if (spec.config().family() == AddressFamily.IPV4) {
            return netlink.primaryIpv4Address(name).orElseThrow(() -> new IllegalArgumentException(
                    "interface " + name + " has no IPv4 address to send advertisements from; add one or set sourceAddress"));
        }
        return netlink.ipv6LinkLocalAddress(name).orElseThrow(() -> new IllegalArgumentException(
                "interface " + name + " has no IPv6 link-local address to send advertisements from"));
    }

    private VrrpSendSocket sendSocket(VirtualRouterSpec spec, InetAddress source) throws NativeException {
        String key = spec.interfaceName() + "|" + source.getHostAddress();
        VrrpSendSocket socket = sendSockets.get(key);
        if (socket == null) {
            socket = spec.config().family() == AddressFamily.IPV4
                    ? VrrpSendSocket.openIpv4(spec.interfaceName(), (Inet4Address) source)
                    : VrrpSendSocket.openIpv6(spec.interfaceName(), (Inet6Address) source);
            sendSockets.put(key, socket);
        }
        return socket;
    }

    private void startRouters() {
        for (RouterSlot slot : slots) {
            if (!slot.spec.config().isOwner()) {
                // A crashed predecessor (kill -9, power loss) leaves its addresses on the interface;
                // a Backup must not answer for them, so clear them as keepalived does at startup.
                changeAddresses(slot, false);
            }
        }
        warmUpSendPath();
        warmUpTakeover();
        // Read the clock after the slow part (netlink, warm-up: tens of ms with 255 routers), or the
        // Backups' first Active_Down_Timers would be spent before the loop could read one advert.
        long now = System.nanoTime();
        for (RouterSlot slot : slots) {
            slot.router.handleStart(now);
            if (!slot.port.linkUp) {
                LOG.warn("{}: interface {} is down at startup", slot.name(), slot.port.name);
            }
            execute(slot);
        }
        for (RouterSlot slot : slots) {
            updateConditions(slot, now);
        }
        reschedule();
    }

    /**
     * Runs the core's Backup-to-Active path on throw-away routers, so that a Backup's first real
     * takeover, possibly weeks later, does not run it interpreted (measured: ~0.1 ms of the
     * takeover). Every other one first hears an Active, as a real Backup has: warming only the
     * silent-LAN case left the JIT a branch it had never seen, and the first real takeover
     * deoptimised there (-Xlog:deoptimization, SplitBrainWatch.enteredActive). Their actions are
     * never taken, so nothing is logged or sent.
     */
    private void warmUpTakeover() {
        if (slots.isEmpty()) {
            return;
        }
        RouterSlot sample = slots.getFirst();
        // The sample's own advertisement, from another address and the highest priority: an Active
        // the throw-away router accepts. send() sets priority and source again before encoding it.
        Advertisement active = sample.outgoing;
        byte[] otherSource = sample.sourceBytes.clone();
        otherSource[otherSource.length - 1] ^= 1;
        active.route(otherSource, sample.destinationBytes[0]).priority(255);
        try {
            for (int i = 0; i < WARM_UP_TAKEOVERS; i++) {
                VirtualRouter scratch = new VirtualRouter(sample.spec.config(), sample.sourceAddress);
                scratch.handleStart(0);
                if (i % 2 == 0) {
                    scratch.handleAdvertisement(1, active);
                }
                if (scratch.hasDeadline()) {
                    scratch.handleTimeout(scratch.nextDeadlineNanos());
                }
            }
        } catch (RuntimeException e) {
            LOG.debug("warming up the takeover path failed; the first takeover will be slower", e);
        }
    }

    /** Runs the send path (see {@link VrrpSendSocket.Mode#PROBE}) without putting anything on the wire. */
    private void warmUpSendPath() {
        if (slots.isEmpty()) {
            return;
        }
        int rounds = Math.max(1, WARM_UP_SENDS / slots.size());
        // Load the Active state's entry actions now: loading them on the first takeover cost ~0.5 ms.
        Objects.requireNonNull(Action.SendAdvertisement.of(0));
        Objects.requireNonNull(Action.AddVirtualAddresses.INSTANCE);
        Objects.requireNonNull(Action.AnnounceAddresses.INSTANCE);
        Objects.requireNonNull(Action.RemoveVirtualAddresses.INSTANCE);
        for (int round = 0; round < rounds; round++) {
            for (RouterSlot slot : slots) {
                send(slot, slot.router.priority(), VrrpSendSocket.Mode.PROBE);
            }
        }
    }

    /**
     * Probes one Backup's send path, a different router each call: a Backup wakes every tick, and
     * so its first real advertisement, maybe weeks later, finds the code compiled and the kernel's
     * path warm (measured: the first sendto after a start-up-only warm-up took 0.11-0.22 ms).
     */
    private void probeSendPath() {
        if (slots.isEmpty()) {
            return;
        }
        probeIndex = (probeIndex + 1) % slots.size();
        RouterSlot slot = slots.get(probeIndex);
        if (slot.router.state() == State.BACKUP) {
            send(slot, slot.router.priority(), VrrpSendSocket.Mode.PROBE);
        }
    }

    // ------------------------------------------------------------------ receive

    /** Reads up to one batch; returns how many packets it read (fewer than a batch: the queue is empty). */
    private int readAll(InterfacePort port, VrrpReceiveSocket socket, boolean reschedule) {
        int read = 0;
        for (; read < RECEIVE_BATCH; read++) {
            receiveBuffer.clear();
            int length;
            try {
                length = socket.receive(receiveBuffer, info);
            } catch (NativeException e) {
                LOG.warn("receive on {} failed: {}", socket, e.getMessage());
                return read;
            }
            if (length < 0) {
                break;
            }
            receiveBuffer.flip();
            try {
                onPacket(port, socket.family());
            } catch (RuntimeException e) {
                // A bug must not take the loop down; the packet is lost, the protocol goes on.
                LOG.error("failed to handle a packet on {}", port.name, e);
            }
        }
        if (reschedule) {
            reschedule();
        }
        if (read == RECEIVE_BATCH) {
            receiveBacklog = true;
        }
        return read;
    }

    private void onPacket(InterfacePort port, AddressFamily family) {
        if (info.truncated()) {
            drop(null, PacketDropReason.TRUNCATED, "packet of " + info.packetLength() + " bytes was truncated");
            return;
        }
        try {
            if (family == AddressFamily.IPV4) {
                AdvertisementCodec.decodeIpv4Packet(receiveBuffer, received);
            } else {
                AdvertisementCodec.decodeMessage(receiveBuffer, family, info.sourceBytes(), info.destinationBytes(),
                        info.ttl(), false, received);
            }
        } catch (MalformedPacketException e) {
            drop(attribute(port, family), e.reason(), e.getMessage());
            return;
        }
        RouterSlot slot = port.table(family)[received.vrid()];
        if (slot == null) {
            drop(null, PacketDropReason.VRID_MISMATCH, "no router for VRID " + received.vrid() + " on " + port.name);
            return;
        }
        if (received.compareSourceTo(slot.sourceBytes) == 0) {
            return; // our own advertisement, looped back
        }
        received.copySource(sourceScratch);
        if (!slot.acceptsSource(sourceScratch)) {
            drop(slot, PacketDropReason.UNKNOWN_PEER, "advertisement from " + received.sourceAddress().getHostAddress()
                    + ", which is not a unicast peer of " + slot.name());
            return;
        }
        // RFC 9568 §6.4.2: the Active_Down_Timer restarts when the advertisement arrived (the kernel's
        // stamp), not when this loop woke up to read it.
        slot.router.handleAdvertisement(info.arrivalNanos(), received);
        execute(slot);
    }

    /** The router a malformed packet was meant for, if its VRID byte can be read; else null. */
    private RouterSlot attribute(InterfacePort port, AddressFamily family) {
        int offset = receiveBuffer.position();
        if (family == AddressFamily.IPV4) {
            if (receiveBuffer.remaining() < 1) {
                return null;
            }
            offset += (receiveBuffer.get(offset) & 0x0f) * 4;
        }
        return offset + 1 < receiveBuffer.limit() ? port.table(family)[receiveBuffer.get(offset + 1) & 0xff] : null;
    }

    private void drop(RouterSlot slot, PacketDropReason reason, String detail) {
        if (slot != null) {
            slot.router.counters().drop(reason);
        } else {
            nodeDrops.incrementAndGet(reason.ordinal());
        }
        if (firstDropLogged.compareAndSet(reason.ordinal(), 0, 1)) {
            LOG.warn("dropped a packet{}: {} (further {} drops are logged at debug level)",
                    slot == null ? "" : " for " + slot.name(), detail, reason);
        } else {
            LOG.debug("dropped a packet: {}", detail);
        }
    }

    /**
     * Reads a batch of ARP packets and hands those that come from another MAC to the IPv4 routers of
     * the port, which look for their virtual addresses as sender while Active. Allocates nothing.
     */
    private void readArp(InterfacePort port) {
        for (int i = 0; i < RECEIVE_BATCH; i++) {
            ArpWatchSocket.Result result;
            try {
                result = port.arpWatch.receive(arpPacket);
            } catch (NativeException e) {
                LOG.warn("ARP receive on {} failed: {}", port.name, e.getMessage());
                return;
            }
            switch (result) {
                case NONE -> {
                    reschedule();
                    return;
                }
                case OWN -> { }
                case MALFORMED -> drop(null, PacketDropReason.MALFORMED_ARP, "malformed ARP frame on " + port.name);
                case PACKET -> {
                    if (arpPacket.senderMac() != port.mac) {
                        onForeignArp(port);
                    }
                }
            }
        }
        reschedule();
    }

    private void onForeignArp(InterfacePort port) {
        long now = System.nanoTime();
        for (int i = 0; i < port.routers.size(); i++) {
            RouterSlot slot = port.routers.get(i);
            if (slot.router.state() == State.ACTIVE && slot.spec.config().family() == AddressFamily.IPV4) {
                try {
                    slot.router.handleAddressConflict(now, arpPacket.senderAddress(), arpPacket.senderMac());
                    execute(slot);
                } catch (RuntimeException e) {
                    LOG.error("{}: failed to handle an ARP packet", slot.name(), e);
                }
            }
        }
    }

    // ------------------------------------------------------------------ link state

    private void onLinkEvent(InterfacePort port) {
        List<LinkEvent> events;
        try {
            events = port.linkMonitor.poll();
        } catch (NativeException e) {
            LOG.warn("reading link events for {} failed: {}", port.name, e.getMessage());
            return;
        }
        for (LinkEvent event : events) {
            boolean up = event.state() == LinkEvent.State.UP;
            if (up == port.linkUp) {
                continue;
            }
            port.linkUp = up;
            LOG.info("interface {} is {}", port.name, event.state());
            long now = System.nanoTime();
            for (RouterSlot slot : port.routers) {
                updateConditions(slot, now);
            }
        }
        reschedule();
    }

    private void onWatchEvent(InterfaceWatch watch) {
        List<LinkEvent> events;
        try {
            events = watch.monitor.poll();
        } catch (NativeException e) {
            LOG.warn("reading link events for tracked interface {} failed: {}", watch.name, e.getMessage());
            return;
        }
        for (LinkEvent event : events) {
            boolean up = event.state() == LinkEvent.State.UP;
            if (up == watch.up) {
                continue;
            }
            watch.up = up;
            LOG.info("tracked interface {} is {}", watch.name, event.state());
            long now = System.nanoTime();
            for (RouterSlot slot : watch.routers) {
                updateConditions(slot, now);
            }
        }
        reschedule();
    }

    private void onCheckResult(HealthRunner.CheckRun run, boolean healthy) {
        if (closed || !run.state.record(healthy)) {
            return;
        }
        LOG.info("check {} is now {}", run.spec.name(), healthy ? "healthy" : "failing");
        long now = System.nanoTime();
        for (RouterSlot slot : run.routers) {
            updateConditions(slot, now);
        }
        reschedule();
    }

    /**
     * Applies what the checks, the links and the sync group say: the effective priority (keepalived
     * track_script weights) and whether the router (and, through its sync group, its partners)
     * belongs in Fault.
     */
    private void updateConditions(RouterSlot slot, long now) {
        if (!slot.spec.config().isOwner()) {
            int priority = TrackedPriority.effectivePriority(slot.spec.config().priority(), slot.tracked);
            if (priority != slot.router.priority()) {
                slot.router.setPriority(now, priority);
            }
        }
        List<RouterSlot> affected = slot.group == null ? List.of(slot) : slot.group.members;
        for (RouterSlot member : affected) {
            boolean fault = member.ownFault();
            if (member.group != null) {
                for (RouterSlot other : member.group.members) {
                    fault |= other != member && other.ownFault();
                }
            }
            State state = member.router.state();
            if (fault && state != State.FAULT && state != State.INITIALIZE) {
                member.router.handleFault(now);
            } else if (!fault && state == State.FAULT) {
                member.router.handleFaultCleared(now);
            }
            execute(member);
        }
    }

    // ------------------------------------------------------------------ timers

    /**
     * Arms the one timer (a timerfd: absolute, precise, no allocation) at the earliest deadline; a
     * timer already due earlier is kept and re-armed when it fires, which saves a system call per
     * advertisement on a Backup whose deadlines only move later.
     */
    private void reschedule() {
        if (closed) {
            return;
        }
        boolean any = false;
        long earliest = 0;
        for (RouterSlot slot : slots) {
            if (slot.router.hasDeadline()) {
                long deadline = slot.router.nextDeadlineNanos();
                if (!any || deadline - earliest < 0) {
                    earliest = deadline;
                    any = true;
                }
            }
        }
        if (!any) {
            return;
        }
        // Never sleep longer than a tick: a Backup otherwise wakes a few times a second, and its
        // first takeover ran the wake-up path cold (0.2-0.4 ms of it, measured; 0.1 ms with the tick).
        long tick = System.nanoTime() + TICK_NANOS;
        if (earliest - tick > 0) {
            earliest = tick;
        }
        if (timerArmed && timerDeadlineNanos - earliest <= 0) {
            return; // fires no later than needed; an early fire is harmless (the core ignores it)
        }
        try {
            timerFd.armAt(earliest);
        } catch (NativeException e) {
            LOG.error("arming the timer failed; timeouts will not run: {}", e.getMessage());
            return;
        }
        timerDeadlineNanos = earliest;
        timerArmed = true;
    }

    private void onTimerReadable() {
        try {
            if (timerFd.acknowledge() == 0) {
                return; // re-armed after it expired and before this read: the new deadline is still ahead
            }
        } catch (NativeException e) {
            LOG.warn("reading the timer failed: {}", e.getMessage());
        }
        onTimer();
    }

    private void onTimer() {
        timerArmed = false;
        long firedAt = System.nanoTime();
        long lateNanos = firedAt - timerDeadlineNanos;
        if (lateNanos > DRAIN_LATENESS_NANOS || (receiveBacklog && backupTimeoutDue(firedAt))) {
            // A Backup about to declare the Active dead must first hear whatever is queued: the Active
            // may still be talking and only this loop was behind (a GC pause, a stopped process, a
            // burst of work), or a read stopped at a full batch. Otherwise the sockets were read in
            // this loop iteration or the last, within the last millisecond.
            int drained = 0;
            for (InterfacePort port : ports.values()) {
                drained += drainQueued(port);
            }
            if (lateNanos > LATE_WARNING_NANOS) {
                LOG.warn("timer fired {} ms late (GC pause or stopped process?); read {} queued packets before running it",
                        lateNanos / 1_000_000, drained);
            }
        }
        try {
            long now = System.nanoTime();
            for (RouterSlot slot : slots) {
                if (slot.router.hasDeadline() && now - slot.router.nextDeadlineNanos() >= 0) {
                    slot.router.handleTimeout(now);
                    execute(slot);
                }
            }
            probeSendPath();
        } catch (RuntimeException e) {
            LOG.error("timer handling failed", e);
        }
        reschedule();
    }

    private boolean backupTimeoutDue(long now) {
        for (RouterSlot slot : slots) {
            if (slot.router.state() == State.BACKUP && slot.router.hasDeadline() && now - slot.router.nextDeadlineNanos() >= 0) {
                return true;
            }
        }
        return false;
    }

    /** Reads every queued packet (up to {@link #DRAIN_LIMIT} per socket); returns how many. */
    private int drainQueued(InterfacePort port) {
        receiveBacklog = false;
        return drain(port, port.receive4) + drain(port, port.receive6);
    }

    private int drain(InterfacePort port, VrrpReceiveSocket socket) {
        if (socket == null) {
            return 0;
        }
        int total = 0;
        int read;
        do {
            read = readAll(port, socket, false);
            total += read;
        } while (read == RECEIVE_BATCH && total < DRAIN_LIMIT);
        return total;
    }

    // ------------------------------------------------------------------ actions

    private void execute(RouterSlot slot) {
        Action.StateChanged last = null;
        Action action;
        while ((action = slot.router.pollAction()) != null) {
            if (action instanceof Action.StateChanged changed) {
                last = changed;
            }
            switch (action) {
                case Action.SendAdvertisement send -> send(slot, send.priority(), VrrpSendSocket.Mode.WIRE);
                case Action.AddVirtualAddresses add -> changeAddresses(slot, true);
                case Action.RemoveVirtualAddresses remove -> {
                    slot.cancelAnnouncements();
                    changeAddresses(slot, false);
                }
                case Action.AnnounceAddresses announce -> announce(slot);
                case Action.SplitBrainDetected detected -> {
                    try {
                        sink.onSplitBrain(slot, detected);
                    } catch (RuntimeException e) {
                        LOG.error("{}: split-brain listener failed", slot.name(), e);
                    }
                }
                case Action.StateChanged changed -> {
                    slot.state = changed.to();
                    try {
                        sink.onTransition(slot, changed, slot.router.priority());
                    } catch (RuntimeException e) {
                        LOG.error("{}: transition listener failed", slot.name(), e);
                    }
                }
            }
        }
        if (last != null && slot.group != null) {
            followGroup(slot, last);
        }
    }

    /** keepalived vrrp_sync_group: the others follow a member into Active or out of it. */
    private void followGroup(RouterSlot slot, Action.StateChanged change) {
        GroupState group = slot.group;
        if (change.reason() != TransitionReason.SYNC_GROUP) {
            for (RouterSlot member : group.members) {
                if (member == slot) {
                    continue;
                }
                if (change.to() == State.ACTIVE) {
                    member.router.handleSyncActive(change.atNanos());
                } else if (change.from() == State.ACTIVE && change.to() == State.BACKUP) {
                    member.router.handleSyncBackup(change.atNanos());
                }
                execute(member);
            }
        }
        State now = group.current();
        if (now != null && now != group.reported) {
            State from = group.reported;
            group.reported = now;
            LOG.info("sync group {}: {} -> {}", group.name, from.keepalivedName(), now.keepalivedName());
            try {
                sink.onGroupTransition(group.name, from, now, change.reason());
            } catch (RuntimeException e) {
                LOG.error("sync group {}: transition listener failed", group.name, e);
            }
        }
    }

    private void send(RouterSlot slot, int priority, VrrpSendSocket.Mode mode) {
        slot.outgoing.priority(priority);
        for (int i = 0; i < slot.destinations.length; i++) {
            encodeFor(slot, i);
            try {
                if (!slot.sendSocket.send(sendBuffer, slot.destinations[i], mode)) {
                    LOG.debug("{}: send buffer full, advertisement dropped", slot.name());
                }
            } catch (NativeException e) {
                if (mode == VrrpSendSocket.Mode.WIRE) {
                    LOG.warn("{}: sending an advertisement to {} failed: {}", slot.name(),
                            slot.destinations[i].getHostAddress(), e.getMessage());
                } else {
                    LOG.debug("{}: probing the send path to {} failed: {}", slot.name(),
                            slot.destinations[i].getHostAddress(), e.getMessage());
                }
            }
        }
    }

    /** Encodes the slot's advertisement for destination {@code i} into {@link #sendBuffer}, ready to send. */
    private void encodeFor(RouterSlot slot, int i) {
        slot.outgoing.route(slot.sourceBytes, slot.destinationBytes[i]);
        sendBuffer.clear();
        AdvertisementCodec.encode(slot.outgoing, slot.spec.config().ipv4ChecksumForm(), sendBuffer);
        sendBuffer.flip();
    }

    private void changeAddresses(RouterSlot slot, boolean add) {
        for (VirtualAddress vip : slot.spec.config().virtualAddresses()) {
            try {
                if (add) {
                    netlink.addAddress(slot.port.index, slot.port.name, vip.address(), vip.prefixLength());
                } else {
                    netlink.deleteAddress(slot.port.index, slot.port.name, vip.address(), vip.prefixLength());
                }
            } catch (NativeException e) {
                LOG.error("{}: {} {} on {} failed: {}", slot.name(), add ? "adding" : "removing", vip, slot.port.name,
                        e.getMessage());
            }
        }
    }

    private void announce(RouterSlot slot) {
        announceBurst(slot);
        var settings = slot.spec.announce();
        if (!settings.secondBurstDelay().isZero()) {
            slot.secondBurst = loop.schedule(() -> {
                slot.secondBurst = null;
                if (slot.router.state() == State.ACTIVE) {
                    announceBurst(slot);
                }
            }, settings.secondBurstDelay().toNanos(), TimeUnit.NANOSECONDS);
        }
        if (!settings.refreshInterval().isZero()) {
            long period = settings.refreshInterval().toNanos();
            slot.refresh = loop.scheduleAtFixedRate(() -> {
                if (slot.router.state() == State.ACTIVE) {
                    announceBurst(slot);
                }
            }, period, period, TimeUnit.NANOSECONDS);
        }
    }

    private void announceBurst(RouterSlot slot) {
        int count = slot.spec.announce().burstCount();
        for (VirtualAddress vip : slot.spec.config().virtualAddresses()) {
            try {
                for (int i = 0; i < count; i++) {
                    if (vip.address() instanceof Inet4Address v4) {
                        slot.port.arp.announce(v4);
                    } else {
                        slot.port.neighborAdvertiser.announce((Inet6Address) vip.address(), false);
                    }
                }
            } catch (NativeException e) {
                LOG.warn("{}: announcing {} failed: {}", slot.name(), vip, e.getMessage());
            }
        }
    }

    // ------------------------------------------------------------------ shutdown

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
        if (loop != null) {
            try {
                loop.submit(() -> {
                    long now = System.nanoTime();
                    for (RouterSlot slot : slots) {
                        try {
                            slot.router.handleShutdown(now);
                            execute(slot);
                            slot.cancelAnnouncements();
                        } catch (RuntimeException e) {
                            LOG.error("{}: shutdown failed", slot.name(), e);
                        }
                    }
                    closed = true;
                    if (timerFd != null) {
                        try {
                            timerFd.disarm();
                        } catch (NativeException e) {
                            LOG.debug("disarming the timer failed: {}", e.getMessage());
                        }
                    }
                }).get(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                LOG.error("graceful shutdown did not complete", e);
            }
        }
        closed = true;
        releaseAll();
    }

    private void releaseAll() {
        if (timerRegistration != null) {
            try {
                timerRegistration.cancel().await(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (EpollReadinessRegistration registration : watchRegistrations) {
            try {
                registration.cancel().await(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (InterfaceWatch watch : watches.values()) {
            closeQuietly(watch.monitor);
        }
        closeQuietly(addressHealer);
        for (InterfacePort port : ports.values()) {
            for (EpollReadinessRegistration registration : port.registrations) {
                try {
                    registration.cancel().await(2, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        for (InterfacePort port : ports.values()) {
            closeQuietly(port.receive4);
            closeQuietly(port.receive6);
            closeQuietly(port.arp);
            closeQuietly(port.arpWatch);
            closeQuietly(port.neighborAdvertiser);
            closeQuietly(port.linkMonitor);
        }
        sendSockets.values().forEach(NodeDriver::closeQuietly);
        closeQuietly(timerFd);
        closeQuietly(netlink);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.debug("closing {} failed", closeable, e);
        }
    }

    @Override
    public String toString() {
        return "NodeDriver" + Arrays.toString(slots.toArray());
    }
}
