package dev.vrrp4j.core.packet;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static dev.vrrp4j.core.packet.AddressFamily.IPV4;
import static dev.vrrp4j.core.packet.AddressFamily.IPV6;
import static dev.vrrp4j.core.packet.PacketDropReason.HMAC_MISSING;
import static dev.vrrp4j.core.packet.PacketDropReason.HMAC_REPLAYED;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The trailer verifier under arbitrary input (Jazzer, as {@link AdvertisementCodecFuzzTest}): whatever
 * follows a message, verification returns null or one of the HMAC drop reasons, never throws, never
 * reads past the limit; and whatever it accepts carries the HMAC that the JDK's own
 * {@code HmacSHA256} computes over the draft's input, an implementation independent of ours. Seeds in
 * {@code HmacTrailerFuzzTestInputs/trailer/}: the draft's two appendix images.
 */
class HmacTrailerFuzzTest {
    private static final EnumSet<PacketDropReason> HMAC_REASONS = EnumSet.range(HMAC_MISSING, HMAC_REPLAYED);
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] KEY = HEX.parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    private static final HmacSettings SETTINGS = new HmacSettings(List.of(HmacKey.of(1, KEY)), 1,
            HmacSettings.AntiReplay.MONOTONIC, 5, HmacSettings.Mode.ENFORCE);

    /**
     * Byte 0 picks the family (even: IPv4, odd: IPv6) and byte 1 the VRRP version; then the source
     * address; everything after it is a message followed by a 28-byte trailer.
     */
    @FuzzTest(maxDuration = "20s")
    void trailer(byte[] input) {
        if (input.length < 2) {
            return;
        }
        AddressFamily family = (input[0] & 1) == 0 ? IPV4 : IPV6;
        int version = input[1] & 0xff;
        int at = 2 + family.addressLength();
        if (input.length < at) {
            return;
        }
        byte[] source = Arrays.copyOfRange(input, 2, at);
        byte[] packet = Arrays.copyOfRange(input, at, input.length);
        int messageLength = packet.length - HmacAuthenticator.TRAILER_LENGTH;
        int vrid = messageLength > 1 ? packet[1] & 0xff : 0;
        HmacAuthenticator receiver = new HmacAuthenticator(SETTINGS, 0);
        ByteBuffer buffer = bounded(packet);

        PacketDropReason result = receiver.verify(buffer, 1, messageLength, family, version, vrid, source, 0);

        if (result != null) {
            assertThat(result).as(HEX.formatHex(input)).isIn(HMAC_REASONS);
            return;
        }
        assertThat(Arrays.copyOfRange(packet, messageLength + 12, packet.length)).as(HEX.formatHex(input))
                .isEqualTo(referenceHmac(family, version, vrid, source, packet, messageLength));
        assertThat(receiver.verify(buffer, 1, messageLength, family, version, vrid, source, 0))
                .as("the same packet again").isEqualTo(HMAC_REPLAYED);
    }

    @Test
    void theSeedsAreTheAppendixImagesAndVerify() throws IOException {
        for (String name : List.of("ipv4-appendix", "ipv6-appendix")) {
            byte[] seed = seed(name);
            trailer(seed);
            AddressFamily family = name.startsWith("ipv4") ? IPV4 : IPV6;
            byte[] packet = Arrays.copyOfRange(seed, 2 + family.addressLength(), seed.length);
            byte[] source = Arrays.copyOfRange(seed, 2, 2 + family.addressLength());
            assertThat(new HmacAuthenticator(SETTINGS, 0).verify(ByteBuffer.wrap(packet), 0, packet.length - 28, family,
                    3, 51, source, 0)).as(name).isNull();
        }
    }

    /** Random advertisements signed by us verify against the JDK's HMAC, and any flipped bit but the checksum's is caught. */
    @RepeatedTest(50)
    void signedRandomAdvertisementsMatchTheReferenceAndEveryOtherBitMatters(RepetitionInfo repetition) {
        Random random = new Random(repetition.getCurrentRepetition()); // reproducible per repetition
        AddressFamily family = random.nextBoolean() ? IPV4 : IPV6;
        int count = 1 + random.nextInt(8);
        byte[] addresses = new byte[count * family.addressLength()];
        random.nextBytes(addresses);
        byte[] source = new byte[family.addressLength()];
        random.nextBytes(source);
        Advertisement advert = new Advertisement().set(family, 1 + random.nextInt(255), 1 + random.nextInt(255),
                1 + random.nextInt(4095));
        List<java.net.InetAddress> list = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            list.add(inet(Arrays.copyOfRange(addresses, i * source.length, (i + 1) * source.length)));
        }
        advert.addresses(list).route(source, source);
        ByteBuffer out = ByteBuffer.allocate(512);
        long millis = random.nextLong(1L << 41);
        int length = AdvertisementCodec.encode(advert, ChecksumForm.PSEUDO_HEADER, out,
                new HmacAuthenticator(SETTINGS, 0), millis);
        byte[] packet = Arrays.copyOf(out.array(), length);
        int messageLength = length - 28;

        assertThat(Arrays.copyOfRange(packet, messageLength + 12, length))
                .isEqualTo(referenceHmac(family, 3, advert.vrid(), source, packet, messageLength));
        for (int bit = 0; bit < length * 8; bit++) {
            if (bit / 8 == 6 || bit / 8 == 7) {
                continue; // the checksum is outside the HMAC
            }
            byte[] flipped = packet.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            assertThat(new HmacAuthenticator(SETTINGS, 0).verify(ByteBuffer.wrap(flipped), 0, messageLength, family, 3,
                    advert.vrid(), source, millis)).as("bit %d", bit).isNotNull();
        }
    }

    /** HMAC-SHA256 by javax.crypto over pseudo-header, message with zero checksum, trailer prefix, 16 zeros. */
    private static byte[] referenceHmac(AddressFamily family, int version, int vrid, byte[] source, byte[] packet,
                                        int messageLength) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(KEY, "HmacSHA256"));
            byte[] pseudo = new byte[20];
            pseudo[0] = (byte) (family == IPV6 ? 6 : 4);
            pseudo[1] = (byte) version;
            pseudo[2] = (byte) vrid;
            System.arraycopy(source, 0, pseudo, 4, source.length);
            mac.update(pseudo);
            byte[] message = Arrays.copyOf(packet, messageLength + 12);
            if (messageLength >= 8) {
                message[6] = 0;
                message[7] = 0;
            }
            mac.update(message);
            mac.update(new byte[16]);
            return Arrays.copyOf(mac.doFinal(), 16);
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    private static ByteBuffer bounded(byte[] input) {
        byte[] room = new byte[input.length + 1];
        room[0] = (byte) 0xa5;
        System.arraycopy(input, 0, room, 1, input.length);
        return ByteBuffer.wrap(room); // the message starts at index 1: the byte before is junk
    }

    private static java.net.InetAddress inet(byte[] bytes) {
        try {
            return java.net.InetAddress.getByAddress(bytes);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] seed(String name) throws IOException {
        String resource = HmacTrailerFuzzTest.class.getSimpleName() + "Inputs/trailer/" + name;
        try (InputStream in = HmacTrailerFuzzTest.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("missing seed " + resource);
            }
            return in.readAllBytes();
        }
    }
}
