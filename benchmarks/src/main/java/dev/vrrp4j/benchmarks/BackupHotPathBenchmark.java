package dev.vrrp4j.benchmarks;

import dev.vrrp4j.core.packet.AddressFamily;
import dev.vrrp4j.core.packet.Advertisement;
import dev.vrrp4j.core.packet.AdvertisementCodec;
import dev.vrrp4j.core.packet.ChecksumForm;
import dev.vrrp4j.core.packet.MalformedPacketException;
import dev.vrrp4j.core.router.Action;
import dev.vrrp4j.core.router.RouterConfig;
import dev.vrrp4j.core.router.State;
import dev.vrrp4j.core.router.VirtualAddress;
import dev.vrrp4j.core.router.VirtualRouter;
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
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Backup's steady state: an advertisement from the current Active arrives, is decoded,
 * validated and handed to the state machine, which restarts its Active_Down_Timer. Targets: under
 * 100 ns/op and 0 B/op ({@code gc.alloc.rate.norm}).
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am package -DskipTests
 * $JAVA_HOME/bin/java -jar benchmarks/target/benchmarks.jar BackupHotPathBenchmark -prof gc
 * </pre>
 */
@org.openjdk.jmh.annotations.State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BackupHotPathBenchmark {
    private VirtualRouter router;
    private ByteBuffer packet;
    private final Advertisement holder = new Advertisement();
    private long now;

    @Setup
    public void setUp() {
        RouterConfig config = RouterConfig.builder("VI_1", AddressFamily.IPV4, 51).priority(100)
                .virtualAddresses("192.0.2.100/24").build();
        router = new VirtualRouter(config, VirtualAddress.parseLiteral("192.0.2.2"));
        router.handleStart(0);
        while (router.pollAction() != null) {
            // drain the startup transition
        }
        byte[] active = VirtualAddress.parseLiteral("192.0.2.1").getAddress();
        Advertisement outgoing = new Advertisement().set(AddressFamily.IPV4, 51, 200, 100)
                .addresses(List.of(VirtualAddress.parseLiteral("192.0.2.100")))
                .route(active, AddressFamily.IPV4.multicastGroup());
        ByteBuffer message = ByteBuffer.allocate(12);
        AdvertisementCodec.encode(outgoing, ChecksumForm.PSEUDO_HEADER, message);
        packet = Packets.ipv4Packet(active, AddressFamily.IPV4.multicastGroup(), message.flip());
    }

    @Benchmark
    public Action receiveFromActive() throws MalformedPacketException {
        now += 1_000_000_000L;
        AdvertisementCodec.decodeIpv4Packet(packet, holder);
        router.handleAdvertisement(now, holder);
        Action action = router.pollAction();
        if (action != null || router.state() != State.BACKUP) {
            throw new IllegalStateException("the Backup should stay Backup with nothing to do, got " + action);
        }
        return action;
    }
}
