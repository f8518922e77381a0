package dev.vrrp4j.core.packet;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.stream.Stream;

import static dev.vrrp4j.core.packet.AddressFamily.IPV4;
import static dev.vrrp4j.core.packet.AddressFamily.IPV6;
import static dev.vrrp4j.core.packet.ChecksumForm.MESSAGE_ONLY;
import static dev.vrrp4j.core.packet.ChecksumForm.PSEUDO_HEADER;
import static dev.vrrp4j.core.packet.PacketDropReason.*;
import static dev.vrrp4j.core.packet.TestPackets.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * One test per {@link PacketDropReason} the codec decides. Each input is a reference packet of
 * {@link TestPackets} with one thing wrong and, where the checksum can cover it, a valid checksum,
 * so the expected reason does not depend on the order of the checks (RFC 9568 §7.1 sets none).
 * Each message must carry the actual and the expected value.
 */
class PacketDropReasonTest {

    // --- TRUNCATED ---

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, 19})
    void anIpv4PacketShorterThanAnIpv4HeaderIsTruncated(int length) {
        byte[] packet = Arrays.copyOf(ipv4Packet(), length);

        assertDrop(() -> decodeIpv4Packet(packet), TRUNCATED, "IPv4 packet of " + length + " bytes", "< 20");
    }

    @Test
    void anIpv4TotalLengthBeyondTheBytesReceivedIsTruncated() {
        byte[] packet = ipv4Packet(ipv4Header(), ipv4Message(), 37); // 36 bytes that claim to be 37

        assertDrop(() -> decodeIpv4Packet(packet), TRUNCATED, "total length 37", "36 bytes received");
    }

    @Test
    void anIpv4TotalLengthShorterThanItsOwnHeaderIsTruncated() {
        byte[] packet = ipv4Packet(ipv4Header(), ipv4Message(), 19);

        assertDrop(() -> decodeIpv4Packet(packet), TRUNCATED, "total length 19", "header length 20");
    }

    @ParameterizedTest(name = "{0}, {1} bytes")
    @CsvSource({"IPV4, 0", "IPV4, 7", "IPV6, 0", "IPV6, 7"})
    void aVrrpMessageShorterThanItsEightByteHeaderIsTruncated(AddressFamily family, int length) {
        byte[] message = Arrays.copyOf(message(family), length);

        assertDrop(() -> decode(family, message), TRUNCATED, "VRRP message of " + length + " bytes", "< 8");
    }

    // --- BAD_IP_HEADER ---

    static Stream<Arguments> badIpv4Headers() {
        return Stream.of(
                Arguments.of("IP version 6", with(ipv4Header(), 0, 0x65), new String[] {"IP version 6", "expected version 4"}),
                Arguments.of("IHL 4", with(ipv4Header(), 0, 0x44), new String[] {"header length 16", "header length >= 20"}),
                Arguments.of("protocol 17 (UDP)", with(ipv4Header(), 9, 17), new String[] {"IP protocol 17", "expected 112"}),
                Arguments.of("more fragments", with(ipv4Header(), 6, 0x20, 0x00), new String[] {"flags/offset 0x2000", "never fragmented"}),
                Arguments.of("fragment offset 8", with(ipv4Header(), 6, 0x00, 0x01), new String[] {"flags/offset 0x1)", "never fragmented"}),
                Arguments.of("DF and MF", with(ipv4Header(), 6, 0x60, 0x00), new String[] {"flags/offset 0x2000", "never fragmented"}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badIpv4Headers")
    void anIpv4HeaderThatIsNotPlainIpv4CarryingVrrpIsABadIpHeader(String name, byte[] header, String[] details) {
        byte[] packet = ipv4Packet(header, ipv4Message());

        assertDrop(() -> decodeIpv4Packet(packet), BAD_IP_HEADER, details);
    }

    // --- BAD_TTL ---

    @ParameterizedTest(name = "TTL {0}")
    @ValueSource(ints = {254, 64, 1, 0})
    void anIpv4TtlOtherThan255IsABadTtl(int ttl) {
        byte[] packet = ipv4Packet(with(ipv4Header(), 8, ttl), ipv4Message());

        assertDrop(() -> decodeIpv4Packet(packet), BAD_TTL, "TTL " + ttl + ",", "expected 255");
    }

    @ParameterizedTest(name = "hop limit {0}")
    @ValueSource(ints = {1, 254})
    void anIpv6HopLimitOtherThan255IsABadTtl(int hopLimit) {
        assertDrop(() -> AdvertisementCodec.decodeMessage(ByteBuffer.wrap(ipv6Message()), IPV6, IPV6_SOURCE,
                IPV6_GROUP, hopLimit, new Advertisement()), BAD_TTL, "hop limit " + hopLimit + ",", "expected 255");
    }

    // --- BAD_VERSION, UNKNOWN_TYPE ---

    @ParameterizedTest(name = "{0} version {1}")
    @CsvSource({"IPV4, 0, expected 3 or 2", "IPV4, 1, expected 3 or 2", "IPV4, 4, expected 3 or 2",
            "IPV6, 2, VRRPv2 is IPv4 only", "IPV6, 4, expected 3"})
    void aVersionOtherThan3Or2OrVersion2OverIpv6IsABadVersion(AddressFamily family, int version, String expected) {
        byte[] message = withValidChecksum(with(message(family), 0, version << 4 | 1), family);

        assertDrop(() -> decode(family, message), BAD_VERSION, "version " + version + ",", expected);
    }

    @ParameterizedTest(name = "{0} type {1}")
    @CsvSource({"IPV4, 2", "IPV6, 2", "IPV4, 0", "IPV4, 15"})
    void aTypeOtherThanAdvertisementIsAnUnknownType(AddressFamily family, int type) {
        byte[] message = withValidChecksum(with(message(family), 0, 0x30 | type), family);

        assertDrop(() -> decode(family, message), UNKNOWN_TYPE, "type " + type + ",", "expected 1");
    }

    // --- NO_ADDRESSES, ADDRESS_COUNT_MISMATCH ---

    @ParameterizedTest
    @EnumSource(AddressFamily.class)
    void aCountOfZeroIsNoAddresses(AddressFamily family) {
        // Just the 8-byte header with count 0, its checksum right over those 8 bytes.
        byte[] message = withValidChecksum(with(Arrays.copyOf(message(family), 8), 3, 0), family);

        assertDrop(() -> decode(family, message), NO_ADDRESSES, "address count 0", "expected 1..255");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"IPV4, 20, 16", "IPV6, 56, 40"})
    void aCountOfThreeWithRoomForTwoIsAnAddressCountMismatch(AddressFamily family, int needed, int got) {
        byte[] message = with(message(family), 3, 3);

        assertDrop(() -> decode(family, message), ADDRESS_COUNT_MISMATCH,
                "address count 3", "needs " + needed + " bytes", "got " + got);
    }

    // --- BAD_CHECKSUM ---

    @ParameterizedTest
    @EnumSource(AddressFamily.class)
    void aBitFlippedInAnAddressIsABadChecksum(AddressFamily family) {
        byte[] message = message(family);
        message[message.length - 1] ^= 0x02; // 192.0.2.101 -> 192.0.2.103, 2001:db8::100 -> 2001:db8::102
        int stored = getShort(message, 6);

        assertDrop(() -> decode(family, message), BAD_CHECKSUM,
                expectedChecksumDetails(family, message, stored));
    }

    @ParameterizedTest
    @EnumSource(AddressFamily.class)
    void aChecksumOffByOneIsABadChecksum(AddressFamily family) {
        byte[] message = message(family);
        int stored = getShort(message, 6) + 1; // 0x4308 or 0xda25; neither is near the 0x0000/0xffff alias
        putShort(message, 6, stored);

        String[] details = expectedChecksumDetails(family, message, stored);
        assertThat(details[1]).isIn("expected 0x4307", "expected 0xda24");
        assertDrop(() -> decode(family, message), BAD_CHECKSUM, details);
    }

    /** "checksum 0x…" (actual) and "expected 0x…" (per {@link Rfc1071}), plus the message-only value for IPv4. */
    private static String[] expectedChecksumDetails(AddressFamily family, byte[] message, int stored) {
        int pseudo = Rfc1071.vrrpChecksum(PSEUDO_HEADER, family, source(family), group(family), message, message.length);
        if (family == IPV6) {
            return new String[] {"checksum 0x" + Integer.toHexString(stored), "expected 0x" + Integer.toHexString(pseudo)};
        }
        int messageOnly = Rfc1071.vrrpChecksum(MESSAGE_ONLY, family, source(family), group(family), message, message.length);
        return new String[] {"checksum 0x" + Integer.toHexString(stored), "expected 0x" + Integer.toHexString(pseudo),
                "0x" + Integer.toHexString(messageOnly) + " (message-only form)"};
    }

    // --- INTERVAL_ZERO ---

    @ParameterizedTest(name = "{0}, reserved bits 0x{1}")
    @CsvSource({"IPV4, 0", "IPV6, 0", "IPV4, f", "IPV6, f"})
    void anIntervalOfZeroWithAValidChecksumIsIntervalZero(AddressFamily family, String reservedHex) {
        int reserved = Integer.parseInt(reservedHex, 16);
        byte[] message = withValidChecksum(with(message(family), 4, reserved << 4, 0x00), family);

        assertDrop(() -> decode(family, message), INTERVAL_ZERO, "interval 0,", "expected 1..4095");
    }

    // --- IPV6_FIRST_ADDRESS_NOT_LINK_LOCAL ---

    @Test
    void aGlobalFirstIpv6AddressWithAValidChecksumIsRejected() {
        byte[] message = withValidChecksum(concat(
                Arrays.copyOf(ipv6Message(), 8),                                                         // VRID 61, count 2
                new byte[] {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01},          // 2001:db8::1
                new byte[] {(byte) 0xfe, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x00}),     // fe80::100
                IPV6);

        assertDrop(() -> decode(IPV6, message), IPV6_FIRST_ADDRESS_NOT_LINK_LOCAL,
                "2001:db8:0:0:0:0:0:1", "link-local (fe80::/10)");
    }

    private static void decodeIpv4Packet(byte[] packet) throws MalformedPacketException {
        AdvertisementCodec.decodeIpv4Packet(ByteBuffer.wrap(packet), new Advertisement());
    }

    private static void assertDrop(ThrowingCallable decode, PacketDropReason reason, String... details) {
        assertThatThrownBy(decode).isInstanceOfSatisfying(MalformedPacketException.class, e -> {
            assertThat(e.reason()).isEqualTo(reason);
            assertThat(e.getMessage()).startsWith(reason + ": ").contains(details);
        });
    }
}
