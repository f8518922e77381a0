package dev.vrrp4j.core.node;

import dev.vrrp4j.core.packet.AddressFamily;
import dev.vrrp4j.core.packet.HmacAuthenticator;
import dev.vrrp4j.core.packet.HmacKey;
import dev.vrrp4j.core.packet.HmacSettings;
import dev.vrrp4j.core.packet.PacketDropReason;
import dev.vrrp4j.core.router.RouterConfig;
import dev.vrrp4j.core.router.State;
import org.junit.jupiter.api.Test;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;

import static dev.vrrp4j.core.node.NodeLan.MS;
import static dev.vrrp4j.core.node.NodeLan.SECOND;
import static dev.vrrp4j.core.node.NodeLan.spec;
import static dev.vrrp4j.core.node.NodeLan.withPeers;
import static dev.vrrp4j.core.packet.HmacSettings.Mode.ENFORCE;
import static dev.vrrp4j.core.packet.HmacSettings.Mode.PERMISSIVE;
import static dev.vrrp4j.core.packet.HmacSettings.Mode.RECEIVE_ONLY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * auth_hmac in the node (draft-cassen-vrrp-auth-hmac, keepalived 2.4.3's receive path): verified
 * before the router sees an advertisement, each failure dropped and counted under its own reason,
 * on a simulated LAN that carries exactly the bytes the routers encode, trailer included.
 */
class NodeHmacTest {
    private static final HmacKey KEY_1 = HmacKey.parse(1, "hex:000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    private static final HmacKey KEY_2 = HmacKey.fromPassphrase(2, "the second key, for the rotation!");
    private static final HmacKey OTHER_1 = HmacKey.fromPassphrase(1, "a different key with the same id!");
    /** 2026-07-20T00:00:00Z, the wall clock at simulated time 0. */
    private static final long EPOCH_MILLIS = 1_784_505_600_000L;

    private final Lan lan = new Lan();

    private static RouterSpec router(String source, int priority, HmacSettings hmac) {
        return spec(RouterConfig.builder("VI_1", AddressFamily.IPV4, 51).priority(priority).advertIntervalCentis(100)
                .virtualAddresses("192.0.2.100/24").authHmac(hmac).build(), "eth0", source);
    }

    private static HmacSettings hmac(HmacSettings.Mode mode, int active, HmacKey... keys) {
        return new HmacSettings(List.of(keys), active, HmacSettings.AntiReplay.TIME, 5, mode);
    }

    @Test
    void withTheSameKeyTheBackupFollowsTheActiveAndTakesOverWhenItDies() {
        Lan.Host a = lan.add("a", router("192.0.2.1", 200, hmac(ENFORCE, 1, KEY_1)));
        Lan.Host b = lan.add("b", router("192.0.2.2", 100, hmac(ENFORCE, 1, KEY_1)));
        lan.startAll();
        lan.runFor(10 * SECOND);

        assertThat(a.state()).isEqualTo(State.ACTIVE);
        assertThat(b.state()).isEqualTo(State.BACKUP);
        assertThat(b.router().counters().advertsReceived()).isGreaterThanOrEqualTo(6); // one a second once a is Active
        assertThat(b.router().counters().dropsByReason()).isEmpty();
        assertThat(lan.sent).allSatisfy(p -> assertThat(p.length).isEqualTo(20 + 12 + HmacAuthenticator.TRAILER_LENGTH));

        a.dead = true;
        lan.runFor(4 * SECOND);
        assertThat(b.state()).isEqualTo(State.ACTIVE);
    }

    @Test
    void withADifferentKeyBothDropTheOtherAndBothBecomeActiveAsKeepalivedDoes() {
        Lan.Host a = lan.add("a", router("192.0.2.1", 200, hmac(ENFORCE, 1, KEY_1)));
        Lan.Host b = lan.add("b", router("192.0.2.2", 100, hmac(ENFORCE, 1, OTHER_1)));
        lan.startAll();
        lan.runFor(10 * SECOND);

        assertThat(a.state()).isEqualTo(State.ACTIVE);
        assertThat(b.state()).isEqualTo(State.ACTIVE);
        assertThat(a.router().counters().drops(PacketDropReason.HMAC_INVALID)).isPositive();
        assertThat(b.router().counters().drops(PacketDropReason.HMAC_INVALID)).isPositive();
        assertThat(b.router().counters().advertsReceived()).isZero(); // nothing reached the state machine
    }

    @Test
    void enforceDropsAnUnsignedPeerAsMissingAndReceiveOnlyAcceptsAndCountsIt() {
        Lan.Host signer = lan.add("a", router("192.0.2.1", 100, hmac(ENFORCE, 1, KEY_1)));
        Lan.Host plain = lan.add("b", router("192.0.2.2", 200, null));
        Lan.Host receiveOnly = lan.add("c", router("192.0.2.3", 50, hmac(RECEIVE_ONLY, 1, KEY_1)));
        lan.startAll();
        lan.runFor(10 * SECOND);

        assertThat(plain.state()).isEqualTo(State.ACTIVE);
        assertThat(signer.state()).as("drops the unsigned Active").isEqualTo(State.ACTIVE);
        assertThat(signer.router().counters().drops(PacketDropReason.HMAC_MISSING)).isPositive();
        assertThat(receiveOnly.state()).isEqualTo(State.BACKUP);
        assertThat(receiveOnly.router().counters().unsignedAdvertsAccepted()).isPositive();
        assertThat(receiveOnly.router().counters().dropsByReason()).isEmpty(); // the signer's adverts verify
    }

    @Test
    void receiveOnlySendsNoTrailerAndPermissiveSigns() {
        lan.add("a", router("192.0.2.1", 200, hmac(RECEIVE_ONLY, 1, KEY_1)));
        lan.startAll();
        lan.runFor(6 * SECOND); // Active after Active_Down_Interval, about 3.2 s
        assertThat(lan.sent).isNotEmpty().allSatisfy(p -> assertThat(p.length).isEqualTo(20 + 12));

        Lan other = new Lan();
        Lan.Host permissive = other.add("p", router("192.0.2.1", 200, hmac(PERMISSIVE, 1, KEY_1)));
        Lan.Host plain = other.add("q", router("192.0.2.2", 100, null));
        other.startAll();
        other.runFor(5 * SECOND);
        assertThat(other.sentBy("p")).isNotEmpty().allSatisfy(p -> assertThat(p.length).isEqualTo(20 + 12 + 28));
        assertThat(permissive.state()).isEqualTo(State.ACTIVE);
        assertThat(plain.state()).as("a node without auth_hmac takes the trailer as padding").isEqualTo(State.BACKUP);
    }

    @Test
    void aCapturedAdvertReplayedWithinTheWindowIsAReplayAndAfterItStale() {
        Lan.Host a = lan.add("a", router("192.0.2.1", 200, hmac(ENFORCE, 1, KEY_1)));
        Lan.Host b = lan.add("b", router("192.0.2.2", 100, hmac(ENFORCE, 1, KEY_1)));
        lan.startAll();
        lan.runFor(5 * SECOND);
        byte[] captured = lan.sentBy("a").getLast();

        lan.inject(b, captured);
        assertThat(b.router().counters().drops(PacketDropReason.HMAC_REPLAYED)).isEqualTo(1);

        a.dead = true; // the attacker replays the dead Active's advert to hold the Backup down
        lan.runFor(10 * SECOND);
        lan.inject(b, captured);
        assertThat(b.router().counters().drops(PacketDropReason.HMAC_STALE)).isEqualTo(1);
        assertThat(b.state()).isEqualTo(State.ACTIVE);
    }

    @Test
    void aPeerWhoseClockIsOffByMoreThanTheWindowIsStale() {
        Lan.Host a = lan.add("a", router("192.0.2.1", 200, hmac(ENFORCE, 1, KEY_1)));
        Lan.Host b = lan.add("b", router("192.0.2.2", 100, hmac(ENFORCE, 1, KEY_1)));
        a.skewMillis = 6_000;
        lan.startAll();
        lan.runFor(5 * SECOND);

        assertThat(b.router().counters().drops(PacketDropReason.HMAC_STALE)).isPositive();
        assertThat(b.state()).isEqualTo(State.ACTIVE);
    }

    @Test
    void aKeyRotationByReloadIsHitless() {
        Lan.Host a = lan.add("a", router("192.0.2.1", 200, hmac(ENFORCE, 1, KEY_1)));
        Lan.Host b = lan.add("b", router("192.0.2.2", 100, hmac(ENFORCE, 1, KEY_1)));
        lan.startAll();
        lan.runFor(5 * SECOND);

        // make before break: both keys everywhere, then key 2 active everywhere, then key 1 gone
        for (HmacSettings step : List.of(hmac(ENFORCE, 1, KEY_1, KEY_2), hmac(ENFORCE, 2, KEY_1, KEY_2),
                hmac(ENFORCE, 2, KEY_2))) {
            ConfigDiff diff = lan.reconfigure(a, router("192.0.2.1", 200, step));
            assertThat(diff.changed()).singleElement().satisfies(c ->
                    assertThat(c.changes()).containsExactly(ConfigDiff.Change.AUTH_HMAC));
            lan.runFor(3 * SECOND);
            lan.reconfigure(b, router("192.0.2.2", 100, step));
            lan.runFor(3 * SECOND);
        }

        assertThat(a.state()).isEqualTo(State.ACTIVE);
        assertThat(b.state()).isEqualTo(State.BACKUP);
        assertThat(b.transitionsToActive).isZero();
        assertThat(a.router().counters().dropsByReason()).isEmpty();
        assertThat(b.router().counters().dropsByReason()).isEmpty();
        assertThat(lan.sentBy("a").getLast()[20 + 12 + 1]).as("key id").isEqualTo((byte) 2);
    }

    @Test
    void everyUnicastCopyCarriesTheSameTrailer() {
        Lan.Host a = lan.add("a", withPeers(router("192.0.2.1", 200, hmac(ENFORCE, 1, KEY_1)), "192.0.2.2", "192.0.2.3"));
        lan.startAll();
        lan.runFor(6 * SECOND);

        List<byte[]> sent = lan.sentBy("a");
        assertThat(sent.size()).isGreaterThanOrEqualTo(4).isEven();
        for (int i = 0; i + 1 < sent.size(); i += 2) {
            assertThat(Arrays.copyOfRange(sent.get(i + 1), 32, 60)).isEqualTo(Arrays.copyOfRange(sent.get(i), 32, 60));
        }
        assertThat(Arrays.copyOfRange(sent.get(2), 36, 44)).isNotEqualTo(Arrays.copyOfRange(sent.get(0), 36, 44));
        assertThat(a.state()).isEqualTo(State.ACTIVE);
    }

    @Test
    void aNodeWithoutAUtcClockRefusesAuthHmac() {
        NodeConfig config = new NodeConfig(List.of(router("192.0.2.1", 200, hmac(ENFORCE, 1, KEY_1))), List.of());

        assertThatThrownBy(() -> new Node(config)).hasMessageContaining("router VI_1 uses auth_hmac")
                .hasMessageContaining("Node(config, utcClock)");
    }

    /**
     * The hot paths stay free of allocation with auth_hmac: the Active's sign and the Backup's
     * verify of a fresh advertisement. Steady state is reached once a round allocates nothing
     * (the JIT compiles in the background, later on a busy machine).
     */
    @Test
    void signingAndVerifyingAllocateNothingInTheSteadyState() throws Throwable {
        MethodHandle allocatedBytes = threadAllocatedBytes();
        long[] nanos = {0};
        InstantSource clock = new InstantSource() {
            @Override
            public long millis() {
                return EPOCH_MILLIS + nanos[0] / MS;
            }

            @Override
            public Instant instant() {
                return Instant.ofEpochMilli(millis());
            }
        };
        NodeRouter active = new Node(new NodeConfig(List.of(router("192.0.2.1", 200, hmac(ENFORCE, 1, KEY_1))),
                List.of()), clock).routers().getFirst();
        Node backup = new Node(new NodeConfig(List.of(router("192.0.2.2", 100, hmac(ENFORCE, 1, KEY_1))), List.of()),
                clock);
        backup.handleStart(0);
        while (backup.poll() != null) {
            // start-up
        }
        NodeInterface eth0 = backup.networkInterface("eth0");
        ByteBuffer message = ByteBuffer.allocateDirect(256);
        ByteBuffer packet = ByteBuffer.wrap(NodeLan.ipv4Packet(active.sourceAddress().getAddress(), new byte[40], 0, 40));
        long deadline = System.nanoTime() + 20 * SECOND;
        long last = -1;
        for (int round = 0; System.nanoTime() - deadline < 0; round++) {
            long before = (long) allocatedBytes.invokeExact();
            for (int i = 0; i < 1_000; i++) {
                nanos[0] += 10 * MS;
                active.encodeAdvertisement(200, 0, message);
                packet.put(20, message, 0, message.remaining()).clear();
                backup.handlePacket(nanos[0], eth0, AddressFamily.IPV4, packet, null, null, 0);
                if (backup.poll() != null) {
                    throw new AssertionError("the Backup should have nothing to do");
                }
            }
            last = (long) allocatedBytes.invokeExact() - before;
            if (round >= 20 && last == 0) {
                break;
            }
        }
        assertThat(last).as("bytes allocated by 1000 signed and verified advertisements").isZero();
        assertThat(backup.routers().getFirst().counters().dropsByReason()).isEmpty();
        assertThat(backup.routers().getFirst().counters().advertsReceived()).isGreaterThanOrEqualTo(21_000);
    }

    /**
     * The calling thread's allocated bytes as a {@code ()long} handle, with no boxing: vrrp-core's
     * module does not read java.management, so the bean is looked up reflectively (the tests run on
     * the class path).
     */
    private static MethodHandle threadAllocatedBytes() throws ReflectiveOperationException {
        Object bean = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
        Class<?> type = Class.forName("com.sun.management.ThreadMXBean");
        return MethodHandles.publicLookup().findVirtual(type, "getCurrentThreadAllocatedBytes",
                MethodType.methodType(long.class)).bindTo(bean);
    }

    // ------------------------------------------------------------------ a LAN of encoded bytes

    /** Two or three nodes on one IPv4 segment; what goes on the wire is what {@link NodeRouter#encodeAdvertisement} wrote. */
    static final class Lan {
        final class Host {
            final String name;
            final Node node;
            boolean dead;
            long skewMillis;
            int transitionsToActive;

            Host(String name, RouterSpec spec) {
                this.name = name;
                InstantSource clock = new InstantSource() {
                    @Override
                    public long millis() {
                        return EPOCH_MILLIS + now / MS + skewMillis;
                    }

                    @Override
                    public Instant instant() {
                        return Instant.ofEpochMilli(millis());
                    }
                };
                this.node = new Node(new NodeConfig(List.of(spec), List.of()), clock);
            }

            NodeRouter router() {
                return node.routers().getFirst();
            }

            State state() {
                return router().state();
            }
        }

        private record Delivery(long atNanos, long order, Host to, byte[] packet) {}

        private final List<Host> hosts = new ArrayList<>();
        private final PriorityQueue<Delivery> inFlight = new PriorityQueue<>(
                (x, y) -> x.atNanos != y.atNanos ? Long.compare(x.atNanos, y.atNanos) : Long.compare(x.order, y.order));
        private final List<Host> senders = new ArrayList<>();
        final List<byte[]> sent = new ArrayList<>();
        private final ByteBuffer buffer = ByteBuffer.allocate(4096);
        private long now;
        private long order;

        Host add(String name, RouterSpec spec) {
            Host host = new Host(name, spec);
            hosts.add(host);
            return host;
        }

        List<byte[]> sentBy(String name) {
            List<byte[]> out = new ArrayList<>();
            for (int i = 0; i < sent.size(); i++) {
                if (senders.get(i).name.equals(name)) {
                    out.add(sent.get(i));
                }
            }
            return out;
        }

        void startAll() {
            for (Host host : hosts) {
                host.node.handleStart(now);
                drain(host);
            }
        }

        ConfigDiff reconfigure(Host host, RouterSpec spec) {
            ConfigDiff diff = host.node.reconfigure(now, new NodeConfig(List.of(spec), List.of()));
            drain(host);
            return diff;
        }

        void inject(Host to, byte[] packet) {
            deliver(to, packet);
        }

        void runFor(long nanos) {
            long until = now + nanos;
            while (true) {
                Host timer = null;
                long next = Long.MAX_VALUE;
                for (Host host : hosts) {
                    if (!host.dead && host.node.hasDeadline() && host.node.nextDeadlineNanos() < next) {
                        next = host.node.nextDeadlineNanos();
                        timer = host;
                    }
                }
                Delivery delivery = inFlight.peek();
                if (delivery != null && delivery.atNanos <= next) {
                    if (delivery.atNanos > until) {
                        break;
                    }
                    inFlight.poll();
                    now = delivery.atNanos;
                    if (!delivery.to.dead) {
                        deliver(delivery.to, delivery.packet);
                    }
                    continue;
                }
                if (next > until) {
                    break;
                }
                now = next;
                timer.node.handleTimeout(now);
                drain(timer);
            }
            now = until;
        }

        private void deliver(Host to, byte[] packet) {
            to.node.handlePacket(now, to.node.networkInterface("eth0"), AddressFamily.IPV4, ByteBuffer.wrap(packet),
                    null, null, 0);
            drain(to);
        }

        private void drain(Host host) {
            NodeEffect effect;
            while ((effect = host.node.poll()) != null) {
                if (effect instanceof NodeEffect.SendAdvertisement send && !host.dead) {
                    NodeRouter router = send.router();
                    for (int i = 0; i < router.destinationCount(); i++) {
                        router.encodeAdvertisement(send.priority(), i, buffer);
                        byte[] packet = NodeLan.ipv4Packet(router.sourceAddress().getAddress(), buffer.array(), 0,
                                buffer.remaining());
                        sent.add(packet);
                        senders.add(host);
                        for (Host to : hosts) {
                            if (to != host) {
                                inFlight.add(new Delivery(now + 100_000, order++, to, packet));
                            }
                        }
                    }
                } else if (effect instanceof NodeEffect.StateChanged changed && changed.change().to() == State.ACTIVE) {
                    host.transitionsToActive++;
                }
            }
        }
    }
}
