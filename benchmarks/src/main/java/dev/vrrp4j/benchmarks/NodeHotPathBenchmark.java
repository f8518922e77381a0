package dev.vrrp4j.benchmarks;

import dev.vrrp4j.core.node.AnnouncePolicy;
import dev.vrrp4j.core.node.Node;
import dev.vrrp4j.core.node.NodeConfig;
import dev.vrrp4j.core.node.NodeEffect;
import dev.vrrp4j.core.node.NodeInterface;
import dev.vrrp4j.core.node.RouterSpec;
import dev.vrrp4j.core.packet.AddressFamily;
import dev.vrrp4j.core.packet.Advertisement;
import dev.vrrp4j.core.packet.AdvertisementCodec;
import dev.vrrp4j.core.packet.ChecksumForm;
import dev.vrrp4j.core.router.RouterConfig;
import dev.vrrp4j.core.router.State;
import dev.vrrp4j.core.router.VirtualAddress;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The node layer's hot paths, as the driver drives them: a received IPv4 packet goes into the
 * {@link Node}, which decodes it, finds the router by interface and VRID among 16 on the interface,
 * checks the source and hands it to the Backup ({@link #backupReceivesFromActive}); and an Active's
 * Adver_Timer fires and the node hands out the advertisements to send ({@link #activeSends}).
 * Targets: 0 B/op ({@code gc.alloc.rate.norm}), and within a few ns of {@link BackupHotPathBenchmark}.
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am package -DskipTests
 * $JAVA_HOME/bin/java -jar benchmarks/target/benchmarks.jar NodeHotPath -prof gc
 * </pre>
 */
@org.openjdk.jmh.annotations.State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class NodeHotPathBenchmark {
    private static final int ROUTERS = 16;
    private Node backup;
    private NodeInterface backupInterface;
    private Node active;
    private ByteBuffer packet;
    private long now;
    private long activeNow;

    @Setup
    public void setUp() {
        backup = new Node(config("192.0.2.2", 100));
        backup.handleStart(0);
        drain(backup);
        backupInterface = backup.networkInterface("eth0");

        byte[] source = VirtualAddress.parseLiteral("192.0.2.1").getAddress();
        Advertisement outgoing = new Advertisement().set(AddressFamily.IPV4, ROUTERS / 2, 200, 100)
                .addresses(List.of(VirtualAddress.parseLiteral("192.0.2.108")))
                .route(source, AddressFamily.IPV4.multicastGroup());
        ByteBuffer message = ByteBuffer.allocate(12);
        AdvertisementCodec.encode(outgoing, ChecksumForm.PSEUDO_HEADER, message);
        packet = Packets.ipv4Packet(source, AddressFamily.IPV4.multicastGroup(), message.flip());

        // A node alone on its LAN: every router becomes Active after its Active_Down_Interval.
        active = new Node(config("192.0.2.1", 200));
        active.handleStart(0);
        drain(active);
        activeNow = 10_000_000_000L;
        active.handleTimeout(activeNow);
        drain(active);
        if (active.routers().stream().anyMatch(r -> r.state() != State.ACTIVE)) {
            throw new IllegalStateException("the lone node should be Active everywhere");
        }
    }

    private static NodeConfig config(String source, int priority) {
        List<RouterSpec> routers = new ArrayList<>();
        for (int vrid = 1; vrid <= ROUTERS; vrid++) {
            RouterConfig config = RouterConfig.builder("VI_" + vrid, AddressFamily.IPV4, vrid).priority(priority)
                    .virtualAddresses("192.0.2." + (100 + vrid) + "/24").build();
            routers.add(new RouterSpec(config, "eth0", VirtualAddress.parseLiteral(source), List.of(),
                    new AnnouncePolicy(5, Duration.ZERO, Duration.ZERO), List.of(), List.of()));
        }
        return new NodeConfig(routers, List.of());
    }

    private static void drain(Node node) {
        while (node.poll() != null) {
            // start-up transitions and advertisements
        }
    }

    @Benchmark
    public NodeEffect backupReceivesFromActive() {
        now += 1_000_000_000L;
        packet.rewind();
        backup.handlePacket(now, backupInterface, AddressFamily.IPV4, packet, null, null, 0);
        NodeEffect effect = backup.poll();
        if (effect != null) {
            throw new IllegalStateException("the Backup should stay Backup with nothing to do, got " + effect);
        }
        return effect;
    }

    /** All 16 routers started together, so their Adver_Timers fire together: one op is 16 sends. */
    @Benchmark
    public int activeSends() {
        activeNow = active.nextDeadlineNanos();
        active.handleTimeout(activeNow);
        int sends = 0;
        NodeEffect effect;
        while ((effect = active.poll()) != null) {
            if (!(effect instanceof NodeEffect.SendAdvertisement)) {
                throw new IllegalStateException("the Active should only send, got " + effect);
            }
            sends++;
        }
        if (sends == 0) {
            throw new IllegalStateException("the Active should send");
        }
        return sends;
    }
}
