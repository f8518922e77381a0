package dev.vrrp4j.core.packet;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Arrays;

import static dev.vrrp4j.core.packet.AddressFamily.IPV4;
import static dev.vrrp4j.core.packet.AddressFamily.IPV6;
import static dev.vrrp4j.core.packet.ChecksumForm.MESSAGE_ONLY;
import static dev.vrrp4j.core.packet.ChecksumForm.PSEUDO_HEADER;
import static dev.vrrp4j.core.packet.TestPackets.*;
import static org.assertj.core.api.Assertions.assertThat;

/** The Internet checksum (RFC 1071) and the VRRPv3 pseudo-headers (RFC 9568 §5.2.8). */
class ChecksumTest {

    /** RFC 1071 §3, "Numerical Examples": the bytes 00 01 f2 03 f4 f5 f6 f7. */
    private static final byte[] RFC1071_EXAMPLE = {0x00, 0x01, (byte) 0xf2, 0x03, (byte) 0xf4, (byte) 0xf5, (byte) 0xf6, (byte) 0xf7};

    @Test
    void theRfc1071NumericExampleSumsTo0xddf2AndChecksumsTo0x220d() {
        // 0001 + f203 + f4f5 + f6f7 = 0x2ddf0, which folds to 0xddf2 (the RFC's "ddf2").
        long fromBuffer = Checksum.sum(ByteBuffer.wrap(RFC1071_EXAMPLE), 0, 8, 0);
        long fromArray = Checksum.sum(RFC1071_EXAMPLE, 8, 0);

        assertThat(fromBuffer).isEqualTo(0x2ddf0L);
        assertThat(fromArray).isEqualTo(0x2ddf0L);
        assertThat(Checksum.finish(fromBuffer)).isEqualTo(0x220d).isEqualTo(~0xddf2 & 0xffff);
    }

    @Test
    void anOddLastByteIsPaddedWithZero() {
        byte[] odd = Arrays.copyOf(RFC1071_EXAMPLE, 7); // ... f4 f5 f6: the last word is f600
        // 0001 + f203 + f4f5 + f600 = 0x2dcf9, folded 0xdcfb, complemented 0x2304.
        assertThat(Checksum.sum(ByteBuffer.wrap(odd), 0, 7, 0)).isEqualTo(0x2dcf9L);
        assertThat(Checksum.sum(RFC1071_EXAMPLE, 7, 0)).as("only the first 7 bytes").isEqualTo(0x2dcf9L);
        assertThat(Checksum.finish(0x2dcf9L)).isEqualTo(0x2304);
    }

    @Test
    void sumReadsAtAbsoluteIndicesFromTheOffset() {
        ByteBuffer buffer = ByteBuffer.wrap(concat(new byte[] {(byte) 0xee, (byte) 0xee, (byte) 0xee}, RFC1071_EXAMPLE));
        buffer.position(2); // ignored: the offset says where to start

        assertThat(Checksum.sum(buffer, 3, 8, 0)).isEqualTo(0x2ddf0L);
        assertThat(Checksum.sum(buffer, 3, 8, 0x10)).as("adds to the running sum").isEqualTo(0x2de00L);
    }

    @Test
    void carriesFoldBackUntilSixteenBitsRemain() {
        byte[] ones = new byte[2 * 70_000]; // 70,000 words of 0xffff: a sum well past 32 bits of carries
        Arrays.fill(ones, (byte) 0xff);
        long sum = Checksum.sum(ones, ones.length, 0);

        assertThat(sum).isEqualTo(70_000L * 0xffff);
        assertThat(Checksum.finish(sum)).as("n × 0xffff is negative zero").isZero();
        assertThat(Checksum.finish(sum + 1)).as("one more is one").isEqualTo(0xfffe);
        // 0x1ffff folds to 0xffff + 1 = 0x10000, which needs a second fold to become 0x0001.
        assertThat(Checksum.finish(0x1ffffL)).isEqualTo(0xfffe);
        assertThat(Checksum.finish(0L)).isEqualTo(0xffff);
    }

