package dev.vrrp4j.core.packet;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Supplier;

import static dev.vrrp4j.core.packet.AddressFamily.IPV4;
import static dev.vrrp4j.core.packet.AddressFamily.IPV6;
import static dev.vrrp4j.core.packet.ChecksumForm.MESSAGE_ONLY;
import static dev.vrrp4j.core.packet.ChecksumForm.PSEUDO_HEADER;
import static dev.vrrp4j.core.packet.PacketDropReason.*;
import static dev.vrrp4j.core.packet.TestPackets.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Whatever arrives on a raw socket, decoding either succeeds or throws
 * {@link MalformedPacketException}; nothing else may escape (an IndexOutOfBoundsException would
 * close a Netty channel). Every success is checked against the input bytes independently of the
 * codec. Random inputs use fixed seeds, so a failure reproduces; it prints the input in hex.
 */
class DecoderRobustnessTest {
    /** Inputs per random test; the three random tests below decode 200,000 inputs in all. */
    private static final int RANDOM_INPUTS = 200_000 / 3 + 1;
    private static final int MAX_LENGTH = 1100;
    private static final HexFormat HEX = HexFormat.of();

    private final Advertisement holder = new Advertisement(); // reused across decodes, as the receive path does
    private final ByteBuffer direct = ByteBuffer.allocateDirect(8192);
    private final Map<PacketDropReason, Integer> drops = new EnumMap<>(PacketDropReason.class);
    private final Map<ChecksumForm, Integer> accepted = new EnumMap<>(ChecksumForm.class);

    // --- random inputs ---

    @Test
    void randomBytesAreDecodedOrDroppedButNeverThrowAnythingElse() {
        Random random = new Random(0x5eed_0001L);
        for (int i = 0; i < RANDOM_INPUTS; i++) {
            byte[] input = randomBytes(random, random.nextInt(MAX_LENGTH + 1));
            decodeIpv4Packet(input, random);
            decodeMessage(IPV4, input, 255, random);
            decodeMessage(IPV6, input, 255, random);
        }
        assertThat(drops.getOrDefault(TRUNCATED, 0)).as("some inputs were short").isPositive();
        assertThat(drops.getOrDefault(BAD_VERSION, 0)).as("most reached the VRRP header").isPositive();
    }

    @Test
    void randomIpv4HeadersAroundTheReferenceMessageAreDecodedOrDropped() {
        Random random = new Random(0x5eed_0002L);
        for (int i = 0; i < RANDOM_INPUTS; i++) {
            // Each header field right with probability 3/4, so most inputs are wrong in one or two ways.
            byte[] header = ipv4Header();
            if (random.nextInt(4) == 0) {
                header[0] = (byte) random.nextInt(256);                           // version, IHL
            }
            int ihl = Math.max(20, (header[0] & 0x0f) * 4);
            byte[] options = randomBytes(random, ihl - 20);
            byte[] payload = random.nextInt(4) == 0 ? randomBytes(random, random.nextInt(64)) : ipv4Message();
            byte[] packet = ipv4Packet(concat(header, options), payload);
            if (random.nextInt(4) == 0) {
                putShort(packet, 2, random.nextInt(65536));                       // total length
            }
            if (random.nextInt(4) == 0) {
                putShort(packet, 6, random.nextInt(65536));                       // flags, fragment offset
            }
            if (random.nextInt(4) == 0) {
                packet[8] = (byte) random.nextInt(256);                           // TTL
            }
            if (random.nextInt(4) == 0) {
                packet[9] = (byte) random.nextInt(256);                           // protocol
            }
            if (random.nextInt(8) == 0) {
                packet = Arrays.copyOf(packet, random.nextInt(packet.length + 1)); // truncated
            }
            decodeIpv4Packet(packet, random);
        }
        assertThat(accepted.getOrDefault(PSEUDO_HEADER, 0)).as("some packets were accepted").isPositive();
        assertThat(drops.keySet()).contains(TRUNCATED, BAD_IP_HEADER, BAD_TTL);
    }

