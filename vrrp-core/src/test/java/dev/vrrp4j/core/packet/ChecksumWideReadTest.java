package dev.vrrp4j.core.packet;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Checksum#sum} reads eight bytes at a time; these compare it with the plain loop over
 * 16-bit words it replaced, on random bytes at every length and offset that decides a tail case
 * (the 4-, 2- and 1-byte remainders, odd lengths and odd offsets included). The seed is fixed so
 * that a failure repeats.
 */
class ChecksumWideReadTest {
    private static final long SEED = 0x5eed_9568L;

    /** The straightforward reference: big-endian 16-bit words, an odd last byte padded with zero. */
    private static long referenceSum(byte[] bytes, int offset, int length, long sum) {
        int end = offset + length;
        int i = offset;
        for (; i + 1 < end; i += 2) {
            sum += ((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff);
        }
        if (i < end) {
            sum += (bytes[i] & 0xff) << 8;
        }
        return sum;
    }

    /** The fold it replaced: until nothing is left above bit 15. */
    private static int referenceFinish(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    @Test
    void aBufferSumsLikeTheWordByWordLoopAtEveryLengthAndOffset() {
        Random random = new Random(SEED);
        byte[] bytes = new byte[200];
        for (int round = 0; round < 20; round++) {
            random.nextBytes(bytes);
            ByteBuffer heap = ByteBuffer.wrap(bytes);
            ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length).put(bytes).clear();
            for (int offset = 0; offset < 17; offset++) {
                for (int length = 0; offset + length <= bytes.length; length++) {
                    long start = random.nextInt(1 << 20);
                    long expected = referenceSum(bytes, offset, length, start);
                    assertThat(Checksum.sum(heap, offset, length, start))
                            .as("heap, offset %d, length %d", offset, length).isEqualTo(expected);
                    assertThat(Checksum.sum(direct, offset, length, start))
                            .as("direct, offset %d, length %d", offset, length).isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void anArraySumsLikeTheWordByWordLoopAtEveryLength() {
        Random random = new Random(SEED + 1);
        for (int round = 0; round < 200; round++) {
            byte[] bytes = new byte[random.nextInt(300)];
            random.nextBytes(bytes);
            for (int length = 0; length <= bytes.length; length++) {
                assertThat(Checksum.sum(bytes, length, 7)).as("length %d of %d", length, bytes.length)
                        .isEqualTo(referenceSum(bytes, 0, length, 7));
            }
        }
    }

    @Test
    void allOnesBytesSumWithoutLosingCarries() {
        // The lanes of the eight-byte read are at their largest with 0xff bytes.
        byte[] ones = new byte[4096 + 7];
        Arrays.fill(ones, (byte) 0xff);
        for (int length : new int[] {7, 8, 9, 15, 16, 4095, 4096, 4103}) {
            long expected = referenceSum(ones, 0, length, 0);
            assertThat(Checksum.sum(ones, length, 0)).isEqualTo(expected);
            assertThat(Checksum.sum(ByteBuffer.wrap(ones), 0, length, 0)).isEqualTo(expected);
        }
    }

    @Test
    void aLittleEndianBufferSumsItsSwappedWordsAsGetShortReadsThem() {
        // Not a case VRRP meets, but the wide reads must not change what a buffer's order meant.
        Random random = new Random(SEED + 2);
        byte[] bytes = new byte[64];
        random.nextBytes(bytes);
        ByteBuffer little = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int length = 0; length <= bytes.length; length += 2) {
            long expected = 0;
            for (int i = 0; i < length; i += 2) {
                expected += little.getShort(i) & 0xffff;
            }
            assertThat(Checksum.sum(little, 0, length, 0)).as("length %d", length).isEqualTo(expected);
        }
    }

    @Test
    void finishFoldsLikeTheLoopForRandomAndEdgeSums() {
        Random random = new Random(SEED + 3);
        long[] edges = {0, 1, 0xffff, 0x10000, 0x1ffff, 0xfffe_ffffL, 0xffff_ffffL, 0x1_0000_0000L,
                0xffff_ffff_ffffL, Long.MAX_VALUE, -1L};
        for (long sum : edges) {
            assertThat(Checksum.finish(sum)).as("0x%x", sum).isEqualTo(referenceFinish(sum));
        }
        for (int i = 0; i < 100_000; i++) {
            long sum = random.nextLong() >>> random.nextInt(64);
            assertThat(Checksum.finish(sum)).as("0x%x", sum).isEqualTo(referenceFinish(sum));
        }
    }
}
