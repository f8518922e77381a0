package dev.vrrp4j.core.router;

import dev.vrrp4j.core.packet.AddressFamily;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Configuration errors name the field, the value and the allowed range. */
class RouterConfigTest {
    private static RouterConfig.Builder valid() {
        return RouterConfig.builder("VI_1", AddressFamily.IPV4, 51).virtualAddresses("192.0.2.100/24");
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of((Supplier<RouterConfig>) () -> RouterConfig.builder("VI_1", AddressFamily.IPV4, 0)
                        .virtualAddresses("192.0.2.100").build(), "vrid 0 out of range 1..255"),
                Arguments.of((Supplier<RouterConfig>) () -> RouterConfig.builder("VI_1", AddressFamily.IPV4, 256)
                        .virtualAddresses("192.0.2.100").build(), "vrid 256 out of range 1..255"),
                Arguments.of((Supplier<RouterConfig>) () -> valid().priority(0).build(), "priority 0 out of range 1..255"),
                Arguments.of((Supplier<RouterConfig>) () -> valid().priority(300).build(), "priority 300 out of range 1..255"),
                Arguments.of((Supplier<RouterConfig>) () -> valid().advertIntervalCentis(0).build(),
                        "advertIntervalCentis 0 out of range 1..4095"),
                Arguments.of((Supplier<RouterConfig>) () -> valid().advertIntervalCentis(4096).build(),
                        "advertIntervalCentis 4096 out of range 1..4095"),
                Arguments.of((Supplier<RouterConfig>) () -> valid().preemptDelayMillis(-1).build(),
                        "preemptDelayMillis -1 out of range 0..1000000"),
                Arguments.of((Supplier<RouterConfig>) () -> valid().virtualAddresses().build(),
                        "virtualAddresses of VI_1 is empty: VRRPv3 needs at least one address (RFC 9568 §5.2.5,"
                                + " Count IPvX Addr 1..255)"),
                Arguments.of((Supplier<RouterConfig>) () -> valid().virtualAddresses("2001:db8::1").build(),
                        "virtualAddresses: 2001:db8:0:0:0:0:0:1/128 is not IPV4 like the router VI_1"),
                Arguments.of((Supplier<RouterConfig>) () -> valid().virtualAddresses("192.0.2.1", "192.0.2.1/24").build(),
                        "contain a duplicate"),
                Arguments.of((Supplier<RouterConfig>) () -> valid().virtualAddresses("192.0.2.1/33").build(),
                        "prefixLength 33 out of range 0..32 for 192.0.2.1"),
                Arguments.of((Supplier<RouterConfig>) () -> valid().virtualAddresses("vip.example").build(),
                        "'vip.example' is not a literal IPv4 or IPv6 address"));
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void invalidValuesAreRejectedWithFieldValueAndRange(Supplier<RouterConfig> build, String message) {
        assertThatThrownBy(build::get).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }

    @Test
    void defaultsAreKeepalivedsAndAddressesParse() {
        RouterConfig config = valid().build();
        assertThat(config.priority()).isEqualTo(100);
        assertThat(config.advertIntervalCentis()).isEqualTo(100);
        assertThat(config.preempt()).isTrue();
        assertThat(config.virtualAddresses()).containsExactly(VirtualAddress.parse("192.0.2.100/24"));
        assertThat(VirtualAddress.parse("2001:db8::100").prefixLength()).isEqualTo(128);
        assertThat(VirtualAddress.parse("192.0.2.7").prefixLength()).isEqualTo(32);
        assertThat(config.isOwner()).isFalse();
        assertThat(valid().priority(255).build().isOwner()).isTrue();
    }
}
