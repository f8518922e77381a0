package dev.vrrp4j.core.packet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static dev.vrrp4j.core.packet.AddressFamily.IPV4;
import static dev.vrrp4j.core.packet.AddressFamily.IPV6;
import static dev.vrrp4j.core.packet.ChecksumForm.MESSAGE_ONLY;
import static dev.vrrp4j.core.packet.ChecksumForm.PSEUDO_HEADER;
import static dev.vrrp4j.core.packet.TestPackets.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Decoding and encoding of the reference advertisements of {@link TestPackets}, byte for byte, with
 * every checksum checked against {@link Rfc1071} rather than against the codec's own {@link Checksum}.
 * The drop paths are in {@link PacketDropReasonTest}.
 */
class AdvertisementCodecTest {

    @Test
    void theReferenceChecksumsAreWhatRfc1071Gives() {
        assertThat(Rfc1071.vrrpChecksum(PSEUDO_HEADER, IPV4, IPV4_SOURCE, IPV4_GROUP, ipv4Message(), 16))
                .isEqualTo(IPV4_CHECKSUM).isEqualTo(getShort(ipv4Message(), 6));
        assertThat(Rfc1071.vrrpChecksum(MESSAGE_ONLY, IPV4, IPV4_SOURCE, IPV4_GROUP, ipv4Message(), 16))
                .isEqualTo(IPV4_CHECKSUM_MESSAGE_ONLY);
        assertThat(Rfc1071.vrrpChecksum(PSEUDO_HEADER, IPV6, IPV6_SOURCE, IPV6_GROUP, ipv6Message(), 40))
                .isEqualTo(IPV6_CHECKSUM).isEqualTo(getShort(ipv6Message(), 6));
        assertThat(Rfc1071.vrrpChecksum(MESSAGE_ONLY, IPV6, IPV6_SOURCE, IPV6_GROUP, ipv6Message(), 40))
                .isEqualTo(IPV6_CHECKSUM_MESSAGE_ONLY);
        assertThat(Rfc1071.verifies(ipv4Header())).as("IPv4 header checksum").isTrue();
    }

    // --- decode ---

    @Test
    void decodesAWholeIpv4PacketFieldByField() throws Exception {
        ByteBuffer packet = ByteBuffer.wrap(ipv4Packet());
        Advertisement ad = new Advertisement();

        AdvertisementCodec.decodeIpv4Packet(packet, ad);

        assertThat(ad.family()).isEqualTo(IPV4);
        assertThat(ad.vrid()).isEqualTo(51);
        assertThat(ad.priority()).isEqualTo(100);
        assertThat(ad.addressCount()).isEqualTo(2);
        assertThat(ad.maxAdvertIntervalCentis()).isEqualTo(100);
        assertThat(ad.addressList()).containsExactly(ip("192.0.2.100"), ip("192.0.2.101"));
        assertThat(ad.sourceAddress()).isEqualTo(ip("192.0.2.1"));
        assertThat(ad.destinationAddress()).isEqualTo(ip("224.0.0.18"));
        assertThat(ad.ttl()).isEqualTo(255);
        assertThat(ad.checksum()).isEqualTo(0x4307);
        assertThat(ad.checksumForm()).isEqualTo(PSEUDO_HEADER);
        assertThat(ad.firstAddressLinkLocal()).isFalse();
        assertThat(packet.position()).as("reads leave the position alone").isZero();
    }

