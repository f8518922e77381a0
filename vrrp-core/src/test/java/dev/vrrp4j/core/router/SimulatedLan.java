package dev.vrrp4j.core.router;

import dev.vrrp4j.core.packet.AddressFamily;
import dev.vrrp4j.core.packet.Advertisement;
import dev.vrrp4j.core.packet.AdvertisementCodec;
import dev.vrrp4j.core.packet.ChecksumForm;
import dev.vrrp4j.core.packet.MalformedPacketException;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.function.Function;

/**
 * A deterministic LAN of virtual routers on a simulated clock, in the spirit of quinn-proto's
 * {@code Pair}: it delivers every advertisement a router sends to every other router after a fixed
 * latency, through the real encoder and decoder, fires timers exactly when they are due, and records
 * what a user would observe: transitions, who holds the addresses, what went on the wire. No
 * threads, sockets or sleeps.
 */
final class SimulatedLan {
    static final long MS = 1_000_000L;
    static final long SECOND = 1_000 * MS;

    /** One router on the LAN and what happened to it. */
    static final class Host {
        final String name;
        final InetAddress address;
        final RouterConfig config;
        VirtualRouter router;
        boolean dead;
        boolean paused;
        boolean holdsAddresses;
        /** Advertisements handed to this host's routers (all incarnations), whatever they then decided. */
        long delivered;
        final ArrayDeque<byte[]> pausedInbox = new ArrayDeque<>();
        final List<Action.StateChanged> transitions = new ArrayList<>();
        final List<Action.SplitBrainDetected> splitBrains = new ArrayList<>();

        Host(String name, InetAddress address, RouterConfig config) {
            this.name = name;
            this.address = address;
            this.config = config;
        }

        State state() {
            return router.state();
        }

        /** When this host last entered {@code state}, or -1. */
        long lastEntered(State state) {
            for (int i = transitions.size() - 1; i >= 0; i--) {
                if (transitions.get(i).to() == state) {
                    return transitions.get(i).atNanos();
                }
            }
            return -1;
        }

