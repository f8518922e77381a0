package dev.vrrp4j.core.config;

import dev.vrrp4j.core.packet.HmacSettings;
import dev.vrrp4j.core.router.RouterConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * keepalived 2.4.3's {@code auth_hmac} block (keepalived.conf(5), the auth_hmac article): its
 * defaults, its ranges, and where vrrp4j refuses what keepalived would run without authentication.
 */
class AuthHmacConfigTest {
    private static final String FILE = "/etc/keepalived/keepalived.conf";
    private static final String KEY = "hex:000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

    /** A VRRPv3 instance; {@code block} is the auth_hmac block's body, starting at line 7. */
    private static String instance(String advertInt, String block) {
        return "vrrp_instance VI_1 {\n"           // line 1
                + "    version 3\n"
                + "    interface eth0\n"
                + "    virtual_router_id 51\n"
                + "    advert_int " + advertInt + "\n" // line 5
                + "    auth_hmac {\n"             // line 6
                + block
                + "    }\n"
                + "    virtual_ipaddress {\n        192.0.2.100/24\n    }\n}\n";
    }

    @Test
    void theArticleBlockIsReadWithItsValues() throws Exception {
        RouterConfig router = router(instance("1", "        key 1 " + KEY + "\n        active_key 1\n"
                + "        anti_replay time\n        time_window 5\n"));

        HmacSettings hmac = router.authHmac();
        assertThat(hmac.keys()).singleElement().satisfies(k -> {
            assertThat(k.id()).isEqualTo(1);
            assertThat(k.bytes()[31]).isEqualTo((byte) 0x1f);
        });
        assertThat(hmac.activeKeyId()).isEqualTo(1);
        assertThat(hmac.antiReplay()).isEqualTo(HmacSettings.AntiReplay.TIME);
        assertThat(hmac.timeWindowSeconds()).isEqualTo(5);
        assertThat(hmac.mode()).isEqualTo(HmacSettings.Mode.ENFORCE);
        assertThat(router.toString()).doesNotContain("0001020304").contains("32 bytes");
    }

    @ParameterizedTest(name = "advert_int {0}: window {1} s")
    @CsvSource({"1, 5", "3, 9", "0.5, 5", "40, 120"})
    void theWindowDefaultsToThreeIntervalsAtLeastFive(String advertInt, int window) throws Exception {
        RouterConfig router = router(instance(advertInt, "        key 1 " + KEY + "\n        active_key 1\n"));

        assertThat(router.authHmac().timeWindowSeconds()).isEqualTo(window);
    }

    @Test
    void twoKeysModeAndMonotonicAntiReplay() throws Exception {
        RouterConfig router = router(instance("1", "        key 1 " + KEY + "\n"
                + "        key 2 a-passphrase-of-thirty-two-bytes!!\n        active_key 2\n"
                + "        anti_replay monotonic\n        mode receive-only\n"));

        assertThat(router.authHmac().keys()).extracting(k -> k.id()).containsExactly(1, 2);
        assertThat(router.authHmac().activeKeyId()).isEqualTo(2);
        assertThat(router.authHmac().antiReplay()).isEqualTo(HmacSettings.AntiReplay.MONOTONIC);
        assertThat(router.authHmac().mode()).isEqualTo(HmacSettings.Mode.RECEIVE_ONLY);
    }

    @Test
    void aPrivateKeyFileIsRead(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("vrrp51");
        Files.writeString(file, KEY + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));

        RouterConfig router = router(instance("1", "        key 1 file:" + file + "\n        active_key 1\n"));