    @Test
    void theIpv4PseudoHeaderIsSourceDestinationProtocolAndLength() {
        // c000 + 0201 + e000 + 0012 + 0070 + 0010 = 0x1a293.
        long sum = Checksum.pseudoHeaderSum(IPV4, IPV4_SOURCE, IPV4_GROUP, 16);

        assertThat(sum).isEqualTo(0x1a293L);
        assertThat(Checksum.finish(sum)).isEqualTo(Rfc1071.checksum(Rfc1071.ipv4PseudoHeader(IPV4_SOURCE, IPV4_GROUP, 16)));
    }

    @Test
    void theIpv6PseudoHeaderIsSourceDestinationLengthAndNextHeader() {
        // fe80 + 0001 + ff02 + 0012 + 0028 (32-bit length 40) + 0070 (next header) = 0x1fe2d.
        long sum = Checksum.pseudoHeaderSum(IPV6, IPV6_SOURCE, IPV6_GROUP, 40);

        assertThat(sum).isEqualTo(0x1fe2dL);
        assertThat(Checksum.finish(sum)).isEqualTo(Rfc1071.checksum(Rfc1071.ipv6PseudoHeader(IPV6_SOURCE, IPV6_GROUP, 40)));
    }

    @Test
    void thePseudoHeaderUsesOnlyTheFamilysAddressLength() {
        byte[] longSource = Arrays.copyOf(IPV4_SOURCE, 16);
        Arrays.fill(longSource, 4, 16, (byte) 0x77); // whatever lies past 4 bytes must not count

        assertThat(Checksum.pseudoHeaderSum(IPV4, longSource, IPV4_GROUP, 16)).isEqualTo(0x1a293L);
    }

    @Test
    void computeTakesTheChecksumFieldAsZero() {
        ByteBuffer ipv4 = ByteBuffer.wrap(ipv4Message()); // its field already holds 0x4307
        ByteBuffer ipv6 = ByteBuffer.wrap(ipv6Message());

        assertThat(Checksum.compute(PSEUDO_HEADER, IPV4, IPV4_SOURCE, IPV4_GROUP, ipv4, 0, 16)).isEqualTo(IPV4_CHECKSUM);
        assertThat(Checksum.compute(MESSAGE_ONLY, IPV4, IPV4_SOURCE, IPV4_GROUP, ipv4, 0, 16)).isEqualTo(IPV4_CHECKSUM_MESSAGE_ONLY);
        assertThat(Checksum.compute(PSEUDO_HEADER, IPV6, IPV6_SOURCE, IPV6_GROUP, ipv6, 0, 40)).isEqualTo(IPV6_CHECKSUM);
    }

    @Test
    void verifiesAcceptsOnlyTheFormTheChecksumWasComputedIn() {
        ByteBuffer pseudo = ByteBuffer.wrap(ipv4Message());
        ByteBuffer messageOnly = ByteBuffer.wrap(with(ipv4Message(), 6, 0xe5, 0x9b));

        assertThat(Checksum.verifies(PSEUDO_HEADER, IPV4, IPV4_SOURCE, IPV4_GROUP, pseudo, 0, 16)).isTrue();
        assertThat(Checksum.verifies(MESSAGE_ONLY, IPV4, IPV4_SOURCE, IPV4_GROUP, pseudo, 0, 16)).isFalse();
        assertThat(Checksum.verifies(MESSAGE_ONLY, IPV4, IPV4_SOURCE, IPV4_GROUP, messageOnly, 0, 16)).isTrue();
        assertThat(Checksum.verifies(PSEUDO_HEADER, IPV4, IPV4_SOURCE, IPV4_GROUP, messageOnly, 0, 16)).isFalse();
        assertThat(Checksum.verifies(PSEUDO_HEADER, IPV4, IPV4_GROUP, IPV4_SOURCE, pseudo, 0, 16))
                .as("source and destination swapped still sum the same").isTrue();
        assertThat(Checksum.verifies(PSEUDO_HEADER, IPV4, new byte[] {(byte) 192, 0, 2, 2}, IPV4_GROUP, pseudo, 0, 16))
                .as("another source").isFalse();
        assertThat(Checksum.verifies(PSEUDO_HEADER, IPV6, IPV6_SOURCE, IPV6_GROUP, ByteBuffer.wrap(ipv6Message()), 0, 40))
                .isTrue();
    }
}
