package dev.vrrp4j.core.packet;

import java.nio.ByteBuffer;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * Signs and verifies the auth_hmac trailer of one virtual router (draft-cassen-vrrp-auth-hmac, as
 * keepalived 2.4.3 builds it): 28 bytes after the VRRP message, the same for VRRPv2 and v3, IPv4 and
 * IPv6, multicast and unicast.
 *
 * <pre>
 *  0      ext_type  1 = HMAC-SHA256 truncated to 128 bits
 *  1      key_id    1..255, which key verifies it
 *  2..3   reserved  0
 *  4..7   seconds   UTC seconds since the epoch (low 32 bits)       \
 *  8..9   subsec    binary fraction of that second, 1/65536 s        } the 64-bit sequence number
 *  10..11 counter   tie breaker within one timestamp                /
 *  12..27 hmac      the first 16 bytes of HMAC-SHA256(key, input)
 * </pre>
 *
 * The HMAC input is a 20-byte pseudo-header (4 or 6 for the family, the VRRP version, the VRID, a
 * zero byte, the advertisement's source address zero-padded to 16 bytes), then the VRRP message with
 * its checksum field read as zero, then the trailer's first 12 bytes, then 16 zero bytes in place of
 * the HMAC. The IP header is not covered, so TTL handling and the checksum (IPv4: over the message
 * alone; IPv6: the kernel's, over message and trailer) stay independent of it, and one signed
 * trailer serves every unicast copy of an advertisement.
 *
 * <p>Verification runs keepalived's checks in its order: scheme and reserved field
 * ({@link PacketDropReason#HMAC_MALFORMED}), the freshness window before the costly digest so that a
 * flood of old captures costs no HMAC ({@link PacketDropReason#HMAC_STALE}), the key id
 * ({@link PacketDropReason#HMAC_UNKNOWN_KEY}), the HMAC in constant time
 * ({@link PacketDropReason#HMAC_INVALID}), then the sender's sequence against the last one accepted
 * from that source ({@link PacketDropReason#HMAC_REPLAYED}), which only verified packets move.
 *
 * <p>The core reads no clock: the caller passes the UTC time in milliseconds. Not thread-safe; one
 * per router, on the node's thread. Signing and verifying allocate nothing: the HMAC runs on one
 * {@link MessageDigest} with each key's ipad and opad blocks computed once (RFC 2104 §2).
 */
public final class HmacAuthenticator {
    /** The trailer's length on the wire. */
    public static final int TRAILER_LENGTH = 28;
    /** The truncated HMAC's length. */
    public static final int HMAC_LENGTH = 16;
    /** ext_type of HMAC-SHA256 truncated to 128 bits, the one scheme defined. */
    public static final int SCHEME_HMAC_SHA256_128 = 1;
    /** The pseudo-header bound into the HMAC. */
    static final int PSEUDO_HEADER_LENGTH = 20;
    /** Scheme, key id, reserved and the sequence: the part of the trailer before the HMAC. */
    static final int TRAILER_PREFIX_LENGTH = TRAILER_LENGTH - HMAC_LENGTH;
    /** How many multicast senders keep a replay mark (keepalived's VRRP_AUTH_HMAC_MCAST_SENDERS). */
    public static final int MIN_SENDER_SLOTS = 4;

    private static final int BLOCK = 64;
    private static final int DIGEST = 32;
    private static final int MAX_MESSAGE = AdvertisementCodec.HEADER_LENGTH + Advertisement.MAX_ADDRESSES * 16
            + AdvertisementCodec.V2_AUTH_DATA_LENGTH;

    private final HmacSettings settings;
    private final MessageDigest sha256;
    /** Per key id: K xor ipad and K xor opad, or null where no key has that id. */
    private final byte[][] innerPads = new byte[HmacKey.MAX_ID + 1][];
    private final byte[][] outerPads = new byte[HmacKey.MAX_ID + 1][];
    private final byte[] input = new byte[PSEUDO_HEADER_LENGTH + MAX_MESSAGE + TRAILER_LENGTH];
    private final byte[] digest = new byte[DIGEST];
    private final boolean timeBased;
    private final int windowSeconds;
    private long sendSequence;

    // Replay marks, one slot per sender, least recently used evicted (keepalived's table for multicast;
    // unicast gives every peer its own slot, which a table at least as large as the peer list does too).
    private final byte[][] slotSource;
    private final long[] slotSequence;
    private final boolean[] slotValid;
    private final long[] slotUsed;
    private long useClock;

    /**
     * @param senderSlots how many senders keep a replay mark: at least {@link #MIN_SENDER_SLOTS};
     *                    pass the unicast peer count if larger, so that each peer keeps its own
     */
    public HmacAuthenticator(HmacSettings settings, int senderSlots) {
        this.settings = settings;
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing, which every Java platform must provide", e);
        }
        for (HmacKey key : settings.keys()) {
            byte[] material = key.material(); // at most 64 bytes: one block, so never hashed first
            byte[] inner = new byte[BLOCK];
            byte[] outer = new byte[BLOCK];
            for (int i = 0; i < BLOCK; i++) {
                byte k = i < material.length ? material[i] : 0;
                inner[i] = (byte) (k ^ 0x36);
                outer[i] = (byte) (k ^ 0x5c);
            }
            innerPads[key.id()] = inner;
            outerPads[key.id()] = outer;
        }
        this.timeBased = settings.antiReplay() == HmacSettings.AntiReplay.TIME;
        this.windowSeconds = settings.timeWindowSeconds();
        int slots = Math.max(MIN_SENDER_SLOTS, senderSlots);
        this.slotSource = new byte[slots][16];
        this.slotSequence = new long[slots];
        this.slotValid = new boolean[slots];
        this.slotUsed = new long[slots];
    }

    public HmacSettings settings() {
        return settings;
    }

    /** How many senders keep a replay mark. */
    public int senderSlots() {
        return slotSource.length;
    }

    /** Whether advertisements go out with a trailer (every mode but receive-only). */
    public boolean signs() {
        return settings.mode().signs();
    }

    /**
     * Writes the trailer for the message at {@code messageOffset} (absolute, {@code messageLength}
     * bytes) at {@code out}'s position and advances it by {@link #TRAILER_LENGTH}. The message's
     * checksum field may hold anything: it is read as zero.
     *
     * @param source the advertisement's source address (4 or 16 bytes as {@code family} needs)
     * @param utcMillis this node's UTC clock, milliseconds since the epoch
     */
    public void sign(ByteBuffer out, int messageOffset, int messageLength, AddressFamily family, int version,
                     int vrid, byte[] source, long utcMillis) {
        long sequence = nextSequence(utcMillis);
        int at = out.position();
        out.put((byte) SCHEME_HMAC_SHA256_128);
        out.put((byte) settings.activeKeyId());
        out.putShort((short) 0);
        out.putLong(sequence); // seconds, subsec, counter: the 64-bit sequence, big-endian
        compute(settings.activeKeyId(), out, messageOffset, messageLength, at, family, version, vrid, source);
        out.put(digest, 0, HMAC_LENGTH);
    }

    /**
     * Verifies the trailer that follows the message at {@code messageOffset} ({@code messageLength}
     * bytes; the trailer is the next {@link #TRAILER_LENGTH}, which the caller has checked are there).
     * Returns null if it is valid, fresh and new from {@code source}, which then becomes that sender's
     * mark; otherwise the reason to drop the advertisement. Never throws for any content.
     */
    public PacketDropReason verify(ByteBuffer packet, int messageOffset, int messageLength, AddressFamily family,
                                   int version, int vrid, byte[] source, long utcMillis) {
        int at = messageOffset + messageLength;
        if (messageLength < 0 || messageLength > MAX_MESSAGE || at + TRAILER_LENGTH > packet.limit()) {
            return PacketDropReason.HMAC_MISSING;
        }
        int scheme = packet.get(at) & 0xff;
        int keyId = packet.get(at + 1) & 0xff;
        int reserved = packet.getShort(at + 2);
        if (scheme != SCHEME_HMAC_SHA256_128 || reserved != 0) {
            return PacketDropReason.HMAC_MALFORMED;
        }
        long sequence = packet.getLong(at + 4);
        if (timeBased && outsideWindow(secondsBetween(utcMillis, sequence))) {
            return PacketDropReason.HMAC_STALE; // before the digest: a replayed flood costs no HMAC
        }
        if (innerPads[keyId] == null) {
            return PacketDropReason.HMAC_UNKNOWN_KEY;
        }
        compute(keyId, packet, messageOffset, messageLength, at, family, version, vrid, source);
        int difference = 0;
        for (int i = 0; i < HMAC_LENGTH; i++) {
            difference |= digest[i] ^ packet.get(at + TRAILER_PREFIX_LENGTH + i); // constant time
        }
        if (difference != 0) {
            return PacketDropReason.HMAC_INVALID;
        }
        int slot = slotOf(source, family.addressLength());
        if (slotValid[slot] && timeBased && outsideWindow(secondsBetween(utcMillis, slotSequence[slot]))) {
            slotValid[slot] = false; // a mark outside the window orders nothing the window lets in: a clock step
        }
        if (slotValid[slot] && !after(sequence, slotSequence[slot])) {
            return PacketDropReason.HMAC_REPLAYED;
        }
        slotValid[slot] = true;
        slotSequence[slot] = sequence;
        return null;
    }

    /**
     * The sequence number to send: the clock ({@link #clockSequence}) if it is ahead of the last one
     * sent, else the last one plus one, so that it grows even when the clock does not; in time mode a
     * last one stranded more than the window ahead of the clock (a corrected clock step) restarts
     * from the clock, as receivers would reject it anyway.
     */
    long nextSequence(long utcMillis) {
        long clock = clockSequence(utcMillis);
        if (after(clock, sendSequence)) {
            sendSequence = clock;
        } else if (timeBased && (int) ((int) (sendSequence >>> 32) - (int) (clock >>> 32)) > windowSeconds) {
            sendSequence = clock;
        } else {
            sendSequence++;
        }
        return sendSequence;
    }

    /** For tests: the last sequence sent, as if a sender had run before. */
    void lastSentSequence(long sequence) {
        this.sendSequence = sequence;
    }

    /** UTC seconds in the high 32 bits, the fraction in 1/65536 s in the next 16, the counter zero. */
    static long clockSequence(long utcMillis) {
        long seconds = Math.floorDiv(utcMillis, 1000);
        long fraction = (Math.floorMod(utcMillis, 1000) << 16) / 1000;
        return (seconds & 0xffff_ffffL) << 32 | fraction << 16;
    }

    /** RFC 1982 serial number arithmetic over 64 bits: whether {@code a} comes after {@code b}. */
    static boolean after(long a, long b) {
        return a - b > 0;
    }

    /** Our clock's seconds minus the sequence's, in 32-bit serial arithmetic as keepalived compares them. */
    private static int secondsBetween(long utcMillis, long sequence) {
        return (int) Math.floorDiv(utcMillis, 1000) - (int) (sequence >>> 32);
    }

    /** Compared both ways rather than with Math.abs, which leaves Integer.MIN_VALUE negative. */
    private boolean outsideWindow(int seconds) {
        return seconds > windowSeconds || seconds < -windowSeconds;
    }

    private int slotOf(byte[] source, int length) {
        int victim = 0;
        for (int i = 0; i < slotSource.length; i++) {
            if (slotUsed[i] != 0 && Arrays.equals(slotSource[i], 0, length, source, 0, length)) {
                slotUsed[i] = ++useClock;
                return i;
            }
            if (slotUsed[i] < slotUsed[victim]) {
                victim = i;
            }
        }
        System.arraycopy(source, 0, slotSource[victim], 0, length);
        slotValid[victim] = false;
        slotUsed[victim] = ++useClock;
        return victim;
    }

    /**
     * HMAC-SHA256 with key {@code keyId} over the pseudo-header, the message (checksum as zero), the
     * trailer prefix at {@code trailerAt} and 16 zero bytes, into {@link #digest}.
     */
    private void compute(int keyId, ByteBuffer packet, int messageOffset, int messageLength, int trailerAt,
                         AddressFamily family, int version, int vrid, byte[] source) {
        byte[] in = input;
        Arrays.fill(in, 0, PSEUDO_HEADER_LENGTH, (byte) 0);
        in[0] = (byte) (family == AddressFamily.IPV6 ? 6 : 4);
        in[1] = (byte) version;
        in[2] = (byte) vrid;
        System.arraycopy(source, 0, in, 4, family.addressLength());
        int n = PSEUDO_HEADER_LENGTH;
        packet.get(messageOffset, in, n, messageLength);
        if (messageLength >= 8) {
            in[n + 6] = 0;
            in[n + 7] = 0;
        }
        n += messageLength;
        packet.get(trailerAt, in, n, TRAILER_PREFIX_LENGTH);
        n += TRAILER_PREFIX_LENGTH;
        Arrays.fill(in, n, n + HMAC_LENGTH, (byte) 0);
        n += HMAC_LENGTH;
        try {
            sha256.update(innerPads[keyId], 0, BLOCK);
            sha256.update(in, 0, n);
            sha256.digest(digest, 0, DIGEST);
            sha256.update(outerPads[keyId], 0, BLOCK);
            sha256.update(digest, 0, DIGEST);
            sha256.digest(digest, 0, DIGEST);
        } catch (DigestException e) {
            throw new IllegalStateException(e); // unreachable: the output array holds a whole digest
        }
    }
}
