package dev.vrrp4j.core.packet;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * One auth_hmac signing key: an id (1..255, carried in every trailer so that a receiver picks the
 * key to verify with) and 32 to 64 bytes of key material (draft-cassen-vrrp-auth-hmac; keepalived
 * 2.4's {@code key ID VALUE}). 32 bytes keep a 128-bit margin against a quantum key search; 64 is
 * SHA-256's block, beyond which HMAC would hash the key first.
 *
 * <p>The three ways keepalived accepts a value: {@code hex:0011…} (raw bytes), any other string (a
 * passphrase whose bytes <em>are</em> the key: keepalived derives nothing from it, so a passphrase
 * must itself be 32 to 64 bytes long), and {@code file:PATH}, which {@link HmacKeyFile} reads.
 *
 * <p>Immutable. The key bytes never appear in {@link #toString()} or in an error message.
 */
public final class HmacKey {
    /** The shortest key keepalived accepts (VRRP_AUTH_HMAC_KEY_MIN). */
    public static final int MIN_LENGTH = 32;
    /** The longest key keepalived accepts (VRRP_AUTH_HMAC_KEY_MAX): one SHA-256 block. */
    public static final int MAX_LENGTH = 64;
    /** The largest key id; 0 is not a valid id. */
    public static final int MAX_ID = 255;

    private static final String HEX_PREFIX = "hex:";

    private final int id;
    private final byte[] bytes;

    private HmacKey(int id, byte[] bytes) {
        this.id = checkId(id);
        if (bytes.length < MIN_LENGTH || bytes.length > MAX_LENGTH) {
            throw new IllegalArgumentException("auth_hmac key " + id + " length " + bytes.length
                    + " bytes out of range " + MIN_LENGTH + ".." + MAX_LENGTH);
        }
        this.bytes = bytes;
    }

    /** A key of raw bytes (copied). */
    public static HmacKey of(int id, byte[] bytes) {
        return new HmacKey(id, bytes.clone());
    }

    /**
     * A key as keepalived's {@code key ID VALUE} spells it inline: {@code hex:} followed by hex
     * digits, otherwise a passphrase. ({@code file:} is {@link HmacKeyFile#read}'s business, since
     * it is I/O.)
     */
    public static HmacKey parse(int id, String value) {
        if (value.startsWith(HEX_PREFIX)) {
            return fromHex(id, value.substring(HEX_PREFIX.length()));
        }
        return fromPassphrase(id, value);
    }

    /**
     * A key from hex digits (either case), two per byte; spaces and tabs between bytes are skipped,
     * as keepalived's hex reader does.
     */
    public static HmacKey fromHex(int id, String digits) {
        checkId(id);
        byte[] out = new byte[digits.length() / 2];
        int length = 0;
        int i = 0;
        while (i < digits.length()) {
            char c = digits.charAt(i);
            if (c == ' ' || c == '\t') {
                i++;
                continue;
            }
            int high = Character.digit(c, 16);
            int low = i + 1 < digits.length() ? Character.digit(digits.charAt(i + 1), 16) : -1;
            if (high < 0 || low < 0 || length == out.length) {
                throw new IllegalArgumentException("auth_hmac key " + id + " hex value has a non-hex digit or an odd"
                        + " digit count at character " + (i + HEX_PREFIX.length()) + ", expected pairs of 0-9a-f");
            }
            out[length++] = (byte) (high << 4 | low);
            i += 2;
        }
        byte[] key = Arrays.copyOf(out, length);
        Arrays.fill(out, (byte) 0);
        return new HmacKey(id, key);
    }

    /**
     * A passphrase used as the key itself, byte for byte (UTF-8, which is ASCII for ASCII): keepalived
     * 2.4.3 copies the string into the key without a derivation, so {@code MyPassphrase} is a
     * 12-byte key and is refused.
     */
    public static HmacKey fromPassphrase(int id, String passphrase) {
        return new HmacKey(id, passphrase.getBytes(StandardCharsets.UTF_8));
    }

    static int checkId(int id) {
        if (id < 1 || id > MAX_ID) {
            throw new IllegalArgumentException("auth_hmac key id " + id + " out of range 1.." + MAX_ID);
        }
        return id;
    }

    /** The id the trailer carries (1..255). */
    public int id() {
        return id;
    }

    /** The key's length in bytes (32..64). */
    public int length() {
        return bytes.length;
    }

    /** A copy of the key material. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The key material itself, for the authenticator in this package: never to be changed. */
    byte[] material() {
        return bytes;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof HmacKey key && key.id == id && MessageDigest.isEqual(key.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return 31 * id + bytes.length; // never a hash of the secret
    }

    @Override
    public String toString() {
        return "HmacKey[id=" + id + ", " + bytes.length + " bytes]";
    }
}
