package dev.vrrp4j.core.packet;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import static dev.vrrp4j.core.packet.AddressFamily.IPV4;
import static dev.vrrp4j.core.packet.AddressFamily.IPV6;
import static dev.vrrp4j.core.packet.PacketDropReason.IPV6_FIRST_ADDRESS_NOT_LINK_LOCAL;
import static dev.vrrp4j.core.packet.PacketDropReason.TRUNCATED;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Coverage-guided fuzzing of both decoders with Jazzer. The invariant: whatever arrives, decoding
 * either yields an advertisement whose every field is what the bytes say (checked here, not by the
 * codec) or throws {@link MalformedPacketException} with one of the codec's drop reasons; nothing
 * else escapes, and nothing outside the buffer's limit is read.
 *
 * <p>Without {@code JAZZER_FUZZ} (every build) each {@code @FuzzTest} runs once per file in its
 * inputs directory, {@code src/test/resources/dev/vrrp4j/core/packet/AdvertisementCodecFuzzTestInputs/<method>/}:
 * the golden keepalived packets as seeds, plus every finding, committed as a regression test. With
 * {@code JAZZER_FUZZ=1} it fuzzes; README "Fuzzing" has the command.
 */
class AdvertisementCodecFuzzTest {
    private static final EnumSet<PacketDropReason> CODEC_REASONS = EnumSet.range(TRUNCATED, IPV6_FIRST_ADDRESS_NOT_LINK_LOCAL);
    private static final int IPV6_HEADER = 40;
    private static final HexFormat HEX = HexFormat.of();

    private final Advertisement holder = new Advertisement();
    private final Advertisement lenientHolder = new Advertisement();
    private final ByteBuffer reencoded = ByteBuffer.allocate(AdvertisementCodec.encodedLength(IPV6, 255));

    /**
     * An IPv4 packet as a raw IPv4 socket delivers it (header, then VRRP message, then maybe link
     * padding), decoded by {@link AdvertisementCodec#decodeIpv4Packet}.
     */
    @FuzzTest(maxDuration = "20s")
    void ipv4Packet(byte[] packet) {
        ByteBuffer buffer = bounded(packet);
        try {
            AdvertisementCodec.decodeIpv4Packet(buffer, holder);
        } catch (MalformedPacketException e) {
            assertCodecReason(e, packet);
            return;
        }
        assertThat(buffer.position()).isEqualTo(1);
        // What the IPv4 header must have said for the packet to be accepted.
        int headerLength = (packet[0] & 0x0f) * 4;
        int totalLength = getShort(packet, 2);
        assertThat(packet[0] >>> 4 & 0x0f).as("IP version").isEqualTo(4);
        assertThat(headerLength).isGreaterThanOrEqualTo(20);
        assertThat(totalLength).isBetween(headerLength + AdvertisementCodec.HEADER_LENGTH, packet.length);
        assertThat(getShort(packet, 6) & 0x3fff).as("fragment bits").isZero();
        assertThat(packet[9] & 0xff).as("protocol").isEqualTo(AdvertisementCodec.PROTOCOL_NUMBER);
        assertDecodedAsWritten(holder, IPV4, Arrays.copyOfRange(packet, headerLength, totalLength),
                Arrays.copyOfRange(packet, 12, 16), Arrays.copyOfRange(packet, 16, 20), packet[8] & 0xff, packet);
    }

