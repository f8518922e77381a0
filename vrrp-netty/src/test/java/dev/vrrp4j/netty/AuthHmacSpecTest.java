package dev.vrrp4j.netty;

import dev.vrrp4j.core.packet.AddressFamily;
import dev.vrrp4j.core.packet.HmacKey;
import dev.vrrp4j.core.packet.HmacSettings;
import dev.vrrp4j.core.router.RouterConfig;
import dev.vrrp4j.netty.transport.VrrpSendSocket;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Java API's auth_hmac option (keepalived 2.4's auth_hmac, draft-cassen-vrrp-auth-hmac). */
class AuthHmacSpecTest {
    private static final HmacSettings HMAC = HmacSettings.of(List.of(HmacKey.parse(1,
            "hex:000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")), 1, 100);
    private static final RouterConfig CONFIG = RouterConfig.builder("VI_1", AddressFamily.IPV4, 51)
            .virtualAddresses("192.0.2.100/24").build();

    @Test
    void theBuilderOptionEndsUpInTheRouterConfigAndSurvivesToBuilder() {
        VirtualRouterSpec spec = VirtualRouterSpec.builder(CONFIG, "eth0").authHmac(HMAC).build();

        assertThat(spec.authHmac()).isEqualTo(HMAC);
        assertThat(spec.config().authHmac()).isEqualTo(HMAC);
        assertThat(spec.authHmac().timeWindowSeconds()).as("max(3 x 1 s, 5)").isEqualTo(5);
        assertThat(spec.toBuilder().build()).isEqualTo(spec);
        assertThat(spec.toBuilder().authHmac(null).build().config().hasAuthHmac()).isFalse();
        assertThat(VirtualRouterSpec.multicast(CONFIG, "eth0")).isNotEqualTo(spec);
    }

    @Test
    void aVersion2PasswordAndAuthHmacAreRefusedTogether() {
        RouterConfig v2 = RouterConfig.builder("VI_1", AddressFamily.IPV4, 51).version(2).authPassword("secret")
                .virtualAddresses("192.0.2.100/24").build();

        assertThatThrownBy(() -> VirtualRouterSpec.builder(v2, "eth0").authHmac(HMAC))
                .hasMessageContaining("authHmac").hasMessageContaining("VRRPv2 authPassword");
    }

    @Test
    void theSendBufferHoldsTheLargestAdvertisementWithItsTrailer() {
        assertThat(VrrpSendSocket.MAX_MESSAGE_BYTES).isEqualTo(8 + 255 * 16 + 28);
    }
}