    @Test
    void theFourReservedBitsBeforeTheIntervalAreIgnored() throws Exception {
        byte[] message = {
                0x31,                           // version 3, type 1 (ADVERTISEMENT)
                0x33,                           // VRID 51
                0x64,                           // priority 100
                0x02,                           // Count IPv4 Addr 2
                (byte) 0xf0, 0x64,              // reserved bits all 1, Max Adver Int 100 centiseconds
                0x53, 0x06,                     // checksum 0x5306 = ~(~0x4307 + 0xf000), the reserved bits are covered
                (byte) 0xc0, 0x00, 0x02, 0x64,  // 192.0.2.100
                (byte) 0xc0, 0x00, 0x02, 0x65,  // 192.0.2.101
        };
        assertThat(Rfc1071.vrrpVerifies(PSEUDO_HEADER, IPV4, IPV4_SOURCE, IPV4_GROUP, message, 16)).isTrue();

        Advertisement ipv4 = decode(IPV4, message);
        Advertisement ipv6 = decode(IPV6, withValidChecksum(with(ipv6Message(), 4, 0xf0), IPV6));

        assertThat(ipv4.maxAdvertIntervalCentis()).isEqualTo(100);
        assertThat(ipv4.checksum()).isEqualTo(0x5306);
        assertThat(ipv6.maxAdvertIntervalCentis()).isEqualTo(50);
    }

    /** Found by AdvertisementCodecFuzzTest (input ipv4Packet/checksum-ffff-where-encoder-writes-0000). */
    @Test
    void aChecksumOf0xffffIsRfc1071sOtherZeroAndVerifiesWhereTheEncoderWrites0x0000() throws Exception {
        byte[] message = {
                0x31,                                       // version 3, type 1 (ADVERTISEMENT)
                0x34,                                       // VRID 52
                (byte) 0xc8,                                // priority 200
                0x03,                                       // Count IPv4 Addr 3
                0x00, 0x64,                                 // Max Adver Int 100 centiseconds
                (byte) 0xff, (byte) 0xff,                   // checksum 0xffff, message-only form: the rest sums to 0xffff
                (byte) 0xff, (byte) 0xff, 0x1c, (byte) 0x97, // 255.255.28.151
                (byte) 0xc0, 0x00, 0x02, 0x65,              // 192.0.2.101
                (byte) 0xc0, 0x66, 0x67, 0x00,              // 192.102.103.0
        };
        // Both ones'-complement zeros make the sum come out as 0xffff, so both verify.
        assertThat(Rfc1071.vrrpVerifies(MESSAGE_ONLY, IPV4, IPV4_SOURCE, IPV4_GROUP, message, 20)).isTrue();
        assertThat(Rfc1071.vrrpVerifies(MESSAGE_ONLY, IPV4, IPV4_SOURCE, IPV4_GROUP, with(message, 6, 0, 0), 20)).isTrue();

        Advertisement ad = decode(IPV4, message);
        assertThat(ad.checksumForm()).isEqualTo(MESSAGE_ONLY);
        assertThat(ad.checksum()).isEqualTo(0xffff);

        ByteBuffer out = ByteBuffer.allocate(20);
        AdvertisementCodec.encode(ad, ad.checksumForm(), out);
        assertThat(out.array()).isEqualTo(with(message, 6, 0x00, 0x00)); // the complement of 0xffff, as RFC 1071 computes it
        assertThat(decode(IPV4, out.array()).checksum()).isZero();
    }

    @ParameterizedTest
    @EnumSource(ChecksumForm.class)
    void bothIpv4ChecksumFormsAreAcceptedAndReported(ChecksumForm form) throws Exception {
        int checksum = form == PSEUDO_HEADER ? IPV4_CHECKSUM : IPV4_CHECKSUM_MESSAGE_ONLY;
        byte[] message = with(ipv4Message(), 6, checksum >>> 8, checksum);

        Advertisement ad = decode(IPV4, message);

        assertThat(ad.checksumForm()).isEqualTo(form);
        assertThat(ad.checksum()).isEqualTo(checksum);
        assertThat(ad.vrid()).isEqualTo(51);
        assertThat(ad.addressList()).containsExactly(ip("192.0.2.100"), ip("192.0.2.101"));
    }