    @Test
    void randomMessagesWithAFixedUpChecksumReachTheChecksAfterTheChecksum() {
        Random random = new Random(0x5eed_0003L);
        for (int i = 0; i < RANDOM_INPUTS; i++) {
            AddressFamily family = random.nextBoolean() ? IPV4 : IPV6;
            int addressLength = family.addressLength();
            byte[] message = randomBytes(random, 8 + random.nextInt(MAX_LENGTH - 7));
            if (random.nextInt(16) != 0) {
                message[0] = 0x31;                                               // version 3, type 1
            }
            int room = Math.min(255, (message.length - 8) / addressLength);
            if (random.nextInt(8) != 0 && room > 0) {
                message[3] = (byte) (1 + random.nextInt(room));                  // a count that fits
            }
            if (random.nextInt(16) == 0) {
                message[4] &= (byte) 0xf0;                                        // interval 0, reserved bits kept
                message[5] = 0;
            }
            if (family == IPV6 && random.nextBoolean() && message.length >= 10) {
                message[8] = (byte) 0xfe;                                         // first address in fe80::/10
                message[9] = (byte) (0x80 | random.nextInt(0x40));
            }
            int count = message[3] & 0xff;
            int authData = family == IPV4 && (message[0] & 0xf0) == 0x20 ? 8 : 0; // VRRPv2 (RFC 3768 §5.3.10)
            boolean checksumFixed = count > 0 && 8 + count * addressLength + authData <= message.length;
            if (checksumFixed) {
                message = withValidChecksum(message, family,
                        family == IPV4 && random.nextBoolean() ? MESSAGE_ONLY : PSEUDO_HEADER);
            }
            Optional<PacketDropReason> drop = family == IPV4
                    ? decodeIpv4Packet(ipv4Packet(ipv4Header(), message), random)
                    : decodeMessage(family, message, 255, random);
            if (checksumFixed) {
                byte[] input = message;
                assertThat(drop).as(() -> "fixed-up checksum of " + HEX.formatHex(input)).isNotEqualTo(Optional.of(BAD_CHECKSUM));
            }
        }
        assertThat(accepted.keySet()).as("both IPv4 forms accepted").containsExactlyInAnyOrder(PSEUDO_HEADER, MESSAGE_ONLY);
        assertThat(drops.keySet()).as("the checks after the checksum were reached")
                .contains(INTERVAL_ZERO, IPV6_FIRST_ADDRESS_NOT_LINK_LOCAL);
    }

    // --- every single-byte change and every truncation of a valid packet ---

    @Test
    void everySingleByteChangeOfTheIpv4PacketIsCaughtOrDecodedAsWritten() {
        byte[] valid = ipv4Packet();
        Random random = new Random(0x5eed_0004L);
        for (int position = 0; position < valid.length; position++) {
            for (int value = 0; value < 256; value++) {
                if (value == (valid[position] & 0xff)) {
                    continue;
                }
                byte[] changed = with(valid, position, value);
                Optional<PacketDropReason> drop = decodeIpv4Packet(changed, random);
                if (position >= 20) {
                    // RFC 1071: a one-byte change moves the sum by a non-zero amount below 0xffff, and
                    // for this vector it cannot land on the other IPv4 form either.
                    assertThat(drop).as(() -> "message byte changed: " + HEX.formatHex(changed)).isPresent();
                }
            }
        }
        assertThat(accepted.getOrDefault(PSEUDO_HEADER, 0)).as("IP header changes VRRP ignores (e.g. identification)")
                .isPositive();
    }

    @Test
    void everySingleByteChangeOfTheIpv6MessageIsCaught() {
        byte[] valid = ipv6Message();
        Random random = new Random(0x5eed_0005L);
        for (int position = 0; position < valid.length; position++) {
            for (int value = 0; value < 256; value++) {
                if (value == (valid[position] & 0xff)) {
                    continue;
                }
                byte[] changed = with(valid, position, value);
                assertThat(decodeMessage(IPV6, changed, 255, random)).as(() -> HEX.formatHex(changed)).isPresent();
            }
        }
    }