        assertThat(router.authHmac().key(1).bytes()[0]).isZero();
    }

    @Test
    void aKeyFileReadableByOthersIsRefusedAtItsLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("vrrp51");
        Files.writeString(file, KEY);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        ConfigException e = Resources.refuse(instance("1", "        key 1 file:" + file + "\n        active_key 1\n"));

        assertThat(e.errors()).singleElement().satisfies(error -> assertThat(error.toString())
                .startsWith(FILE + ":7: ").contains(file.toString(), "rw-r--r--", "group or others", "chmod 600"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "short key      | key 1 hex:0011                   | :7: auth_hmac key 1 length 2 bytes out of range 32..64",
            "key id 0       | key 0 " + KEY + "                | :7: key id 0 out of range 1..255",
            "key id 256     | key 256 " + KEY + "              | :7: key id 256 out of range 1..255",
            "key alone      | key 1                            | :7: key in auth_hmac in vrrp_instance VI_1 needs an id 1..255 and a value",
            "time_window 0  | time_window 0                    | :7: time_window 0 out of range 1..300",
            "time_window 301| time_window 301                  | :7: time_window 301 out of range 1..300",
            "anti_replay    | anti_replay clock                | :7: anti_replay 'clock' in auth_hmac in vrrp_instance VI_1 is not one of time, monotonic",
            "mode           | mode strict                      | :7: mode 'strict' in auth_hmac in vrrp_instance VI_1 is not one of enforce, permissive, receive-only",
            "active_key 0   | active_key 0                     | :7: active_key 0 out of range 1..255",
            "unknown        | keys 1                           | :7: unknown keyword 'keys' in auth_hmac in vrrp_instance VI_1"})
    void aBadLineIsAnErrorNamingFileLineFieldValueAndRange(String what, String line, String expected) {
        ConfigException e = Resources.refuse(instance("1", "        " + line + "\n"));

        assertThat(e.errors()).first().satisfies(error -> assertThat(error.toString()).startsWith(FILE + expected));
    }

    @Test
    void anActiveKeyThatNoKeyDefinesIsRefusedWhereKeepalivedWouldRunUnauthenticated() {
        ConfigException e = Resources.refuse(instance("1", "        key 1 " + KEY + "\n        active_key 2\n"));

        assertThat(e.errors()).singleElement().hasToString(FILE + ":8: active_key 2 in auth_hmac in vrrp_instance VI_1"
                + " is not a defined key (have [1]); keepalived then runs without auth_hmac, vrrp4j refuses to");
    }

    @Test
    void aMissingActiveKeyIsRefused() {
        ConfigException e = Resources.refuse(instance("1", "        key 1 " + KEY + "\n"));

        assertThat(e.errors()).singleElement().satisfies(error -> assertThat(error.toString())
                .startsWith(FILE + ":6: auth_hmac in vrrp_instance VI_1 has no active_key"));
    }

    @Test
    void aDuplicateKeyIdIsRefused() {
        ConfigException e = Resources.refuse(instance("1", "        key 1 " + KEY + "\n        key 1 " + KEY + "\n"
                + "        active_key 1\n"));

        assertThat(e.errors()).singleElement().hasToString(FILE + ":8: key id 1 is defined twice in auth_hmac in"
                + " vrrp_instance VI_1 (first at " + FILE + ":7)");
    }

    @Test
    void withAVersion2PasswordTheHmacWinsAndThePasswordIsDroppedWithAWarning() throws Exception {
        KeepalivedConfig config = Resources.parse("vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n"
                + "    authentication {\n        auth_type PASS\n        auth_pass secret\n    }\n"
                + "    auth_hmac {\n        key 1 " + KEY + "\n        active_key 1\n    }\n"
                + "    virtual_ipaddress {\n        192.0.2.100/24\n    }\n}\n");

        RouterConfig router = config.instance("VI_1").orElseThrow().toRouterConfig();
        assertThat(router.version()).isEqualTo(2);
        assertThat(router.hasPassword()).isFalse();
        assertThat(router.hasAuthHmac()).isTrue();
        assertThat(config.warnings()).singleElement().satisfies(w -> assertThat(w.toString())
                .startsWith(FILE + ":8: warning: ").contains("keepalived drops the password"));
    }

    private static RouterConfig router(String text) throws Exception {
        KeepalivedConfig config = Resources.parse(text);
        assertThat(config.warnings()).isEmpty();
        return config.instance("VI_1").orElseThrow().toRouterConfig();
    }
}
