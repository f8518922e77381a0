package dev.vrrp4j.core.packet;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * Reads an auth_hmac key from a file, keepalived's {@code key ID file:PATH}: the file holds what the
 * inline value would ({@code hex:…} or a passphrase), a trailing line end is dropped. The one piece
 * of I/O in the HMAC support, kept apart so that everything else stays pure.
 *
 * <p>A key file that grants any access to group or others is refused. keepalived 2.4.3 checks the
 * same bits (any of {@code S_IRWXG | S_IRWXO}) but only reports a configuration error and goes on;
 * a secret readable by others is not one, so vrrp4j does not start with it.
 */
public final class HmacKeyFile {
    /** keepalived's read buffer: "hex:", 128 digits and a little slack; a longer file is not a key. */
    static final int MAX_FILE_LENGTH = 4 + HmacKey.MAX_LENGTH * 2 + 7;

    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private HmacKeyFile() {}

    /**
     * The key with {@code id} read from {@code path}.
     *
     * @throws IllegalArgumentException the file grants group or others access, is too large, or does
     *                                  not hold a 32..64 byte key (the message names the path, never the key)
     * @throws IOException              it cannot be read
     */
    public static HmacKey read(int id, Path path) throws IOException {
        HmacKey.checkId(id);
        Set<PosixFilePermission> permissions;
        try {
            permissions = Files.getPosixFilePermissions(path);
        } catch (UnsupportedOperationException e) {
            throw new IllegalArgumentException("auth_hmac key " + id + " file " + path
                    + ": the file system has no POSIX permissions to check that it is private", e);
        }
        if (!Collections.disjoint(permissions, GROUP_OR_OTHERS)) {
            throw new IllegalArgumentException("auth_hmac key " + id + " file " + path + " has mode "
                    + PosixFilePermissions.toString(permissions)
                    + ", which grants group or others access; a key file must be private (chmod 600)");
        }
        byte[] content;
        try (InputStream in = Files.newInputStream(path)) {
            content = in.readNBytes(MAX_FILE_LENGTH + 1);
        }
        try {
            if (content.length > MAX_FILE_LENGTH) {
                throw new IllegalArgumentException("auth_hmac key " + id + " file " + path + " is longer than "
                        + MAX_FILE_LENGTH + " bytes, expected hex:DIGITS or a 32..64 byte passphrase");
            }
            int length = content.length;
            while (length > 0 && (content[length - 1] == '\n' || content[length - 1] == '\r')) {
                length--;
            }
            String value = new String(content, 0, length, StandardCharsets.UTF_8);
            try {
                return HmacKey.parse(id, value);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(e.getMessage() + " (from file " + path + ")", e);
            }
        } finally {
            Arrays.fill(content, (byte) 0);
        }
    }
}