    /**
     * An IPv6 packet as captured: the 40-byte header supplies what an IPv6 raw socket reports
     * beside the payload (hop limit, source, destination), and everything after it is the VRRP
     * message given to {@link AdvertisementCodec#decodeMessage}, once with the RFC 9568 §5.2.9
     * link-local rule and once without; the two must agree except on that rule.
     */
    @FuzzTest(maxDuration = "20s")
    void ipv6Packet(byte[] packet) {
        if (packet.length < IPV6_HEADER) {
            return; // the kernel would not deliver it; the message-length checks start at 0 bytes after it
        }
        int hopLimit = packet[7] & 0xff;
        byte[] source = Arrays.copyOfRange(packet, 8, 24);
        byte[] destination = Arrays.copyOfRange(packet, 24, 40);
        byte[] message = Arrays.copyOfRange(packet, IPV6_HEADER, packet.length);

        PacketDropReason strict = decodeIpv6(message, source, destination, hopLimit, true, holder);
        PacketDropReason lenient = decodeIpv6(message, source, destination, hopLimit, false, lenientHolder);
        if (lenient != null) {
            assertThat(strict).as("strict drops whatever lenient drops, for the same reason").isEqualTo(lenient);
            return;
        }
        assertDecodedAsWritten(lenientHolder, IPV6, message, source, destination, hopLimit, packet);
        boolean linkLocalFirst = (message[8] & 0xff) == 0xfe && (message[9] & 0xc0) == 0x80;
        assertThat(lenientHolder.firstAddressLinkLocal()).isEqualTo(linkLocalFirst);
        if (linkLocalFirst) {
            assertThat(strict).as("strict accepts a link-local first address").isNull();
            assertDecodedAsWritten(holder, IPV6, message, source, destination, hopLimit, packet);
        } else {
            assertThat(strict).isEqualTo(IPV6_FIRST_ADDRESS_NOT_LINK_LOCAL);
        }
    }

    /** The seeds are the golden captures' IP packets, so that the fuzzers start from real keepalived traffic. */
    @Test
    void seedCorporaHoldTheGoldenPackets() throws IOException {
        List<byte[]> ipv4 = new ArrayList<>();
        List<byte[]> ipv6 = new ArrayList<>();
        for (String capture : List.of("ipv4-vrid51-one-vip", "ipv4-vrid51-priority0", "ipv4-vrid52-three-vips",
                "ipv4-vrid53-eight-vips-50cs", "ipv4-vrid55-unicast", "ipv4-v2-vrid71-no-auth", "ipv4-v2-vrid72-pass",
                "ipv4-v2-vrid72-pass-priority0", "ipv6-vrid61-linklocal-and-global",
                "ipv6-vrid61-priority0", "ipv6-vrid62-global-only")) {
            byte[] frame = GoldenVectorTest.readPcap(capture + ".pcap").getFirst();
            byte[] ip = Arrays.copyOfRange(frame, 14, frame.length); // without the Ethernet header
            (capture.startsWith("ipv4") ? ipv4 : ipv6).add(ip);
            assertThat(seed(capture.startsWith("ipv4") ? "ipv4Packet" : "ipv6Packet", capture)).as(capture).isEqualTo(ip);
        }
        ipv4.forEach(this::ipv4Packet);
        ipv6.forEach(this::ipv6Packet);
    }

    // ------------------------------------------------------------------ helpers

    /** Null if accepted, else the drop reason (checked to be the codec's own). */
    private PacketDropReason decodeIpv6(byte[] message, byte[] source, byte[] destination, int hopLimit,
                                        boolean requireLinkLocalFirst, Advertisement into) {
        ByteBuffer buffer = bounded(message);
        try {
            AdvertisementCodec.decodeMessage(buffer, IPV6, source, destination, hopLimit, requireLinkLocalFirst, into);
        } catch (MalformedPacketException e) {
            assertCodecReason(e, message);
            return e.reason();
        }
        assertThat(buffer.position()).isEqualTo(1);
        return null;
    }

    /**
     * The input at position 1 of a buffer whose limit ends it: the byte before is junk and the
     * limit makes any read past the end throw, which the fuzzer reports.
     */
    private static ByteBuffer bounded(byte[] input) {
        byte[] room = new byte[input.length + 1];
        room[0] = (byte) 0xa5;
        System.arraycopy(input, 0, room, 1, input.length);
        return ByteBuffer.wrap(room).position(1);
    }

