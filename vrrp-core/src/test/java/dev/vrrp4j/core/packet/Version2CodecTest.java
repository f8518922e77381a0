package dev.vrrp4j.core.packet;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static dev.vrrp4j.core.packet.AddressFamily.IPV4;
import static dev.vrrp4j.core.packet.TestPackets.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The VRRPv2 layout of RFC 3768 §5.3, from a message written field by field: Auth Type and Adver
 * Int (seconds) where VRRPv3 has the centisecond interval, 8 bytes of Authentication Data after the
 * addresses, and a checksum over the message alone (§5.3.8).
 */
class Version2CodecTest {
    /*
     * Checksum over the message alone: words 2133+6401+0101(auth type 1, 1 s)+0000(checksum as zero)
     * +c000+0264 (192.0.2.100) +7333+6372+3374+0000 ("s3cr3t" + 2 zero bytes) = 0x252b2, folded
     * 0x52b4, complemented 0xad4b.
     */
    private static final byte[] MESSAGE = {
            0x21,                           // version 2, type 1 (ADVERTISEMENT)
            0x33,                           // VRID 51
            0x64,                           // priority 100
            0x01,                           // Count IP Addrs 1
            0x01,                           // Auth Type 1 (simple text password)
            0x01,                           // Adver Int 1 second
            (byte) 0xad, 0x4b,              // checksum 0xad4b (message only, see above)
            (byte) 0xc0, 0x00, 0x02, 0x64,  // 192.0.2.100
            's', '3', 'c', 'r', '3', 't', 0, 0, // Authentication Data: "s3cr3t" padded to 8 bytes
    };

    private static final byte[] PASSWORD = "s3cr3t".getBytes(StandardCharsets.US_ASCII);

    @Test
    void theReferenceChecksumIsWhatRfc1071GivesOverTheMessageAlone() {
        assertThat(Rfc1071.vrrpChecksum(ChecksumForm.MESSAGE_ONLY, IPV4, IPV4_SOURCE, IPV4_GROUP, MESSAGE,
                MESSAGE.length)).isEqualTo(0xad4b);
    }

    @Test
    void decodesEveryField() throws Exception {
        Advertisement decoded = decode(IPV4, MESSAGE.clone());

        assertThat(decoded.version()).isEqualTo(2);
        assertThat(decoded.vrid()).isEqualTo(51);
        assertThat(decoded.priority()).isEqualTo(100);
        assertThat(decoded.addressCount()).isEqualTo(1);
        assertThat(decoded.address(0).getHostAddress()).isEqualTo("192.0.2.100");
        assertThat(decoded.authType()).isEqualTo(Advertisement.AUTH_PASSWORD);
        assertThat(decoded.authDataEquals(Arrays.copyOf(PASSWORD, 8))).isTrue();
        assertThat(decoded.authDataEquals(Arrays.copyOf("s3cr3T".getBytes(StandardCharsets.US_ASCII), 8))).isFalse();
        assertThat(decoded.maxAdvertIntervalCentis()).isEqualTo(100);
        assertThat(decoded.checksum()).isEqualTo(0xad4b);
        assertThat(decoded.checksumForm()).isEqualTo(ChecksumForm.MESSAGE_ONLY);
        assertThat(decoded).hasToString("VRRPv2 IPV4 vrid=51 prio=100 intvl=100cs auth=1 src=192.0.2.1 addrs=[192.0.2.100]");
    }

    @Test
    void encodesTheSameBytesWhateverIpv4FormIsAskedFor() {
        for (ChecksumForm form : ChecksumForm.values()) {
            Advertisement advertisement = new Advertisement()
                    .setVersion2(51, 100, 1, Advertisement.AUTH_PASSWORD, PASSWORD)
                    .addresses(List.of(java.net.InetAddress.ofLiteral("192.0.2.100")))
                    .route(IPV4_SOURCE, IPV4_GROUP);
            ByteBuffer out = ByteBuffer.allocate(64);
            int length = AdvertisementCodec.encode(advertisement, form, out);
            assertThat(Arrays.copyOf(out.array(), length)).as("form %s", form).isEqualTo(MESSAGE);
            assertThat(length).isEqualTo(AdvertisementCodec.encodedLength(2, IPV4, 1));
        }
    }

    /**
     * keepalived 2.2.7's advertisement for a VRRPv2 instance without virtual_ipaddress (captured with
     * tcpdump -x): RFC 3768 §5.3.6 sets no minimum count. Checksum: 2133+6400+0001 = 0x8534,
     * complemented 0x7acb.
     */
    private static final byte[] NO_ADDRESSES_MESSAGE = {
            0x21,                           // version 2, type 1 (ADVERTISEMENT)
            0x33,                           // VRID 51
            0x64,                           // priority 100
            0x00,                           // Count IP Addrs 0
            0x00,                           // Auth Type 0 (none)
            0x01,                           // Adver Int 1 second
            0x7a, (byte) 0xcb,              // checksum 0x7acb (message only, see above)
            0, 0, 0, 0, 0, 0, 0, 0,         // Authentication Data: zeros
    };

