package dev.vrrp4j.core.packet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Key validation as keepalived 2.4.3's {@code key ID hex:…|passphrase|file:…} and issue 16 require. */
class HmacKeyTest {
    /** The key of keepalived's test/auth_hmac_test.c and the article: bytes 00..1f. */
    private static final String ARTICLE_KEY = "hex:000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

    @Test
    void aHexValueIsTheRawBytes() {
        HmacKey key = HmacKey.parse(1, ARTICLE_KEY);

        assertThat(key.id()).isEqualTo(1);
        assertThat(key.length()).isEqualTo(32);
        for (int i = 0; i < 32; i++) {
            assertThat(key.bytes()[i]).isEqualTo((byte) i);
        }
        assertThat(key.toString()).doesNotContain("0001").contains("32 bytes");
    }

    @Test
    void aPassphraseIsItsOwnBytesWithoutDerivation() {
        String passphrase = "correct horse battery staple 2026!"; // 34 bytes
        assertThat(HmacKey.parse(2, passphrase).bytes()).isEqualTo(passphrase.getBytes());
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 12, 31, 65, 100})
    void aKeyOutsideThirtyTwoToSixtyFourBytesNamesItsLengthAndTheRange(int length) {
        assertThatThrownBy(() -> HmacKey.fromPassphrase(7, "x".repeat(length)))
                .hasMessage("auth_hmac key 7 length " + length + " bytes out of range 32..64");
        assertThatThrownBy(() -> HmacKey.fromHex(7, "ab".repeat(length)))
                .hasMessage("auth_hmac key 7 length " + length + " bytes out of range 32..64");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 256, -1})
    void anIdOutsideOneTo255IsRefused(int id) {
        assertThatThrownBy(() -> HmacKey.parse(id, ARTICLE_KEY)).hasMessage("auth_hmac key id " + id + " out of range 1..255");
    }

    @Test
    void aNonHexDigitOrAnOddCountIsRefusedWithoutEchoingTheKey() {
        assertThatThrownBy(() -> HmacKey.parse(1, "hex:00zz" + "00".repeat(31)))
                .hasMessageContaining("non-hex digit").hasMessageContaining("character 6");
        assertThatThrownBy(() -> HmacKey.parse(1, "hex:" + "00".repeat(32) + "0")).hasMessageContaining("odd");
    }

    @Test
    void aPrivateKeyFileIsReadAndItsLineEndDropped(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("vrrp51");
        Files.writeString(file, ARTICLE_KEY + "\r\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));

        assertThat(HmacKeyFile.read(1, file)).isEqualTo(HmacKey.parse(1, ARTICLE_KEY));
    }

    @ParameterizedTest
    @ValueSource(strings = {"rw-r-----", "rw----r--", "rw--w----", "rwx-----x"})
    void aKeyFileThatGrantsGroupOrOthersAccessIsRefused(String mode, @TempDir Path dir) throws Exception {
        Path file = dir.resolve("vrrp51");
        Files.writeString(file, ARTICLE_KEY);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));

        assertThatThrownBy(() -> HmacKeyFile.read(1, file))
                .hasMessageContaining("has mode " + mode).hasMessageContaining("chmod 600")
                .hasMessageNotContaining("0001020304");
    }

    @Test
    void aKeyFileTooLargeToBeAKeyIsRefused(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("big");
        Files.writeString(file, "hex:" + "00".repeat(100));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));

        assertThatThrownBy(() -> HmacKeyFile.read(1, file)).hasMessageContaining("is longer than 139 bytes");
    }
}