    @Test
    void decodesAnIpv6MessageWithALinkLocalFirstAddressFieldByField() throws Exception {
        ByteBuffer message = ByteBuffer.wrap(ipv6Message());
        Advertisement ad = new Advertisement();

        AdvertisementCodec.decodeMessage(message, IPV6, IPV6_SOURCE, IPV6_GROUP, 255, ad);

        assertThat(ad.family()).isEqualTo(IPV6);
        assertThat(ad.vrid()).isEqualTo(61);
        assertThat(ad.priority()).isEqualTo(200);
        assertThat(ad.addressCount()).isEqualTo(2);
        assertThat(ad.maxAdvertIntervalCentis()).isEqualTo(50);
        assertThat(ad.addressList()).containsExactly(ip("fe80::100"), ip("2001:db8::100"));
        assertThat(ad.sourceAddress()).isEqualTo(ip("fe80::1"));
        assertThat(ad.destinationAddress()).isEqualTo(ip("ff02::12"));
        assertThat(ad.ttl()).isEqualTo(255);
        assertThat(ad.checksum()).isEqualTo(0xda24);
        assertThat(ad.checksumForm()).isEqualTo(PSEUDO_HEADER);
        assertThat(ad.firstAddressLinkLocal()).isTrue();
        assertThat(message.position()).as("reads leave the position alone").isZero();
    }

    @Test
    void anIpv6MessageWithAMessageOnlyChecksumIsRejected() {
        byte[] message = with(ipv6Message(), 6, 0xd8, 0x53); // 0xd853: right over the message alone (TestPackets)

        assertThatThrownBy(() -> decode(IPV6, message))
                .isInstanceOfSatisfying(MalformedPacketException.class, e -> {
                    assertThat(e.reason()).isEqualTo(PacketDropReason.BAD_CHECKSUM);
                    assertThat(e.getMessage()).contains("checksum 0xd853", "expected 0xda24").doesNotContain("message-only");
                });
    }

    @Test
    void anIpv4VrrpMessageDeliveredWithoutItsHeaderDecodesLikeThePacket() throws Exception {
        Advertisement ad = new Advertisement();

        AdvertisementCodec.decodeMessage(ByteBuffer.wrap(ipv4Message()), IPV4, IPV4_SOURCE, IPV4_GROUP, 255, ad);

        assertThat(ad.family()).isEqualTo(IPV4);
        assertThat(ad.vrid()).isEqualTo(51);
        assertThat(ad.checksumForm()).isEqualTo(PSEUDO_HEADER);
        assertThat(ad.sourceAddress()).isEqualTo(ip("192.0.2.1"));
        assertThat(ad.firstAddressLinkLocal()).as("an IPv6-only notion").isFalse();
    }

    @ParameterizedTest(name = "padding byte {0}")
    @ValueSource(ints = {0x00, 0xa5})
    void linkLayerPaddingAfterTheMessageIsToleratedAndLeftOutOfTheChecksum(int padByte) throws Exception {
        byte[] padding = new byte[6];
        Arrays.fill(padding, (byte) padByte);
        // The IPv4 total length (42) covers the padding; the checksum covers only the 8 + 2 × 4 message
        // bytes, with 16 (not 22) as the pseudo-header's length, or 0x4307 would not verify.
        byte[] packet = ipv4Packet(ipv4Header(), concat(ipv4Message(), padding));
        assertThat(getShort(packet, 2)).isEqualTo(42);
        Advertisement ipv4 = new Advertisement();
        Advertisement ipv6 = new Advertisement();

        AdvertisementCodec.decodeIpv4Packet(ByteBuffer.wrap(packet), ipv4);
        AdvertisementCodec.decodeMessage(ByteBuffer.wrap(concat(ipv6Message(), padding)), IPV6,
                IPV6_SOURCE, IPV6_GROUP, 255, ipv6);

        assertThat(ipv4.checksumForm()).isEqualTo(PSEUDO_HEADER);
        assertThat(ipv4.addressList()).containsExactly(ip("192.0.2.100"), ip("192.0.2.101"));
        assertThat(ipv6.checksumForm()).isEqualTo(PSEUDO_HEADER);
        assertThat(ipv6.addressList()).containsExactly(ip("fe80::100"), ip("2001:db8::100"));
    }