    /**
     * RFC 3768 §5: IPv4 only; the interval is whole seconds in byte 5, the auth type in byte 4, 8
     * bytes of authentication data after the addresses, the checksum over the message alone; the
     * re-encoded message is the same bytes (up to RFC 1071's two zeros in the checksum).
     */
    private void assertVersion2DecodedAsWritten(Advertisement decoded, AddressFamily family, byte[] message,
                                                byte[] source, byte[] destination, int ttl, byte[] input) {
        String hex = HEX.formatHex(input);
        int count = message[3] & 0xff;
        int length = AdvertisementCodec.encodedLength(Advertisement.VERSION_2, IPV4, count);
        assertThat(family).as(hex).isEqualTo(IPV4);
        assertThat(message[0]).as(hex).isEqualTo((byte) 0x21); // version 2, type 1
        assertThat(count).as(hex).isPositive();
        assertThat(length).as(hex).isEqualTo(8 + 4 * count + 8).isLessThanOrEqualTo(message.length);
        assertThat(ttl).as(hex).isEqualTo(AdvertisementCodec.REQUIRED_TTL);
        assertThat(decoded.vrid()).as(hex).isEqualTo(message[1] & 0xff);
        assertThat(decoded.priority()).as(hex).isEqualTo(message[2] & 0xff);
        assertThat(decoded.authType()).as(hex).isEqualTo(message[4] & 0xff);
        assertThat(decoded.maxAdvertIntervalCentis()).as(hex).isEqualTo((message[5] & 0xff) * 100).isNotZero();
        assertThat(decoded.checksumForm()).as(hex).isEqualTo(ChecksumForm.MESSAGE_ONLY);
        assertThat(Arrays.copyOf(decoded.addressBytes(), count * 4)).as(hex).isEqualTo(Arrays.copyOfRange(message, 8, 8 + 4 * count));
        assertThat(decoded.authDataEquals(Arrays.copyOfRange(message, 8 + 4 * count, length))).as(hex).isTrue();
        assertThat(Rfc1071.vrrpVerifies(ChecksumForm.MESSAGE_ONLY, IPV4, source, destination, message, length))
                .as("v2 checksum verifies independently: %s", hex).isTrue();

        reencoded.clear();
        int written = AdvertisementCodec.encode(decoded, ChecksumForm.MESSAGE_ONLY, reencoded);
        byte[] out = Arrays.copyOf(reencoded.array(), written);
        assertThat(written).as(hex).isEqualTo(length);
        assertThat(Arrays.copyOf(out, 6)).as("re-encoded v2 header %s", hex).isEqualTo(Arrays.copyOf(message, 6));
        assertThat(Arrays.copyOfRange(out, 8, length)).as("re-encoded v2 addresses and auth data %s", hex)
                .isEqualTo(Arrays.copyOfRange(message, 8, length));
        int sent = getShort(out, 6);
        int received = getShort(message, 6);
        assertThat(sent == received || Set.of(sent, received).equals(Set.of(0x0000, 0xffff)))
                .as("re-encoded v2 checksum 0x%04x, received 0x%04x: %s", sent, received, hex).isTrue();
    }

    private static void assertCodecReason(MalformedPacketException e, byte[] input) {
        assertThat(e.reason()).as(() -> e.getMessage() + " for " + HEX.formatHex(input)).isIn(CODEC_REASONS);
        assertThat(e.getMessage()).startsWith(e.reason().name());
    }