        boolean everWas(State state) {
            return transitions.stream().anyMatch(t -> t.to() == state);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** An advertisement as it went on the wire. */
    record Sent(long atNanos, Host from, int priority) {}

    private record Delivery(long atNanos, long sequence, Host to, byte[] message, byte[] source) {}

    private final AddressFamily family;
    private final List<Host> hosts = new ArrayList<>();
    private final PriorityQueue<Delivery> inFlight = new PriorityQueue<>(
            Comparator.comparingLong(Delivery::atNanos).thenComparingLong(Delivery::sequence));
    private final List<Sent> wire = new ArrayList<>();
    private final Advertisement rxHolder = new Advertisement();
    private final Advertisement txHolder = new Advertisement();
    private final ByteBuffer txBuffer = ByteBuffer.allocate(8 + 255 * 16 + 8);
    private final Random random;
    private long sequence;
    private long now;
    private long latencyNanos = 100_000; // 100 µs across the switch
    private double lossProbability;
    private Function<Host, Boolean> partitioned = h -> false;
    private java.util.function.BiPredicate<Host, Host> linkCut = (from, to) -> false;

    SimulatedLan(AddressFamily family, long seed) {
        this.family = family;
        this.random = new Random(seed);
    }

    SimulatedLan() {
        this(AddressFamily.IPV4, 1);
    }

    Host add(String name, String address, RouterConfig config) {
        Host host = new Host(name, VirtualAddress.parseLiteral(address), config);
        host.router = new VirtualRouter(config, host.address);
        hosts.add(host);
        return host;
    }

    long now() {
        return now;
    }

    long latencyNanos() {
        return latencyNanos;
    }

    List<Sent> wire() {
        return wire;
    }

    void lossProbability(double p) {
        this.lossProbability = p;
    }

    /** While the predicate holds for a sender, its advertisements reach nobody (and nothing reaches it). */
    void partition(Function<Host, Boolean> cutOff) {
        this.partitioned = cutOff;
    }

    /** One direction only: {@code from}'s advertisements stop reaching {@code to}; the other way still works. */
    void cut(Host from, Host to) {
        this.linkCut = (f, t) -> f == from && t == to;
    }

    void heal() {
        this.partitioned = h -> false;
        this.linkCut = (from, to) -> false;
    }

    void start(Host host) {
        host.dead = false;
        host.router.handleStart(now);
        drain(host);
    }

    void startAll() {
        hosts.forEach(this::start);
    }

    /** kill -9: the router stops without a word. */
    void kill(Host host) {
        host.dead = true;
    }

    /** A graceful stop: the router's shutdown actions go on the wire. */
    void shutdown(Host host) {
        host.router.handleShutdown(now);
        drain(host);
        host.dead = true;
    }

    /** A fresh process of the same router (same configuration and address), started now. */
    void restart(Host host) {
        host.router = new VirtualRouter(host.config, host.address);
        host.holdsAddresses = false;
        start(host);
    }

    /** A fault (link down, failed check): see {@link VirtualRouter#handleFault}. */
    void fault(Host host) {
        host.router.handleFault(now);
        drain(host);
    }

    void faultCleared(Host host) {
        host.router.handleFaultCleared(now);
        drain(host);
    }

    /** A runtime priority change, as a weighted health check makes. */
    void setPriority(Host host, int priority) {
        host.router.setPriority(now, priority);
        drain(host);
    }

    /**
     * An advertisement from a sender that is not one of the routers (a misconfigured or hostile
     * peer), through the real encoder and decoder like any other, subject to loss and partitions.
     */
    void inject(InetAddress source, int vrid, int priority, int intervalCentis, List<InetAddress> addresses) {
        txHolder.set(family, vrid, priority, intervalCentis).addresses(addresses);
        deliver(null, source.getAddress(), ChecksumForm.PSEUDO_HEADER);
    }

    /** A stopped process (SIGSTOP, a long GC pause): no timers run and packets wait in the socket. */
    void pause(Host host) {
        host.paused = true;
    }

    /** The process continues: like the driver, it first reads what queued up, then runs late timers. */
    void resume(Host host) {
        host.paused = false;
        while (!host.pausedInbox.isEmpty()) {
            receive(host, host.pausedInbox.poll(), null);
        }
        host.router.handleTimeout(now);
        drain(host);
    }

    /** Runs every event up to and including {@code untilNanos}, then sets the clock there. */
    void runUntil(long untilNanos) {
        while (true) {
            long nextTimer = Long.MAX_VALUE;
            Host timerHost = null;
            for (Host host : hosts) {
                if (!host.dead && !host.paused && host.router.hasDeadline()
                        && host.router.nextDeadlineNanos() < nextTimer) {
                    nextTimer = host.router.nextDeadlineNanos();
                    timerHost = host;
                }
            }
            Delivery delivery = inFlight.peek();
            long nextDelivery = delivery == null ? Long.MAX_VALUE : delivery.atNanos();
            long next = Math.min(nextTimer, nextDelivery);
            if (next > untilNanos) {
                break;
            }
            now = next;
            if (nextTimer <= nextDelivery) {
                timerHost.router.handleTimeout(now);
                drain(timerHost);
            } else {
                inFlight.poll();
                receive(delivery.to(), delivery.message(), delivery.source());
            }
        }
        now = untilNanos;
    }

    void runFor(long durationNanos) {
        runUntil(now + durationNanos);
    }

    /** The live hosts that hold the virtual addresses now (a killed host answers nobody). */
    List<Host> holders() {
        return hosts.stream().filter(h -> !h.dead && h.holdsAddresses).toList();
    }

    List<Host> actives() {
        return hosts.stream().filter(h -> !h.dead && h.router.state() == State.ACTIVE).toList();
    }

    /** Advertisements {@code host} sent, in order. */
    List<Sent> sentBy(Host host) {
        return wire.stream().filter(s -> s.from() == host).toList();
    }

    private void receive(Host host, byte[] message, byte[] source) {
        if (host.dead) {
            return;
        }
        if (host.paused) {
            host.pausedInbox.add(message);
            return;
        }
        host.delivered++;
        try {
            byte[] src = source != null ? source : sourceOf(message);
            AdvertisementCodec.decodeMessage(ByteBuffer.wrap(message, 0, message.length - family.addressLength()),
                    family, src, family.multicastGroup(), AdvertisementCodec.REQUIRED_TTL, rxHolder);
        } catch (MalformedPacketException e) {
            throw new AssertionError("the simulated LAN corrupted a packet: " + e.getMessage(), e);
        }
        host.router.handleAdvertisement(now, rxHolder);
        drain(host);
    }

    /** Messages carry their source in a trailer so that a paused inbox keeps it. */
    private byte[] sourceOf(byte[] message) {
        byte[] src = new byte[family.addressLength()];
        System.arraycopy(message, message.length - src.length, src, 0, src.length);
        return src;
    }

    private void drain(Host host) {
        Action action;
        while ((action = host.router.pollAction()) != null) {
            switch (action) {
                case Action.SendAdvertisement send -> transmit(host, send.priority());
                case Action.AddVirtualAddresses add -> host.holdsAddresses = true;
                case Action.RemoveVirtualAddresses remove -> host.holdsAddresses = false;
                case Action.AnnounceAddresses announce -> { }
                case Action.AnnounceAfterLowerPriority lower -> { }
                case Action.StateChanged changed -> host.transitions.add(changed);
                case Action.SplitBrainDetected detected -> host.splitBrains.add(detected);
            }
        }
    }

    private void transmit(Host from, int priority) {
        wire.add(new Sent(now, from, priority));
        RouterConfig config = from.config;
        if (config.version() == RouterConfig.VERSION_2) {
            txHolder.setVersion2(config.vrid(), priority, config.advertIntervalSeconds(),
                    config.hasPassword() ? Advertisement.AUTH_PASSWORD : Advertisement.AUTH_NONE,
                    config.authPassword().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } else {
            txHolder.set(family, config.vrid(), priority, config.advertIntervalCentis());
        }
        txHolder.addresses(config.virtualAddresses().stream().map(VirtualAddress::address).toList());
        deliver(from, from.address.getAddress(), config.ipv4ChecksumForm());
    }

    /** Encodes {@link #txHolder} from {@code source} and queues it for every host {@code from} reaches. */
    private void deliver(Host from, byte[] source, ChecksumForm ipv4Form) {
        txHolder.route(source, family.multicastGroup());
        txBuffer.clear();
        int length = AdvertisementCodec.encode(txHolder, ipv4Form, txBuffer);
        byte[] message = new byte[length + source.length];
        txBuffer.get(0, message, 0, length);
        System.arraycopy(source, 0, message, length, source.length);
        boolean senderCut = from != null && partitioned.apply(from);
        for (Host to : hosts) {
            if (to == from || senderCut || partitioned.apply(to) || linkCut.test(from, to)) {
                continue;
            }
            if (lossProbability > 0 && random.nextDouble() < lossProbability) {
                continue;
            }
            inFlight.add(new Delivery(now + latencyNanos, sequence++, to, message, source));
        }
    }
}