    static Stream<Arguments> harmlessIpv4Headers() {
        byte[] withRouterAlert = concat(with(ipv4Header(), 0, 0x46), // IHL 6 (24 bytes)
                new byte[] {(byte) 0x94, 0x04, 0x00, 0x00});                  // option: Router Alert (RFC 2113)
        return Stream.of(
                Arguments.of("don't fragment", with(ipv4Header(), 6, 0x40, 0x00)),
                Arguments.of("IHL 6 with an option", withRouterAlert),
                Arguments.of("DSCP 0", with(ipv4Header(), 1, 0x00)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("harmlessIpv4Headers")
    void ipv4HeaderDetailsThatDoNotConcernVrrpAreAccepted(String name, byte[] header) throws Exception {
        Advertisement ad = new Advertisement();

        AdvertisementCodec.decodeIpv4Packet(ByteBuffer.wrap(ipv4Packet(header, ipv4Message())), ad);

        assertThat(ad.vrid()).isEqualTo(51);
        assertThat(ad.addressList()).containsExactly(ip("192.0.2.100"), ip("192.0.2.101"));
        assertThat(ad.sourceAddress()).isEqualTo(ip("192.0.2.1"));
    }

    @Test
    void decodesFromTheBufferPositionAndReadsNothingPastTheLimit() throws Exception {
        byte[] junk = new byte[7];
        Arrays.fill(junk, (byte) 0xee);
        ByteBuffer ipv4 = ByteBuffer.wrap(concat(junk, ipv4Packet(), junk), 7, 36);
        ByteBuffer ipv6 = ByteBuffer.wrap(concat(junk, ipv6Message(), junk), 7, 40);
        Advertisement a = new Advertisement();
        Advertisement b = new Advertisement();

        AdvertisementCodec.decodeIpv4Packet(ipv4, a);
        AdvertisementCodec.decodeMessage(ipv6, IPV6, IPV6_SOURCE, IPV6_GROUP, 255, b);

        assertThat(a.vrid()).isEqualTo(51);
        assertThat(a.sourceAddress()).isEqualTo(ip("192.0.2.1"));
        assertThat(b.vrid()).isEqualTo(61);
        assertThat(b.addressCount()).isEqualTo(2);
        assertThat(ipv4.position()).isEqualTo(7);
        assertThat(ipv6.position()).isEqualTo(7);
    }

    @Test
    void aGlobalFirstIpv6AddressPassesWhenTheCallerWaivesTheLinkLocalRule() throws Exception {
        byte[] message = withValidChecksum(concat(Arrays.copyOf(ipv6Message(), 8),
                ip("2001:db8::100").getAddress(), ip("fe80::100").getAddress()), IPV6);
        Advertisement ad = new Advertisement();

        AdvertisementCodec.decodeMessage(ByteBuffer.wrap(message), IPV6, IPV6_SOURCE, IPV6_GROUP, 255, false, ad);

        assertThat(ad.firstAddressLinkLocal()).isFalse();
        assertThat(ad.addressList()).containsExactly(ip("2001:db8::100"), ip("fe80::100"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"fe80::1", "febf:ffff::1"})
    void anyAddressInFe80Slash10CountsAsLinkLocal(String first) throws Exception {
        byte[] message = withValidChecksum(concat(Arrays.copyOf(ipv6Message(), 8),
                ip(first).getAddress(), ip("2001:db8::100").getAddress()), IPV6);

        Advertisement ad = decode(IPV6, message);

        assertThat(ad.firstAddressLinkLocal()).isTrue();
        assertThat(ad.address(0)).isEqualTo(ip(first));
    }

    @Test
    void aSourceAddressShorterThanTheFamilyIsTheCallersBugNotADrop() {
        assertThatThrownBy(() -> AdvertisementCodec.decodeMessage(ByteBuffer.wrap(ipv6Message()), IPV6,
                IPV4_SOURCE, IPV6_GROUP, 255, new Advertisement()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("IPV6");
    }

    // --- encode ---

    @ParameterizedTest
    @EnumSource(ChecksumForm.class)
    void encodesTheReferenceIpv4MessageByteForByte(ChecksumForm form) {
        Advertisement ad = new Advertisement().set(IPV4, 51, 100, 100)
                .addresses(List.of(ip("192.0.2.100"), ip("192.0.2.101")))
                .route(IPV4_SOURCE, IPV4_GROUP);
        ByteBuffer out = ByteBuffer.allocate(64);
        int checksum = form == PSEUDO_HEADER ? IPV4_CHECKSUM : IPV4_CHECKSUM_MESSAGE_ONLY;

        int written = AdvertisementCodec.encode(ad, form, out);

        assertThat(written).isEqualTo(16);
        assertThat(out.position()).isEqualTo(16);
        assertThat(Arrays.copyOf(out.array(), 16)).isEqualTo(with(ipv4Message(), 6, checksum >>> 8, checksum));
        assertThat(Arrays.copyOfRange(out.array(), 16, 64)).containsOnly(0);
        assertThat(ad.checksum()).isEqualTo(checksum);
        assertThat(ad.checksumForm()).isEqualTo(form);
    }

    @ParameterizedTest(name = "IPv4 form asked for: {0}")
    @EnumSource(ChecksumForm.class)
    void encodesTheReferenceIpv6MessageByteForByteAlwaysWithThePseudoHeader(ChecksumForm ipv4Form) {
        Advertisement ad = new Advertisement().set(IPV6, 61, 200, 50)
                .addresses(List.of(ip("fe80::100"), ip("2001:db8::100")))
                .route(IPV6_SOURCE, IPV6_GROUP);
        ByteBuffer out = ByteBuffer.allocate(40);

        int written = AdvertisementCodec.encode(ad, ipv4Form, out);

        assertThat(written).isEqualTo(40);
        assertThat(out.array()).isEqualTo(ipv6Message());
        assertThat(ad.checksum()).isEqualTo(IPV6_CHECKSUM);
        assertThat(ad.checksumForm()).isEqualTo(PSEUDO_HEADER);
    }

    @Test
    void encodesAtTheBufferPositionAndLeavesWhatIsBeforeIt() {
        Advertisement ad = new Advertisement().set(IPV4, 51, 100, 100)
                .addresses(List.of(ip("192.0.2.100"), ip("192.0.2.101")))
                .route(IPV4_SOURCE, IPV4_GROUP);
        ByteBuffer out = ByteBuffer.allocate(32);
        out.put(new byte[] {(byte) 0xee, (byte) 0xee, (byte) 0xee, (byte) 0xee, (byte) 0xee});

        AdvertisementCodec.encode(ad, PSEUDO_HEADER, out);

        assertThat(out.position()).isEqualTo(21);
        assertThat(Arrays.copyOf(out.array(), 5)).containsOnly((byte) 0xee);
        assertThat(Arrays.copyOfRange(out.array(), 5, 21)).isEqualTo(ipv4Message());
    }

    @Test
    void encodingAnAdvertisementWithoutAddressesIsRejected() {
        Advertisement ad = new Advertisement().set(IPV4, 51, 100, 100);

        assertThatThrownBy(() -> AdvertisementCodec.encode(ad, PSEUDO_HEADER, ByteBuffer.allocate(64)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no addresses");
    }

    @Test
    void encodedLengthIsEightPlusTheAddresses() {
        assertThat(AdvertisementCodec.encodedLength(IPV4, 2)).isEqualTo(16);
        assertThat(AdvertisementCodec.encodedLength(IPV6, 2)).isEqualTo(40);
        assertThat(AdvertisementCodec.encodedLength(IPV4, 255)).isEqualTo(1028);
        assertThat(AdvertisementCodec.encodedLength(IPV6, 255)).isEqualTo(4088);
    }

    // --- round trip ---

    static Stream<Arguments> roundTrips() {
        List<InetAddress> full4 = IntStream.range(0, 255).mapToObj(i -> ip("192.0.2." + i)).toList();
        List<InetAddress> full6 = new ArrayList<>(List.of(ip("fe80::1")));
        IntStream.range(1, 255).forEach(i -> full6.add(ip("2001:db8::" + Integer.toHexString(i))));
        return Stream.of(
                Arguments.of(IPV4, PSEUDO_HEADER, 1, 0, 1, List.of(ip("192.0.2.1")), "192.0.2.2", "224.0.0.18"),
                Arguments.of(IPV4, MESSAGE_ONLY, 255, 255, 4095, List.of(ip("198.51.100.7"), ip("203.0.113.9")),
                        "192.0.2.2", "224.0.0.18"),
                Arguments.of(IPV4, PSEUDO_HEADER, 128, 254, 100, full4, "198.51.100.2", "203.0.113.3"), // unicast peer
                Arguments.of(IPV6, PSEUDO_HEADER, 61, 100, 100, List.of(ip("fe80::1"), ip("2001:db8::1")),
                        "fe80::2", "ff02::12"),
                Arguments.of(IPV6, MESSAGE_ONLY, 255, 0, 4095, full6, "fe80::2", "ff02::12"));
    }

    @ParameterizedTest(name = "{0} {1} vrid {2} priority {3} interval {4}")
    @MethodSource("roundTrips")
    void encodeThenDecodeGivesBackEveryField(AddressFamily family, ChecksumForm form, int vrid, int priority,
                                             int intervalCentis, List<InetAddress> addresses, String source,
                                             String destination) throws Exception {
        byte[] src = ip(source).getAddress();
        byte[] dst = ip(destination).getAddress();
        Advertisement sent = new Advertisement().set(family, vrid, priority, intervalCentis).addresses(addresses)
                .route(src, dst);
        ByteBuffer out = ByteBuffer.allocate(AdvertisementCodec.encodedLength(family, addresses.size()));
        AdvertisementCodec.encode(sent, form, out);
        byte[] message = out.array();

        Advertisement received = new Advertisement();
        if (family == IPV4) {
            byte[] header = with(with(ipv4Header(), 12, src[0], src[1], src[2], src[3]), 16, dst[0], dst[1], dst[2], dst[3]);
            AdvertisementCodec.decodeIpv4Packet(ByteBuffer.wrap(ipv4Packet(header, message)), received);
        } else {
            AdvertisementCodec.decodeMessage(ByteBuffer.wrap(message), family, src, dst, 255, received);
        }

        ChecksumForm expectedForm = family == IPV6 ? PSEUDO_HEADER : form;
        assertThat(received.family()).isEqualTo(family);
        assertThat(received.vrid()).isEqualTo(vrid);
        assertThat(received.priority()).isEqualTo(priority);
        assertThat(received.maxAdvertIntervalCentis()).isEqualTo(intervalCentis);
        assertThat(received.addressList()).containsExactlyElementsOf(addresses);
        assertThat(received.sourceAddress()).isEqualTo(ip(source));
        assertThat(received.destinationAddress()).isEqualTo(ip(destination));
        assertThat(received.checksumForm()).isEqualTo(expectedForm);
        assertThat(received.checksum()).isEqualTo(sent.checksum());
        assertThat(Rfc1071.vrrpVerifies(expectedForm, family, src, dst, message, message.length))
                .as("the encoded checksum verifies independently of Checksum").isTrue();
    }

    static InetAddress ip(String literal) {
        return InetAddress.ofLiteral(literal);
    }
}