    @Test
    void everyTruncationIsDroppedAsTruncatedOrShortOfAddresses() {
        Random random = new Random(0x5eed_0006L);
        byte[] ipv4 = ipv4Packet();
        for (int length = 0; length < ipv4.length; length++) {
            byte[] cut = Arrays.copyOf(ipv4, length);
            assertThat(decodeIpv4Packet(cut, random)).as("%d of %d bytes", length, ipv4.length).contains(TRUNCATED);
            if (length >= 20) {
                // The same bytes with a total length that agrees: now the VRRP message is short.
                putShort(cut, 2, length);
                assertThat(decodeIpv4Packet(cut, random)).as("total length %d", length)
                        .contains(length - 20 < 8 ? TRUNCATED : ADDRESS_COUNT_MISMATCH);
            }
        }
        for (byte[] message : new byte[][] {ipv6Message(), ipv6MessageWith255Addresses()}) {
            for (int length = 0; length < message.length; length++) {
                assertThat(decodeMessage(IPV6, Arrays.copyOf(message, length), 255, random)).as("%d bytes", length)
                        .contains(length < 8 ? TRUNCATED : ADDRESS_COUNT_MISMATCH);
            }
            assertThat(decodeMessage(IPV6, message, 255, random)).as("untruncated").isEmpty();
        }
    }

    /** The reference IPv6 header with 255 addresses: fe80::1, then 2001:db8::1 to 2001:db8::fe. */
    private static byte[] ipv6MessageWith255Addresses() {
        byte[] message = with(Arrays.copyOf(ipv6Message(), 8 + 255 * 16), 3, 255);
        System.arraycopy(InetAddress.ofLiteral("fe80::1").getAddress(), 0, message, 8, 16);
        for (int i = 1; i < 255; i++) {
            byte[] address = InetAddress.ofLiteral("2001:db8::" + Integer.toHexString(i)).getAddress();
            System.arraycopy(address, 0, message, 8 + i * 16, 16);
        }
        return withValidChecksum(message, IPV6);
    }

    // --- decoding one input, with the outcome checked ---

    /** Empty if accepted (and then checked against the bytes), else the drop reason. */
    private Optional<PacketDropReason> decodeIpv4Packet(byte[] packet, Random random) {
        ByteBuffer buffer = place(packet, random);
        int position = buffer.position();
        try {
            AdvertisementCodec.decodeIpv4Packet(buffer, holder);
        } catch (MalformedPacketException e) {
            return dropped(e);
        } catch (Throwable t) {
            return fail("decodeIpv4Packet threw " + t + " for " + HEX.formatHex(packet), t);
        }
        assertThat(buffer.position()).isEqualTo(position);
        assertIpv4PacketAsWritten(packet);
        return Optional.empty();
    }

    private Optional<PacketDropReason> decodeMessage(AddressFamily family, byte[] message, int ttl, Random random) {
        ByteBuffer buffer = place(message, random);
        int position = buffer.position();
        try {
            AdvertisementCodec.decodeMessage(buffer, family, source(family), group(family), ttl, holder);
        } catch (MalformedPacketException e) {
            return dropped(e);
        } catch (Throwable t) {
            return fail("decodeMessage(" + family + ") threw " + t + " for " + HEX.formatHex(message), t);
        }
        assertThat(buffer.position()).isEqualTo(position);
        assertMessageAsWritten(family, message, source(family), group(family), () -> HEX.formatHex(message));
        return Optional.empty();
    }

    private Optional<PacketDropReason> dropped(MalformedPacketException e) {
        assertThat(e.reason()).as(e.getMessage()).isIn(EnumSet.range(TRUNCATED, IPV6_FIRST_ADDRESS_NOT_LINK_LOCAL)); // the codec's own
        drops.merge(e.reason(), 1, Integer::sum);
        return Optional.of(e.reason());
    }

    /**
     * The input inside a heap or direct buffer, at a random position, with junk before it and after
     * its limit: a decoder that reads outside [position, limit) fails here.
     */
    private ByteBuffer place(byte[] input, Random random) {
        int offset = random.nextInt(32);
        byte[] junk = randomBytes(random, offset + input.length + 1 + random.nextInt(32));
        ByteBuffer buffer = random.nextBoolean() ? ByteBuffer.wrap(junk) : direct.clear().put(0, junk);
        buffer.put(offset, input);
        return buffer.limit(offset + input.length).position(offset);
    }