    @Test
    void aVersion2AdvertisementWithoutAddressesDecodesAndEncodesAsKeepalivedSendsIt() throws Exception {
        assertThat(Rfc1071.vrrpChecksum(ChecksumForm.MESSAGE_ONLY, IPV4, IPV4_SOURCE, IPV4_GROUP, NO_ADDRESSES_MESSAGE,
                NO_ADDRESSES_MESSAGE.length)).isEqualTo(0x7acb);

        Advertisement decoded = decode(IPV4, NO_ADDRESSES_MESSAGE.clone());
        assertThat(decoded.version()).isEqualTo(2);
        assertThat(decoded.priority()).isEqualTo(100);
        assertThat(decoded.addressCount()).isZero();
        assertThat(decoded.maxAdvertIntervalCentis()).isEqualTo(100);

        Advertisement advertisement = new Advertisement().setVersion2(51, 100, 1, Advertisement.AUTH_NONE, null)
                .addresses(List.of()).route(IPV4_SOURCE, IPV4_GROUP);
        ByteBuffer out = ByteBuffer.allocate(64);
        int length = AdvertisementCodec.encode(advertisement, ChecksumForm.PSEUDO_HEADER, out);
        assertThat(Arrays.copyOf(out.array(), length)).isEqualTo(NO_ADDRESSES_MESSAGE);
    }

    @Test
    void aVersion3AdvertisementStillNeedsAnAddress() {
        assertThatThrownBy(() -> new Advertisement().set(IPV4, 51, 100, 100).addresses(List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("address count 0 out of range 1..255");
    }

    @Test
    void withoutAuthenticationTheDataIsZero() throws Exception {
        Advertisement advertisement = new Advertisement()
                .setVersion2(51, 100, 1, Advertisement.AUTH_NONE, PASSWORD) // data ignored for Auth Type 0
                .addresses(List.of(java.net.InetAddress.ofLiteral("192.0.2.100")))
                .route(IPV4_SOURCE, IPV4_GROUP);
        ByteBuffer out = ByteBuffer.allocate(64);
        int length = AdvertisementCodec.encode(advertisement, ChecksumForm.PSEUDO_HEADER, out);
        byte[] message = Arrays.copyOf(out.array(), length);

        assertThat(message[4]).as("Auth Type").isZero();
        assertThat(Arrays.copyOfRange(message, 12, 20)).isEqualTo(new byte[8]);
        assertThat(decode(IPV4, message).authDataEquals(new byte[8])).isTrue();
    }

    @Test
    void aPseudoHeaderChecksumIsABadChecksumForVersion2() {
        byte[] message = MESSAGE.clone();
        putShort(message, 6, Rfc1071.vrrpChecksum(ChecksumForm.PSEUDO_HEADER, IPV4, IPV4_SOURCE, IPV4_GROUP, message,
                message.length));

        assertThatThrownBy(() -> decode(IPV4, message)).isInstanceOfSatisfying(MalformedPacketException.class, e -> {
            assertThat(e.reason()).isEqualTo(PacketDropReason.BAD_CHECKSUM);
            assertThat(e.getMessage()).contains("expected 0xad4b (VRRPv2, message-only form)");
        });
    }

    @Test
    void withoutItsAuthenticationDataTheMessageIsAnAddressCountMismatch() {
        byte[] message = withValidChecksum(Arrays.copyOf(MESSAGE, 12), IPV4);

        assertThatThrownBy(() -> decode(IPV4, message)).isInstanceOfSatisfying(MalformedPacketException.class, e -> {
            assertThat(e.reason()).isEqualTo(PacketDropReason.ADDRESS_COUNT_MISMATCH);
            assertThat(e.getMessage()).contains("needs 20 bytes", "got 12");
        });
    }

    @Test
    void anAdverIntOfZeroIsIntervalZero() {
        byte[] message = withValidChecksum(with(MESSAGE.clone(), 5, 0), IPV4);

        assertThatThrownBy(() -> decode(IPV4, message)).isInstanceOfSatisfying(MalformedPacketException.class, e -> {
            assertThat(e.reason()).isEqualTo(PacketDropReason.INTERVAL_ZERO);
            assertThat(e.getMessage()).contains("interval 0", "expected 1..255 seconds");
        });
    }

    @Test
    void anUnknownTypeIsStillAnUnknownType() {
        byte[] message = withValidChecksum(with(MESSAGE.clone(), 0, 0x22), IPV4);

        assertThatThrownBy(() -> decode(IPV4, message)).isInstanceOfSatisfying(MalformedPacketException.class,
                e -> assertThat(e.reason()).isEqualTo(PacketDropReason.UNKNOWN_TYPE));
    }

    @Test
    void settingVersion2ValidatesTheWireRanges() {
        Advertisement advertisement = new Advertisement();
        assertThatThrownBy(() -> advertisement.setVersion2(51, 100, 256, 0, new byte[0]))
                .hasMessage("advertIntervalSeconds 256 out of range 1..255");
        assertThatThrownBy(() -> advertisement.setVersion2(51, 100, 1, 2, new byte[0]))
                .hasMessage("authType 2 out of range 0..1");
        assertThatThrownBy(() -> advertisement.setVersion2(51, 100, 1, 1, new byte[9]))
                .hasMessage("password length in bytes 9 out of range 1..8");
        assertThat(advertisement.version()).as("a rejected call changes nothing").isEqualTo(3);
    }
}
