package dev.vrrp4j.benchmarks;

import dev.vrrp4j.core.node.AnnouncePolicy;
import dev.vrrp4j.core.node.Node;
import dev.vrrp4j.core.node.NodeConfig;
import dev.vrrp4j.core.node.NodeEffect;
import dev.vrrp4j.core.node.NodeInterface;
import dev.vrrp4j.core.node.NodeRouter;
import dev.vrrp4j.core.node.RouterSpec;
import dev.vrrp4j.core.packet.AddressFamily;
import dev.vrrp4j.core.packet.HmacAuthenticator;
import dev.vrrp4j.core.packet.HmacKey;
import dev.vrrp4j.core.packet.HmacSettings;
import dev.vrrp4j.core.packet.PacketDropReason;
import dev.vrrp4j.core.router.RouterConfig;
import dev.vrrp4j.core.router.State;
import dev.vrrp4j.core.router.VirtualAddress;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The cost of auth_hmac (draft-cassen-vrrp-auth-hmac) on the two hot paths, with {@code hmac} off
 * and on (enforce, time-based anti-replay, one 32-byte key):
 * <ul>
 *   <li>{@link #encodeSign}: the Active's {@code NodeRouter.encodeAdvertisement}: build, checksum,
 *       and with HMAC the sequence number from the clock and the signed trailer;</li>
 *   <li>{@link #encodeSignDecodeVerify}: that, then the Backup's {@code Node.handlePacket} on the
 *       same bytes: decode, look up, verify (the trailer is fresh every time, so it is accepted) and
 *       hand to the router, the whole hot path of both sides;</li>
 *   <li>{@link #verifyOnly} (hmac on only): {@code HmacAuthenticator.verify} on one signed message
 *       (monotonic anti-replay, so that it never goes stale); after the first call it is a replay,
 *       which is found only after the full HMAC, so it costs what an accepted one does.</li>
 * </ul>
 * Targets: 0 B/op, and the HMAC over a ~60-byte input well under a microsecond.
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am package -DskipTests
 * $JAVA_HOME/bin/java -jar benchmarks/target/benchmarks.jar Hmac -prof gc
 * </pre>
 */
@org.openjdk.jmh.annotations.State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HmacBenchmark {
    private static final HmacSettings HMAC = new HmacSettings(List.of(HmacKey.parse(1,
            "hex:000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")), 1,
            HmacSettings.AntiReplay.TIME, 5, HmacSettings.Mode.ENFORCE);
    private static final int IPV4_HEADER = 20;

    @Param({"off", "on"})
    public String hmac;

    private NodeRouter sender;
    private Node backup;
    private NodeInterface backupInterface;
    private final ByteBuffer message = ByteBuffer.allocateDirect(4096);
    private final ByteBuffer packet = ByteBuffer.allocate(4096);
    private HmacAuthenticator verifier;
    private ByteBuffer signed;
    private final byte[] source = VirtualAddress.parseLiteral("192.0.2.1").getAddress();
    private long now;

    @Setup
    public void setUp() {
        HmacSettings settings = hmac.equals("on") ? HMAC : null;
        Node active = new Node(config("192.0.2.1", 200, settings), InstantSource.system());
        sender = active.routers().getFirst();
        backup = new Node(config("192.0.2.2", 100, settings), InstantSource.system());
        backup.handleStart(0);
        while (backup.poll() != null) {
            // start-up: Backup
        }
        backupInterface = backup.networkInterface("eth0");
        // The IPv4 header a raw socket would deliver: TTL 255, protocol 112, 224.0.0.18
        packet.put(0, (byte) 0x45).put(8, (byte) 255).put(9, (byte) 112).put(12, source)
                .put(16, AddressFamily.IPV4.multicastGroup());

        // monotonic: the message is signed once, and a time-based window would make it stale after 5 s
        verifier = new HmacAuthenticator(new HmacSettings(HMAC.keys(), 1, HmacSettings.AntiReplay.MONOTONIC, 5,
                HmacSettings.Mode.ENFORCE), 0);
        sender.encodeAdvertisement(200, 0, message);
        signed = ByteBuffer.allocate(message.remaining());
        signed.put(message.duplicate()).flip();
    }

    private static NodeConfig config(String source, int priority, HmacSettings settings) {
        RouterConfig config = RouterConfig.builder("VI_1", AddressFamily.IPV4, 51).priority(priority)
                .virtualAddresses("192.0.2.100/24").authHmac(settings).build();
        return new NodeConfig(List.of(new RouterSpec(config, "eth0", VirtualAddress.parseLiteral(source), List.of(),
                new AnnouncePolicy(5, Duration.ZERO, Duration.ZERO), List.of(), List.of())), List.of());
    }

    @Benchmark
    public ByteBuffer encodeSign() {
        sender.encodeAdvertisement(200, 0, message);
        return message;
    }

    @Benchmark
    public NodeEffect encodeSignDecodeVerify() {
        sender.encodeAdvertisement(200, 0, message);
        int length = message.remaining();
        packet.put(IPV4_HEADER, message, 0, length);
        packet.putShort(2, (short) (IPV4_HEADER + length)).limit(IPV4_HEADER + length).position(0);
        now += 1_000_000_000L;
        backup.handlePacket(now, backupInterface, AddressFamily.IPV4, packet, null, null, 0);
        NodeEffect effect = backup.poll();
        if (effect != null || backup.routers().getFirst().state() != State.BACKUP) {
            throw new IllegalStateException("the Backup should accept and stay Backup, got " + effect + " and "
                    + backup.routers().getFirst().counters());
        }
        packet.clear();
        return effect;
    }

    @Benchmark
    public PacketDropReason verifyOnly() {
        if (!hmac.equals("on")) {
            return null;
        }
        return verifier.verify(signed, 0, signed.limit() - HmacAuthenticator.TRAILER_LENGTH, AddressFamily.IPV4, 3,
                51, source, System.currentTimeMillis());
    }
}
