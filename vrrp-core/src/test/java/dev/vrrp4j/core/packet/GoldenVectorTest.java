package dev.vrrp4j.core.packet;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Real keepalived 2.2.7 advertisements, captured with tcpdump in network namespaces (see
 * {@code src/test/resources/golden/README.md}), decoded from the capture files themselves (IPv4:
 * the whole IP packet, as a raw socket delivers it) and re-encoded byte for byte. A round trip of our
 * own packets cannot catch a checksum that is wrong in the same way both ways; these can.
 */
class GoldenVectorTest {

    /** What each capture must decode to: file, VRID, priority, interval, addresses in wire order. */
    static Stream<Arguments> captures() {
        return Stream.of(
                Arguments.of("ipv4-vrid51-one-vip", 51, 100, 100, List.of("192.0.2.100")),
                Arguments.of("ipv4-vrid52-three-vips", 52, 200, 100, List.of("192.0.2.101", "192.0.2.102", "192.0.2.103")),
                Arguments.of("ipv4-vrid53-eight-vips-50cs", 53, 150, 50, List.of("192.0.2.110", "192.0.2.111",
                        "192.0.2.112", "192.0.2.113", "192.0.2.114", "192.0.2.115", "192.0.2.116", "192.0.2.117")),
                Arguments.of("ipv4-vrid55-unicast", 55, 120, 100, List.of("192.0.2.130")),
                Arguments.of("ipv4-vrid51-priority0", 51, 0, 100, List.of("192.0.2.100")),
                Arguments.of("ipv6-vrid61-linklocal-and-global", 61, 100, 100, List.of("fe80::61", "2001:db8::100")),
                Arguments.of("ipv6-vrid61-priority0", 61, 0, 100, List.of("fe80::61", "2001:db8::100")),
                Arguments.of("ipv6-vrid62-global-only", 62, 220, 100, List.of("2001:db8::200")),
                // VRRPv2 (RFC 3768), keepalived's default: the "pass" captures carry auth_pass s3cr3t.
                Arguments.of("ipv4-v2-vrid71-no-auth", 71, 100, 100, List.of("192.0.2.140")),
                Arguments.of("ipv4-v2-vrid72-pass", 72, 150, 200, List.of("192.0.2.141", "192.0.2.142")),
                Arguments.of("ipv4-v2-vrid72-pass-priority0", 72, 0, 200, List.of("192.0.2.141", "192.0.2.142")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("captures")
    void keepalivedPacketsDecodeAndReencodeByteForByte(String name, int vrid, int priority, int intervalCentis,
                                                        List<String> addresses) throws Exception {
        List<byte[]> frames = readPcap(name + ".pcap");
        List<TextPacket> texts = readText(name + ".txt");
        assertThat(frames).isNotEmpty().hasSameSizeAs(texts);
        boolean globalFirst = name.contains("global-only");

        for (int i = 0; i < frames.size(); i++) {
            Advertisement decoded = new Advertisement();
            ByteBuffer message = decodeFrame(frames.get(i), globalFirst, decoded);
            TextPacket text = texts.get(i);

            assertThat(decoded.vrid()).isEqualTo(vrid);
            assertThat(decoded.priority()).isEqualTo(priority);
            assertThat(decoded.maxAdvertIntervalCentis()).isEqualTo(intervalCentis);
            assertThat(decoded.ttl()).isEqualTo(255).isEqualTo(text.ttl());
            boolean version2 = name.contains("-v2-");
            byte[] password = name.contains("pass") ? "s3cr3t".getBytes(StandardCharsets.US_ASCII) : new byte[0];
            assertThat(decoded.version()).isEqualTo(version2 ? 2 : 3);
            assertThat(decoded.checksumForm()).isEqualTo(version2 ? ChecksumForm.MESSAGE_ONLY : ChecksumForm.PSEUDO_HEADER);
            assertThat(decoded.authType()).isEqualTo(password.length == 0 ? Advertisement.AUTH_NONE : Advertisement.AUTH_PASSWORD);
            assertThat(decoded.authDataEquals(Arrays.copyOf(password, 8))).as("password padded with zeros").isTrue();
            assertThat(decoded.addressList()).extracting(InetAddress::getHostAddress)
                    .containsExactlyElementsOf(addresses.stream().map(a -> InetAddress.ofLiteral(a).getHostAddress()).toList());
            assertThat(decoded.sourceAddress()).isEqualTo(InetAddress.ofLiteral(text.source()));
            assertThat(decoded.destinationAddress()).isEqualTo(InetAddress.ofLiteral(text.destination()));
            byte[] messageBytes = new byte[message.remaining()];
            message.get(message.position(), messageBytes);
            assertThat(HexFormat.of().formatHex(messageBytes)).isEqualTo(text.vrrpHex());

            // Re-encode from the decoded fields: every byte, the checksum included, must match.
            Advertisement again = new Advertisement();
            if (version2) {
                again.setVersion2(decoded.vrid(), decoded.priority(), decoded.maxAdvertIntervalCentis() / 100,
                        decoded.authType(), password);
            } else {
                again.set(decoded.family(), decoded.vrid(), decoded.priority(), decoded.maxAdvertIntervalCentis());
            }
            again.addresses(decoded.addressList())
                    .route(decoded.sourceAddress().getAddress(), decoded.destinationAddress().getAddress());
            ByteBuffer out = ByteBuffer.allocate(messageBytes.length);
            AdvertisementCodec.encode(again, ChecksumForm.PSEUDO_HEADER, out);
            assertThat(out.array()).isEqualTo(messageBytes);
            assertThat(again.checksum()).isEqualTo(decoded.checksum());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("captures")
    void aSingleFlippedBitAnywhereInTheMessageFailsTheChecksumOrAnotherCheck(String name, int vrid, int priority,
                                                                              int intervalCentis, List<String> addresses)
            throws Exception {
        byte[] frame = readPcap(name + ".pcap").getFirst();
        int messageStart = 14 + (name.startsWith("ipv4") ? 20 : 40);
        for (int bit = messageStart * 8; bit < frame.length * 8; bit++) {
            byte[] corrupted = frame.clone();
            corrupted[bit / 8] ^= (byte) (1 << (bit % 8));
            int offset = bit / 8 - messageStart;
            boolean reservedIntervalBit = !name.contains("-v2-") && offset == 4 && (bit % 8) >= 4;
            if (reservedIntervalBit) {
                continue; // RFC 9568 §5.2.6: reserved bits are ignored on receipt, but still checksummed
            }
            assertThatThrownBy(() -> decodeFrame(corrupted, true, new Advertisement()))
                    .as("bit %d of %s", bit, name)
                    .isInstanceOf(MalformedPacketException.class);
        }
    }

    @org.junit.jupiter.api.Test
    void keepalivedsGlobalOnlyIpv6AdvertIsRejectedWhenTheRfcRuleIsEnforced() throws Exception {
        byte[] frame = readPcap("ipv6-vrid62-global-only.pcap").getFirst();
        assertThatThrownBy(() -> decodeFrame(frame, false, new Advertisement()))
                .isInstanceOf(MalformedPacketException.class)
                .extracting(e -> ((MalformedPacketException) e).reason())
                .isEqualTo(PacketDropReason.IPV6_FIRST_ADDRESS_NOT_LINK_LOCAL);
        Advertisement lenient = new Advertisement();
        decodeFrame(frame, true, lenient);
        assertThat(lenient.firstAddressLinkLocal()).isFalse();
    }

    /** Decodes an Ethernet frame; returns the VRRP message's bytes as a buffer view. */
    private static ByteBuffer decodeFrame(byte[] frame, boolean allowGlobalFirst, Advertisement into)
            throws MalformedPacketException {
        int etherType = ((frame[12] & 0xff) << 8) | (frame[13] & 0xff);
        ByteBuffer ip = ByteBuffer.wrap(frame, 14, frame.length - 14).slice();
        if (etherType == 0x0800) {
            AdvertisementCodec.decodeIpv4Packet(ip, into);
            int headerLength = (ip.get(0) & 0x0f) * 4;
            int totalLength = ip.getShort(2) & 0xffff;
            return ip.slice(headerLength, totalLength - headerLength);
        }
        assertThat(etherType).isEqualTo(0x86dd);
        assertThat(ip.get(6) & 0xff).as("next header").isEqualTo(112);
        int hopLimit = ip.get(7) & 0xff;
        byte[] source = new byte[16];
        byte[] destination = new byte[16];
        ip.get(8, source);
        ip.get(24, destination);
        int payloadLength = ip.getShort(4) & 0xffff;
        ByteBuffer message = ip.slice(40, payloadLength);
        AdvertisementCodec.decodeMessage(message, AddressFamily.IPV6, source, destination, hopLimit,
                !allowGlobalFirst, into);
        return message;
    }

    private record TextPacket(String source, String destination, int ttl, String vrrpHex) {}

    private static List<TextPacket> readText(String resource) throws IOException {
        List<TextPacket> packets = new ArrayList<>();
        String source = null;
        String destination = null;
        int ttl = -1;
        for (String line : new String(open(resource).readAllBytes()).split("\n")) {
            String[] parts = line.trim().split("\\s+", 2);
            switch (parts[0]) {
                case "src" -> source = parts[1];
                case "dst" -> destination = parts[1];
                case "ttl" -> ttl = Integer.parseInt(parts[1]);
                case "vrrp" -> packets.add(new TextPacket(source, destination, ttl, parts[1]));
                default -> { }
            }
        }
        return packets;
    }

    /** The frames of a classic pcap file (little-endian, Ethernet link type). */
    static List<byte[]> readPcap(String resource) throws IOException {
        ByteBuffer pcap = ByteBuffer.wrap(open(resource).readAllBytes()).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(pcap.getInt(0)).as("pcap magic").isIn(0xa1b2c3d4, 0xa1b23c4d);
        assertThat(pcap.getInt(20)).as("link type Ethernet").isEqualTo(1);
        List<byte[]> frames = new ArrayList<>();
        int offset = 24;
        while (offset + 16 <= pcap.limit()) {
            int captured = pcap.getInt(offset + 8);
            byte[] frame = new byte[captured];
            pcap.get(offset + 16, frame);
            frames.add(frame);
            offset += 16 + captured;
        }
        return frames;
    }

    private static InputStream open(String resource) throws IOException {
        InputStream in = GoldenVectorTest.class.getResourceAsStream("/golden/" + resource);
        if (in == null) {
            throw new IOException("missing test resource golden/" + resource);
        }
        return in;
    }
}
