package dev.vrrp4j.benchmarks;

import dev.vrrp4j.core.packet.AddressFamily;
import dev.vrrp4j.core.packet.Advertisement;
import dev.vrrp4j.core.packet.AdvertisementCodec;
import dev.vrrp4j.core.packet.Checksum;
import dev.vrrp4j.core.packet.ChecksumForm;
import dev.vrrp4j.core.packet.MalformedPacketException;
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
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The codec alone: decode + validate one advertisement, and encode one (build + checksum) into a
 * reused direct buffer. Targets (issue "benchmarks"): 0 B/op for both.
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am package -DskipTests
 * $JAVA_HOME/bin/java -jar benchmarks/target/benchmarks.jar CodecBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CodecBenchmark {
    /** ipv4-1: one IPv4 VIP; ipv4-8: eight; ipv6-2: link-local + one global. */
    @Param({"ipv4-1", "ipv4-8", "ipv6-2"})
    public String shape;

    private AddressFamily family;
    private ByteBuffer ipv4Packet;
    private ByteBuffer message;
    private byte[] source;
    private byte[] destination;
    private final Advertisement holder = new Advertisement();
    private final Advertisement outgoing = new Advertisement();
    private final ByteBuffer out = ByteBuffer.allocateDirect(8 + 255 * 16);

    @Setup
    public void setUp() {
        family = shape.startsWith("ipv4") ? AddressFamily.IPV4 : AddressFamily.IPV6;
        int count = Integer.parseInt(shape.substring(5));
        List<InetAddress> vips = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            vips.add(VirtualAddress.parseLiteral(family == AddressFamily.IPV4
                    ? "192.0.2." + (100 + i)
                    : (i == 0 ? "fe80::61" : "2001:db8::" + (100 + i))));
        }
        source = VirtualAddress.parseLiteral(family == AddressFamily.IPV4 ? "192.0.2.1" : "fe80::1").getAddress();
        destination = family.multicastGroup();
        outgoing.set(family, 51, 100, 100).addresses(vips).route(source, destination);
        ByteBuffer encoded = ByteBuffer.allocate(AdvertisementCodec.encodedLength(family, count));
        AdvertisementCodec.encode(outgoing, ChecksumForm.PSEUDO_HEADER, encoded);
        message = encoded.flip();
        ipv4Packet = family == AddressFamily.IPV4 ? Packets.ipv4Packet(source, destination, message) : null;
    }

    /** Decode + validate, as a Backup does for every advertisement (IPv4: from the raw IP packet). */
    @Benchmark
    public int decode() throws MalformedPacketException {
        if (family == AddressFamily.IPV4) {
            AdvertisementCodec.decodeIpv4Packet(ipv4Packet, holder);
        } else {
            AdvertisementCodec.decodeMessage(message, family, source, destination, 255, holder);
        }
        return holder.priority();
    }

    /** Build + checksum + encode into a reused direct buffer, as the Active does every interval. */
    @Benchmark
    public int encode() {
        out.clear();
        return AdvertisementCodec.encode(outgoing, ChecksumForm.PSEUDO_HEADER, out);
    }

    /** The RFC 9568 §5.2.8 checksum alone (pseudo-header + message), as the Backup verifies it. */
    @Benchmark
    public boolean checksum() {
        return Checksum.verifies(ChecksumForm.PSEUDO_HEADER, family, source, destination, message, 0, message.remaining());
    }
}