    private void assertIpv4PacketAsWritten(byte[] packet) {
        Supplier<String> hex = () -> HEX.formatHex(packet);
        int headerLength = (packet[0] & 0x0f) * 4;
        int totalLength = getShort(packet, 2);
        assertThat(packet[0] >>> 4 & 0x0f).as(hex).isEqualTo(4);
        assertThat(headerLength).as(hex).isGreaterThanOrEqualTo(20);
        assertThat(totalLength).as(hex).isBetween(headerLength + 8, packet.length);
        assertThat(getShort(packet, 6) & 0x3fff).as(hex).isZero();
        assertThat(packet[8] & 0xff).as(hex).isEqualTo(255);
        assertThat(packet[9] & 0xff).as(hex).isEqualTo(112);
        byte[] source = Arrays.copyOfRange(packet, 12, 16);
        byte[] destination = Arrays.copyOfRange(packet, 16, 20);
        assertMessageAsWritten(IPV4, Arrays.copyOfRange(packet, headerLength, totalLength), source, destination, hex);
    }

    private void assertMessageAsWritten(AddressFamily family, byte[] message, byte[] source, byte[] destination,
                                        Supplier<String> hex) {
        int count = message[3] & 0xff;
        boolean version2 = message[0] == 0x21;
        int length = 8 + count * family.addressLength();
        assertThat(message[0]).as(hex).isIn((byte) 0x31, family == IPV4 ? (byte) 0x21 : (byte) 0x31);
        assertThat(count).as(hex).isPositive();
        assertThat(length + (version2 ? 8 : 0)).as(hex).isLessThanOrEqualTo(message.length);
        assertThat(holder.version()).as(hex).isEqualTo(version2 ? 2 : 3);
        assertThat(holder.family()).as(hex).isEqualTo(family);
        assertThat(holder.vrid()).as(hex).isEqualTo(message[1] & 0xff);
        assertThat(holder.priority()).as(hex).isEqualTo(message[2] & 0xff);
        assertThat(holder.addressCount()).as(hex).isEqualTo(count);
        assertThat(holder.maxAdvertIntervalCentis()).as(hex)
                .isEqualTo(version2 ? (message[5] & 0xff) * 100 : getShort(message, 4) & 0x0fff).isNotZero();
        if (version2) {
            assertThat(holder.authType()).as(hex).isEqualTo(message[4] & 0xff);
            assertThat(holder.authDataEquals(Arrays.copyOfRange(message, length, length + 8))).as(hex).isTrue();
        }
        assertThat(holder.checksum()).as(hex).isEqualTo(getShort(message, 6));
        assertThat(holder.ttl()).as(hex).isEqualTo(255);
        assertThat(holder.sourceAddress().getAddress()).as(hex).isEqualTo(source);
        assertThat(holder.destinationAddress().getAddress()).as(hex).isEqualTo(destination);
        byte[] addresses = new byte[length - 8];
        for (int i = 0; i < count; i++) {
            byte[] address = holder.address(i).getAddress();
            System.arraycopy(address, 0, addresses, i * family.addressLength(), address.length);
        }
        assertThat(addresses).as(hex).isEqualTo(Arrays.copyOfRange(message, 8, length));
        ChecksumForm form = holder.checksumForm();
        if (version2) {
            assertThat(form).as("VRRPv2 checksums the message alone: " + hex.get()).isEqualTo(MESSAGE_ONLY);
        }
        assertThat(Rfc1071.vrrpVerifies(form, family, source, destination, message, length + (version2 ? 8 : 0)))
                .as(() -> "checksum verifies independently in the reported form " + form + ": " + hex.get()).isTrue();
        if (family == IPV6) {
            assertThat(form).as(hex).isEqualTo(PSEUDO_HEADER);
            assertThat(holder.firstAddressLinkLocal()).as(hex).isTrue();
            assertThat(message[8] & 0xff).as(hex).isEqualTo(0xfe);
            assertThat(message[9] & 0xc0).as(hex).isEqualTo(0x80);
        }
        accepted.merge(form, 1, Integer::sum);
    }

    private static byte[] randomBytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }
}
