package dev.vrrp4j.netty;

import dev.vrrp4j.core.packet.AddressFamily;
import dev.vrrp4j.core.router.AddressOptions;
import dev.vrrp4j.core.router.IpRoute;
import dev.vrrp4j.core.router.IpRule;
import dev.vrrp4j.core.router.RouterConfig;
import dev.vrrp4j.core.router.VirtualAddress;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VirtualRouterSpecTest {
    private static final RouterConfig VI_1 = RouterConfig.builder("VI_1", AddressFamily.IPV4, 51)
            .virtualAddresses("192.0.2.100/24").build();

    @Test
    void theBuilderSetsEveryFieldAndTheShortcutsGiveKeepalivedsDefaults() {
        InetAddress source = InetAddress.ofLiteral("192.0.2.10");
        InetAddress peer = InetAddress.ofLiteral("192.0.2.11");
        TrackedCheck check = TrackedCheck.of("chk", HealthCheck.of(() -> true));
        AnnounceSettings announce = new AnnounceSettings(1, Duration.ZERO, Duration.ZERO);
        VirtualRouterSpec spec = VirtualRouterSpec.builder(VI_1, "eth0").sourceAddress(source).unicastPeer(peer)
                .announce(announce).check(check).trackInterface("uplink0").build();

        assertThat(spec.sourceAddress()).isEqualTo(source);
        assertThat(spec.unicastPeers()).containsExactly(peer);
        assertThat(spec.isUnicast()).isTrue();
        assertThat(spec.announce()).isEqualTo(announce);
        assertThat(spec.checks()).containsExactly(check);
        assertThat(spec.trackedInterfaces()).containsExactly("uplink0");
        assertThat(spec.toBuilder().build()).isEqualTo(spec);

        VirtualRouterSpec multicast = VirtualRouterSpec.multicast(VI_1, "eth0");
        assertThat(multicast.isUnicast()).isFalse();
        assertThat(multicast.sourceAddress()).isNull();
        assertThat(multicast.announce()).isEqualTo(AnnounceSettings.KEEPALIVED_DEFAULTS);
        assertThat(VirtualRouterSpec.unicast(VI_1, "eth0", List.of(peer)).unicastPeers()).containsExactly(peer);
    }

    @Test
    void excludedAddressesOfEitherFamilySurviveToBuilderAndCountInEquality() {
        VirtualRouterSpec spec = VirtualRouterSpec.builder(VI_1, "eth0")
                .excludedAddress(VirtualAddress.parse("198.51.100.7/24"))
                .excludedAddress(VirtualAddress.parse("2001:db8::7/64")).build();

        assertThat(spec.excludedAddresses()).containsExactly(VirtualAddress.parse("198.51.100.7/24"),
                VirtualAddress.parse("2001:db8::7/64"));
        assertThat(spec.toBuilder().build()).isEqualTo(spec).hasSameHashCodeAs(spec);
        assertThat(VirtualRouterSpec.multicast(VI_1, "eth0")).isNotEqualTo(spec);
    }

    @Test
    void routesAndRulesSurviveToBuilderCountInEqualityAndAreEachGivenOnce() {
        IpRoute route = new IpRoute(IpRoute.Type.UNICAST, InetAddress.ofLiteral("198.51.100.0"), 24, null,
                InetAddress.ofLiteral("192.0.2.1"), "eth1", 100, -1, 0, IpRoute.PROTOCOL_KEEPALIVED);
        IpRoute v6 = IpRoute.to(InetAddress.ofLiteral("2001:db8:1::"), 64);
        IpRule rule = new IpRule(AddressFamily.IPV4, InetAddress.ofLiteral("192.0.2.0"), 24, null, 0,
                IpRule.Action.TABLE, 100, 100, null, null, -1, -1);
        VirtualRouterSpec spec = VirtualRouterSpec.builder(VI_1, "eth0").route(route).route(v6).rule(rule).build();

        assertThat(spec.routes()).containsExactly(route, v6);
        assertThat(spec.rules()).containsExactly(rule);
        assertThat(spec.toBuilder().build()).isEqualTo(spec).hasSameHashCodeAs(spec);
        assertThat(VirtualRouterSpec.multicast(VI_1, "eth0")).isNotEqualTo(spec);
        assertThat(NodeConfigs.of(List.of(spec), List.of()).routers().getFirst().routes()).containsExactly(route, v6);
        assertThatThrownBy(() -> spec.toBuilder().route(route))
                .hasMessage("routes: 198.51.100.0/24 via 192.0.2.1 dev eth1 table 100 is listed twice for VI_1");
        assertThatThrownBy(() -> spec.toBuilder().rule(rule))
                .hasMessage("rules: from 192.0.2.0/24 lookup 100 priority 100 is listed twice for VI_1");
    }

    @Test
    void weightedInterfacesAreKeptApartFromFaultTrackingAndWeightZeroIsFault() {
        VirtualRouterSpec spec = VirtualRouterSpec.builder(VI_1, "eth0").trackInterface("wan0", -20)
                .trackInterface("up0", 30).trackInterface("lan1", 0).build();

        assertThat(spec.interfaceWeights()).containsExactly(java.util.Map.entry("wan0", -20),
                java.util.Map.entry("up0", 30));
        assertThat(spec.trackedInterfaces()).containsExactly("lan1");
        assertThat(spec.toBuilder().build()).isEqualTo(spec).hasSameHashCodeAs(spec);
        assertThatThrownBy(() -> VirtualRouterSpec.builder(VI_1, "eth0").trackInterface("wan0", 254))
                .hasMessage("interfaceWeights: weight 254 of wan0 out of range -253..253");
        assertThatThrownBy(() -> VirtualRouterSpec.builder(VI_1, "eth0").trackInterface("wan0")
                .trackInterface("wan0", -10))
                .hasMessage("interfaceWeights: wan0 is tracked twice by VI_1; each interface at most once");
    }

    @Test
    void aMulticastGroupOfTheRoutersFamilySurvivesToBuilderAndOthersAreRefused() {
        VirtualRouterSpec spec = VirtualRouterSpec.builder(VI_1, "eth0")
                .multicastGroup(InetAddress.ofLiteral("224.0.0.19")).build();

        assertThat(spec.multicastGroup()).isEqualTo(InetAddress.ofLiteral("224.0.0.19"));
        assertThat(spec.toBuilder().build()).isEqualTo(spec);
        assertThat(VirtualRouterSpec.multicast(VI_1, "eth0").multicastGroup()).isNull();
        assertThatThrownBy(() -> VirtualRouterSpec.builder(VI_1, "eth0").multicastGroup(InetAddress.ofLiteral("192.0.2.19")))
                .hasMessage("multicastGroup: 192.0.2.19 is not a multicast address (224.0.0.0/4)");
        assertThatThrownBy(() -> VirtualRouterSpec.builder(VI_1, "eth0").multicastGroup(InetAddress.ofLiteral("ff02::19")))
                .hasMessage("multicastGroup: ff02:0:0:0:0:0:0:19 is IPV6, the router VI_1 is IPV4");
    }

    @Test
    void refusalsNameTheFieldTheValueAndWhatIsAllowed() {
        assertThatThrownBy(() -> VirtualRouterSpec.builder(VI_1, "a-name-far-too-long"))
                .hasMessage("interfaceName 'a-name-far-too-long' is not a Linux interface name (1..15 characters, "
                        + "no '/' or spaces)");
        assertThatThrownBy(() -> VirtualRouterSpec.builder(VI_1, "eth0").sourceAddress(InetAddress.ofLiteral("2001:db8::1")))
                .hasMessage("sourceAddress: 2001:db8:0:0:0:0:0:1 is IPV6, the router VI_1 is IPV4");
        assertThatThrownBy(() -> VirtualRouterSpec.builder(VI_1, "eth0").unicastPeer(InetAddress.ofLiteral("192.0.2.11"))
                .unicastPeer(InetAddress.ofLiteral("192.0.2.11")))
                .hasMessage("unicastPeers: 192.0.2.11 is listed twice for VI_1");
        TrackedCheck check = TrackedCheck.of("chk", HealthCheck.of(() -> true));
        assertThatThrownBy(() -> VirtualRouterSpec.multicast(VI_1, "eth0").withCheck(check).withCheck(check))
                .hasMessage("checks: chk is tracked twice by VI_1; each check at most once");
        assertThatThrownBy(() -> VirtualRouterSpec.builder(VI_1, "eth0").trackInterface("has space"))
                .hasMessageStartingWith("trackedInterfaces 'has space' is not a Linux interface name");
        assertThatThrownBy(() -> VirtualRouterSpec.builder(VI_1, "eth0")
                .excludedAddress(VI_1.virtualAddresses().getFirst()))
                .hasMessage("excludedAddresses: " + VI_1.virtualAddresses().getFirst().address().getHostAddress()
                        + " is listed twice or is also a virtual address of VI_1");
    }

    @Test
    void addressOptionsGiveAVirtualOrExcludedAddressItsInterfaceLabelBroadcastScopeAndNoTrack() {
        InetAddress vip = InetAddress.ofLiteral("192.0.2.100");
        InetAddress excluded = InetAddress.ofLiteral("2001:db8::7");
        AddressOptions onLo = AddressOptions.onDevice("lo").withLabel("lo:vip").withScope(AddressOptions.SCOPE_HOST)
                .withBroadcast((java.net.Inet4Address) InetAddress.ofLiteral("192.0.2.255"));
        VirtualRouterSpec spec = VirtualRouterSpec.builder(VI_1, "eth0")
                .excludedAddress(VirtualAddress.parse("2001:db8::7/64"))
                .addressOptions(vip, onLo)
                .addressOptions(excluded, AddressOptions.onDevice("dummy0").withNoTrack(true))
                .build();

        assertThat(spec.config().virtualAddresses()).containsExactly(VirtualAddress.parse("192.0.2.100/24")
                .withOptions(onLo));
        assertThat(spec.config().virtualAddresses().getFirst())
                .hasToString("192.0.2.100/24 dev lo label lo:vip brd 192.0.2.255 scope host");
        assertThat(spec.excludedAddresses()).singleElement()
                .satisfies(e -> assertThat(e.options().noTrack()).isTrue());
        assertThat(spec).as("options are part of the router's settings").isNotEqualTo(
                VirtualRouterSpec.builder(VI_1, "eth0").excludedAddress(VirtualAddress.parse("2001:db8::7/64")).build());

        assertThatThrownBy(() -> VirtualRouterSpec.builder(VI_1, "eth0")
                .addressOptions(InetAddress.ofLiteral("192.0.2.101"), onLo))
                .hasMessage("addressOptions: 192.0.2.101 is neither a virtual nor an excluded address of VI_1");
        assertThatThrownBy(() -> VirtualRouterSpec.builder(VI_1, "eth0")
                .excludedAddress(VirtualAddress.parse("2001:db8::7/64"))
                .addressOptions(excluded, AddressOptions.DEFAULT.withLabel("eth0:6")))
                .hasMessageContaining("labels are IPv4 only");
    }
}