    /**
     * Every decoded field against the bytes, and the message re-encoded from the decoded fields
     * equal to the bytes the checksum covers (the reserved interval bits aside, which are sent as 0).
     */
    private void assertDecodedAsWritten(Advertisement decoded, AddressFamily family, byte[] message, byte[] source,
                                        byte[] destination, int ttl, byte[] input) {
        if (decoded.version() == Advertisement.VERSION_2) {
            assertVersion2DecodedAsWritten(decoded, family, message, source, destination, ttl, input);
            return;
        }
        String hex = HEX.formatHex(input);
        int count = message[3] & 0xff;
        int length = AdvertisementCodec.encodedLength(family, count);
        int addressLength = family.addressLength();
        assertThat(message[0]).as(hex).isEqualTo((byte) 0x31); // version 3, type 1
        assertThat(count).as(hex).isPositive();
        assertThat(length).as(hex).isLessThanOrEqualTo(message.length);
        assertThat(ttl).as(hex).isEqualTo(AdvertisementCodec.REQUIRED_TTL);
        assertThat(decoded.family()).as(hex).isEqualTo(family);
        assertThat(decoded.vrid()).as(hex).isEqualTo(message[1] & 0xff);
        assertThat(decoded.priority()).as(hex).isEqualTo(message[2] & 0xff);
        assertThat(decoded.addressCount()).as(hex).isEqualTo(count);
        assertThat(decoded.maxAdvertIntervalCentis()).as(hex).isEqualTo(getShort(message, 4) & 0x0fff).isNotZero();
        assertThat(decoded.checksum()).as(hex).isEqualTo(getShort(message, 6));
        assertThat(decoded.ttl()).as(hex).isEqualTo(ttl);
        assertThat(Arrays.copyOf(decoded.sourceBytes(), addressLength)).as(hex).isEqualTo(source);
        assertThat(Arrays.copyOf(decoded.destinationBytes(), addressLength)).as(hex).isEqualTo(destination);
        assertThat(Arrays.copyOf(decoded.addressBytes(), count * addressLength)).as(hex)
                .isEqualTo(Arrays.copyOfRange(message, 8, length));
        ChecksumForm form = decoded.checksumForm();
        // An IPv6 message followed by exactly an auth_hmac trailer may carry the kernel's checksum over both.
        boolean overTrailer = family == IPV6 && message.length == length + HmacAuthenticator.TRAILER_LENGTH
                && !Rfc1071.vrrpVerifies(form, family, source, destination, message, length);
        assertThat(Rfc1071.vrrpVerifies(form, family, source, destination, message, overTrailer ? message.length : length))
                .as("checksum verifies independently in the reported form %s: %s", form, hex).isTrue();
        assertThat(decoded.messageLength()).as(hex).isEqualTo(length);
        assertThat(decoded.trailingBytes()).as(hex).isEqualTo(message.length - length);
        if (overTrailer) {
            return; // re-encoding without the trailer checksums the message alone
        }
        if (family == IPV6) {
            assertThat(form).as(hex).isEqualTo(ChecksumForm.PSEUDO_HEADER);
        }

        // Re-encoded, the message must be the same bytes, except that the reserved interval bits are
        // sent as 0 and so the checksum may differ: it must verify over the re-encoded bytes, and
        // where the reserved bits were 0 it must equal the received one up to RFC 1071's two zeros
        // (0x0000 and 0xffff verify alike; the encoder writes 0x0000 where a sender may write 0xffff).
        reencoded.clear();
        int written = AdvertisementCodec.encode(decoded, form, reencoded);
        byte[] out = Arrays.copyOf(reencoded.array(), written);
        byte[] expected = Arrays.copyOf(message, length);
        expected[4] &= 0x0f;
        assertThat(written).as(hex).isEqualTo(length);
        assertThat(Arrays.copyOf(out, 6)).as("re-encoded header %s", hex).isEqualTo(Arrays.copyOf(expected, 6));
        assertThat(Arrays.copyOfRange(out, 8, length)).as("re-encoded addresses %s", hex)
                .isEqualTo(Arrays.copyOfRange(expected, 8, length));
        assertThat(Rfc1071.vrrpVerifies(form, family, source, destination, out, length))
                .as("re-encoded checksum verifies: %s", hex).isTrue();
        if ((message[4] & 0xf0) == 0) {
            int sent = getShort(out, 6);
            int received = getShort(message, 6);
            assertThat(sent == received || Set.of(sent, received).equals(Set.of(0x0000, 0xffff)))
                    .as("re-encoded checksum 0x%04x, received 0x%04x: %s", sent, received, hex).isTrue();
        }
    }

    private static int getShort(byte[] bytes, int offset) {
        return TestPackets.getShort(bytes, offset);
    }

    private static byte[] seed(String method, String name) throws IOException {
        String resource = AdvertisementCodecFuzzTest.class.getSimpleName() + "Inputs/" + method + "/" + name;
        try (InputStream in = AdvertisementCodecFuzzTest.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("missing seed " + resource);
            }
            return in.readAllBytes();
        }
    }
}
