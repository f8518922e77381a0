package dev.vrrp4j.core.packet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static dev.vrrp4j.core.packet.AddressFamily.IPV4;
import static dev.vrrp4j.core.packet.AddressFamily.IPV6;
import static dev.vrrp4j.core.packet.HmacSettings.AntiReplay.MONOTONIC;
import static dev.vrrp4j.core.packet.HmacSettings.AntiReplay.TIME;
import static dev.vrrp4j.core.packet.HmacSettings.Mode.ENFORCE;
import static dev.vrrp4j.core.packet.HmacSettings.Mode.RECEIVE_ONLY;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The auth_hmac trailer against the wire images of draft-cassen-vrrp-auth-hmac's appendix, which
 * keepalived 2.4.3's test/auth_hmac_test.c checks too (key 00..1f, VRID 51, priority 200, one
 * address, sequence 0x6800000080000000), and the mutations, window and sequence cases of that test.
 */
class HmacAuthenticatorTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final HmacKey KEY = HmacKey.parse(1, "hex:000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");

    /** IPv4: source 198.51.100.10, address 192.0.2.100, checksum over the message alone (0x4402). */
    private static final byte[] IPV4_IMAGE = HEX.parseHex(
            "3133c801" + "00644402" + "c0000264"       // v3 advert, VRID 51, prio 200, 1 addr; 100 cs, checksum; VIP
            + "01010000"                                 // ext_type 1, key id 1, reserved 0
            + "6800000080000000"                         // seconds 0x68000000, subsec 0x8000, counter 0
            + "1b84bc4e8e43892dc6d98448f8ee2265");       // HMAC-SHA256, first 16 bytes
    /** IPv6: source fe80::10, destination fe80::20, address fe80::100, the kernel's checksum over all 52 bytes. */
    private static final byte[] IPV6_IMAGE = HEX.parseHex(
            "3133c801" + "0064a2e9"
            + "fe800000000000000000000000000100"
            + "01010000" + "6800000080000000"
            + "c8c56146ebfd66ee10ec4d8186461b78");
    /** The appendix sequence as a clock reading: second 0x68000000 plus half a second (fraction 0x8000). */
    private static final long IMAGE_MILLIS = 0x68000000L * 1000 + 500;

    private static final byte[] SOURCE4 = address("198.51.100.10");
    private static final byte[] SOURCE6 = address("fe80::10");
    private static final byte[] DESTINATION6 = address("fe80::20");

    @Test
    void theIpv4ImageVerifies() {
        assertThat(verify(monotonic(), IPV4_IMAGE, 12, IPV4, 51, SOURCE4, IMAGE_MILLIS)).isNull();
    }

    @Test
    void theIpv6ImageVerifies() {
        assertThat(verify(monotonic(), IPV6_IMAGE, 24, IPV6, 51, SOURCE6, IMAGE_MILLIS)).isNull();
    }

    @Test
    void signingTheAppendixAdvertisementAtItsSequenceGivesTheIpv4ImageByteForByte() {
        Advertisement advert = new Advertisement().set(IPV4, 51, 200, 100).addresses(List.of(inet("192.0.2.100")))
                .route(SOURCE4, address("224.0.0.18"));
        ByteBuffer out = ByteBuffer.allocate(64);

        int length = AdvertisementCodec.encode(advert, ChecksumForm.MESSAGE_ONLY, out,
                new HmacAuthenticator(monotonic(), 0), IMAGE_MILLIS);

        assertThat(length).isEqualTo(40);
        assertThat(HEX.formatHex(Arrays.copyOf(out.array(), length))).isEqualTo(HEX.formatHex(IPV4_IMAGE));
    }

    @Test
    void signingTheAppendixAdvertisementGivesTheIpv6ImageWithAChecksumOverTheTrailer() {
        Advertisement advert = new Advertisement().set(IPV6, 51, 200, 100).addresses(List.of(inet("fe80::100")))
                .route(SOURCE6, DESTINATION6);
        ByteBuffer out = ByteBuffer.allocate(64);

        int length = AdvertisementCodec.encode(advert, ChecksumForm.PSEUDO_HEADER, out,
                new HmacAuthenticator(monotonic(), 0), IMAGE_MILLIS);

        assertThat(HEX.formatHex(Arrays.copyOf(out.array(), length))).isEqualTo(HEX.formatHex(IPV6_IMAGE));
    }

    @Test
    void theDecoderAcceptsTheIpv6ImageWhoseChecksumCoversTheTrailerAndReportsItsFraming() throws Exception {
        Advertisement decoded = new Advertisement();

        AdvertisementCodec.decodeMessage(ByteBuffer.wrap(IPV6_IMAGE), IPV6, SOURCE6, DESTINATION6, 255, decoded);

        assertThat(decoded.vrid()).isEqualTo(51);
        assertThat(decoded.priority()).isEqualTo(200);
        assertThat(decoded.messageOffset()).isZero();
        assertThat(decoded.messageLength()).isEqualTo(24);
        assertThat(decoded.trailingBytes()).isEqualTo(HmacAuthenticator.TRAILER_LENGTH);
    }

    /** keepalived's one-flipped-byte cases against the IPv6 image. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(nullValues = "OK", value = {
            "tampered priority,        2, HMAC_INVALID",
            "tampered advert interval, 5, HMAC_INVALID",
            "tampered checksum,        6, OK",
            "tampered address,         23, HMAC_INVALID",
            "unsupported ext type,     24, HMAC_MALFORMED",
            "unknown key id,           25, HMAC_UNKNOWN_KEY",
            "nonzero reserved,         26, HMAC_MALFORMED",
            "tampered seconds,         28, HMAC_INVALID",
            "tampered counter,         34, HMAC_INVALID",
            "tampered hmac,            36, HMAC_INVALID"})
    void aFlippedByteIsDroppedForItsReason(String what, int offset, PacketDropReason expected) {
        byte[] image = IPV6_IMAGE.clone();
        image[offset] ^= 0x01;

        assertThat(verify(monotonic(), image, 24, IPV6, 51, SOURCE6, IMAGE_MILLIS)).as(what).isEqualTo(expected);
    }

    @Test
    void thePseudoHeaderBindsTheSourceTheVridAndTheVersion() {
        HmacSettings settings = monotonic();
        assertThat(verify(settings, IPV6_IMAGE, 24, IPV6, 51, DESTINATION6, IMAGE_MILLIS)).isEqualTo(PacketDropReason.HMAC_INVALID);
        assertThat(verify(settings, IPV6_IMAGE, 24, IPV6, 52, SOURCE6, IMAGE_MILLIS)).isEqualTo(PacketDropReason.HMAC_INVALID);
        HmacAuthenticator receiver = new HmacAuthenticator(settings, 0);
        assertThat(receiver.verify(ByteBuffer.wrap(IPV4_IMAGE), 0, 12, IPV4, 2, 51, SOURCE4, IMAGE_MILLIS))
                .isEqualTo(PacketDropReason.HMAC_INVALID);
    }

    @Test
    void aSecondCopyFromTheSameSenderIsAReplayButAnotherReceiverTakesIt() {
        HmacAuthenticator receiver = new HmacAuthenticator(monotonic(), 0);
        ByteBuffer packet = ByteBuffer.wrap(IPV6_IMAGE);

        assertThat(receiver.verify(packet, 0, 24, IPV6, 3, 51, SOURCE6, IMAGE_MILLIS)).isNull();
        assertThat(receiver.verify(packet, 0, 24, IPV6, 3, 51, SOURCE6, IMAGE_MILLIS)).isEqualTo(PacketDropReason.HMAC_REPLAYED);
        assertThat(new HmacAuthenticator(monotonic(), 0).verify(packet, 0, 24, IPV6, 3, 51, SOURCE6, IMAGE_MILLIS)).isNull();
    }

    @Test
    void theTimeWindowShedsOldAndFutureStampsAndKeepsTheEdge() {
        HmacSettings settings = new HmacSettings(List.of(KEY), 1, TIME, 5, ENFORCE);
        assertThat(verify(settings, IPV6_IMAGE, 24, IPV6, 51, SOURCE6, IMAGE_MILLIS + 100_000)).isEqualTo(PacketDropReason.HMAC_STALE);
        assertThat(verify(settings, IPV6_IMAGE, 24, IPV6, 51, SOURCE6, IMAGE_MILLIS - 100_000)).isEqualTo(PacketDropReason.HMAC_STALE);
        assertThat(verify(settings, IPV6_IMAGE, 24, IPV6, 51, SOURCE6, IMAGE_MILLIS + 6_000)).isEqualTo(PacketDropReason.HMAC_STALE);
        assertThat(verify(settings, IPV6_IMAGE, 24, IPV6, 51, SOURCE6, IMAGE_MILLIS + 5_000)).isNull();
        assertThat(verify(settings, IPV6_IMAGE, 24, IPV6, 51, SOURCE6, IMAGE_MILLIS - 4_000)).isNull();
    }

    /** 2^31 seconds apart is the farthest serial arithmetic can say, and it is stale, not "-2^31 is small". */
    @Test
    void aStampHalfTheSerialSpaceAwayIsStale() {
        HmacSettings settings = new HmacSettings(List.of(KEY), 1, TIME, 5, ENFORCE);
        assertThat(verify(settings, IPV6_IMAGE, 24, IPV6, 51, SOURCE6, IMAGE_MILLIS + (1L << 31) * 1000))
                .isEqualTo(PacketDropReason.HMAC_STALE);
    }

    @Test
    void aSenderRestartsFromTheClockAfterAStepBackInTimeModeButKeepsGrowingInMonotonicMode() {
        long now = 1_800_000_000_000L;
        HmacAuthenticator time = new HmacAuthenticator(new HmacSettings(List.of(KEY), 1, TIME, 5, ENFORCE), 0);
        time.lastSentSequence((now / 1000 + 3600) << 32);
        assertThat(time.nextSequence(now)).isEqualTo(HmacAuthenticator.clockSequence(now));

        HmacAuthenticator monotonic = new HmacAuthenticator(monotonic(), 0);
        monotonic.lastSentSequence((now / 1000 + 3600) << 32);
        assertThat(monotonic.nextSequence(now)).isEqualTo(((now / 1000 + 3600) << 32) + 1);
    }

    @Test
    void twoAdvertisementsInOneClockTickGetGrowingSequences() {
        HmacAuthenticator sender = new HmacAuthenticator(monotonic(), 0);
        long first = sender.nextSequence(IMAGE_MILLIS);
        long second = sender.nextSequence(IMAGE_MILLIS);

        assertThat(first).isEqualTo(0x6800000080000000L);
        assertThat(second).isEqualTo(0x6800000080000001L);
    }

    @Test
    void aReceiverMarkStrandedPastTheWindowExpiresButTheNextCopyIsStillAReplay() {
        long now = IMAGE_MILLIS;
        HmacAuthenticator receiver = new HmacAuthenticator(new HmacSettings(List.of(KEY), 1, TIME, 5, ENFORCE), 0);
        // A forward clock step left a mark an hour ahead; a sender back on time must be heard again.
        ByteBuffer ahead = signed(new HmacAuthenticator(monotonic(), 0), now + 3_600_000);
        receiver.verify(ahead, 0, 24, IPV6, 3, 51, SOURCE6, now + 3_600_000);
        ByteBuffer onTime = signed(new HmacAuthenticator(monotonic(), 0), now);

        assertThat(receiver.verify(onTime, 0, 24, IPV6, 3, 51, SOURCE6, now)).isNull();
        assertThat(receiver.verify(onTime, 0, 24, IPV6, 3, 51, SOURCE6, now)).isEqualTo(PacketDropReason.HMAC_REPLAYED);
    }

    @Test
    void theReplayMarksAreKeptPerSender() {
        HmacAuthenticator receiver = new HmacAuthenticator(monotonic(), 0);
        HmacAuthenticator a = new HmacAuthenticator(monotonic(), 0);
        HmacAuthenticator b = new HmacAuthenticator(monotonic(), 0);
        byte[] sourceB = address("fe80::11");

        assertThat(receiver.verify(signed(a, IMAGE_MILLIS + 1000), 0, 24, IPV6, 3, 51, SOURCE6, 0)).isNull();
        // b's older sequence is new from b
        assertThat(receiver.verify(signed(b, IMAGE_MILLIS, sourceB), 0, 24, IPV6, 3, 51, sourceB, 0)).isNull();
        assertThat(receiver.verify(signed(a, IMAGE_MILLIS + 2000), 0, 24, IPV6, 3, 51, SOURCE6, 0)).isNull();
    }

    /**
     * keepalived keeps marks for four multicast senders, least recently used out; a unicast router
     * keeps one per peer. A replay of the first of six senders is caught with six slots, and with
     * four it is not (its mark was pushed out), as in keepalived.
     */
    @Test
    void theReplayMarksAreKeptForAsManySendersAsThereAreSlots() {
        for (int slots : new int[] {6, 4}) {
            HmacAuthenticator receiver = new HmacAuthenticator(monotonic(), slots);
            HmacAuthenticator sender = new HmacAuthenticator(monotonic(), 0);
            List<ByteBuffer> first = new java.util.ArrayList<>();
            for (int i = 0; i < 6; i++) {
                byte[] source = address("fe80::" + Integer.toHexString(0x10 + i));
                ByteBuffer packet = signed(sender, IMAGE_MILLIS + i, source);
                first.add(packet);
                assertThat(receiver.verify(packet, 0, 24, IPV6, 3, 51, source, 0)).isNull();
            }
            PacketDropReason again = receiver.verify(first.getFirst(), 0, 24, IPV6, 3, 51, address("fe80::10"), 0);

            assertThat(receiver.senderSlots()).isEqualTo(slots);
            assertThat(again).as("%d slots", slots).isEqualTo(slots == 6 ? PacketDropReason.HMAC_REPLAYED : null);
        }
    }

    @Test
    void keyRotationVerifiesEitherIdAndSignsWithTheActiveOne() {
        HmacKey second = HmacKey.fromPassphrase(2, "a second key of at least 32 bytes!");
        HmacSettings rotating = new HmacSettings(List.of(KEY, second), 2, MONOTONIC, 5, ENFORCE);
        HmacAuthenticator receiver = new HmacAuthenticator(rotating, 0);

        assertThat(receiver.verify(ByteBuffer.wrap(IPV6_IMAGE), 0, 24, IPV6, 3, 51, SOURCE6, 0)).isNull(); // key 1
        ByteBuffer withKey2 = signed(new HmacAuthenticator(rotating, 0), IMAGE_MILLIS + 1000);
        assertThat(withKey2.get(25)).isEqualTo((byte) 2);
        assertThat(receiver.verify(withKey2, 0, 24, IPV6, 3, 51, SOURCE6, 0)).isNull();
        assertThat(new HmacAuthenticator(monotonic(), 0).verify(withKey2, 0, 24, IPV6, 3, 51, SOURCE6, 0))
                .isEqualTo(PacketDropReason.HMAC_UNKNOWN_KEY);
    }

    /** RFC 3768: the trailer follows the 8 bytes of Authentication Data, and the checksum still covers the message alone. */
    @Test
    void aVersion2AdvertisementCarriesTheTrailerAfterItsAuthenticationData() throws Exception {
        Advertisement advert = new Advertisement().setVersion2(51, 200, 1, Advertisement.AUTH_NONE, new byte[8])
                .addresses(List.of(inet("192.0.2.100"))).route(SOURCE4, address("224.0.0.18"));
        ByteBuffer out = ByteBuffer.allocate(64);
        int length = AdvertisementCodec.encode(advert, ChecksumForm.MESSAGE_ONLY, out,
                new HmacAuthenticator(monotonic(), 0), IMAGE_MILLIS);
        Advertisement decoded = new Advertisement();

        AdvertisementCodec.decodeMessage(ByteBuffer.wrap(out.array(), 0, length), IPV4, SOURCE4, address("224.0.0.18"),
                255, decoded);

        assertThat(length).isEqualTo(8 + 4 + 8 + 28);
        assertThat(decoded.version()).isEqualTo(2);
        assertThat(decoded.messageLength()).isEqualTo(20);
        assertThat(decoded.trailingBytes()).isEqualTo(28);
        assertThat(out.array()[20]).as("ext_type after the auth data").isEqualTo((byte) 1);
        HmacAuthenticator receiver = new HmacAuthenticator(monotonic(), 0);
        assertThat(receiver.verify(ByteBuffer.wrap(out.array(), 0, length), 0, 20, IPV4, 2, 51, SOURCE4, 0)).isNull();
        assertThat(new HmacAuthenticator(monotonic(), 0).verify(ByteBuffer.wrap(out.array(), 0, length), 0, 20, IPV4,
                3, 51, SOURCE4, 0)).as("the version is bound").isEqualTo(PacketDropReason.HMAC_INVALID);
    }

    @Test
    void receiveOnlyWritesNoTrailer() {
        Advertisement advert = new Advertisement().set(IPV6, 51, 200, 100).addresses(List.of(inet("fe80::100")))
                .route(SOURCE6, DESTINATION6);
        ByteBuffer out = ByteBuffer.allocate(64);

        int length = AdvertisementCodec.encode(advert, ChecksumForm.PSEUDO_HEADER, out,
                new HmacAuthenticator(monotonic().withMode(RECEIVE_ONLY), 0), IMAGE_MILLIS);

        assertThat(length).isEqualTo(24);
        assertThat(out.position()).isEqualTo(24);
    }

    @Test
    void theWindowDefaultsToThreeIntervalsBetweenFiveAndThreeHundredSeconds() {
        assertThat(HmacSettings.defaultTimeWindowSeconds(100)).isEqualTo(5);
        assertThat(HmacSettings.defaultTimeWindowSeconds(300)).isEqualTo(9);
        assertThat(HmacSettings.defaultTimeWindowSeconds(50)).isEqualTo(5);
        assertThat(HmacSettings.defaultTimeWindowSeconds(4095)).isEqualTo(120);
    }

    // ------------------------------------------------------------------ helpers

    private static HmacSettings monotonic() {
        // the appendix stamps lie outside any live window, so keepalived's test verifies them in monotonic mode
        return new HmacSettings(List.of(KEY), 1, MONOTONIC, 5, ENFORCE);
    }

    private static PacketDropReason verify(HmacSettings settings, byte[] image, int messageLength, AddressFamily family,
                                           int vrid, byte[] source, long millis) {
        return new HmacAuthenticator(settings, 0).verify(ByteBuffer.wrap(image), 0, messageLength, family, 3, vrid,
                source, millis);
    }

    private static ByteBuffer signed(HmacAuthenticator sender, long millis) {
        return signed(sender, millis, SOURCE6);
    }

    private static ByteBuffer signed(HmacAuthenticator sender, long millis, byte[] source) {
        Advertisement advert = new Advertisement().set(IPV6, 51, 200, 100).addresses(List.of(inet("fe80::100")))
                .route(source, DESTINATION6);
        ByteBuffer out = ByteBuffer.allocate(64);
        int length = AdvertisementCodec.encode(advert, ChecksumForm.PSEUDO_HEADER, out, sender, millis);
        return ByteBuffer.wrap(Arrays.copyOf(out.array(), length));
    }

    private static InetAddress inet(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static byte[] address(String text) {
        return inet(text).getAddress();
    }
}
