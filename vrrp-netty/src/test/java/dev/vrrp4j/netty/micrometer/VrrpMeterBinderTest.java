package dev.vrrp4j.netty.micrometer;

import dev.vrrp4j.core.packet.AddressFamily;
import dev.vrrp4j.core.packet.Advertisement;
import dev.vrrp4j.core.packet.PacketDropReason;
import dev.vrrp4j.core.router.RouterConfig;
import dev.vrrp4j.core.router.RouterCounters;
import dev.vrrp4j.core.router.State;
import dev.vrrp4j.core.router.VirtualAddress;
import dev.vrrp4j.core.router.VirtualRouter;
import dev.vrrp4j.netty.driver.RouterView;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The binder against real {@link VirtualRouter}s driven by hand on a simulated clock (a started
 * VrrpNode needs root and a network namespace); the views stand in for the driver's.
 */
class VrrpMeterBinderTest {
    private static final InetAddress SELF = VirtualAddress.parseLiteral("192.0.2.1");
    private static final InetAddress PEER = VirtualAddress.parseLiteral("192.0.2.2");

    /** What the driver exposes, over a router this test drives. */
    private record View(VirtualRouter router, String interfaceName) implements RouterView {
        @Override
        public RouterConfig config() {
            return router.config();
        }

        @Override
        public State state() {
            return router.state();
        }

        @Override
        public RouterCounters counters() {
            return router.counters();
        }
    }

    @Test
    void countersAndStateFollowTheRouter() {
        VirtualRouter vi1 = new VirtualRouter(RouterConfig.builder("VI_1", AddressFamily.IPV4, 51)
                .virtualAddresses("192.0.2.100/24").build(), SELF);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new VrrpMeterBinder(() -> List.of(new View(vi1, "eth0")), hook -> { }, Tags.of("app", "nginx")).bindTo(registry);

        assertThat(state(registry, "VI_1")).isEqualTo(0);

        vi1.handleStart(0); // INIT -> BACKUP
        vi1.handleAdvertisement(1_000_000, advert(51, 200)); // a better Active is out there
        assertThat(state(registry, "VI_1")).isEqualTo(1);
        assertThat(registry.get("vrrp.active").tag("router", "VI_1").gauge().value()).isZero();

        vi1.handleTimeout(vi1.nextDeadlineNanos()); // the Active went silent: BACKUP -> ACTIVE, first advert
        vi1.handleTimeout(vi1.nextDeadlineNanos()); // Adver_Timer: second advert
        vi1.counters().drop(PacketDropReason.BAD_CHECKSUM);
        vi1.counters().drop(PacketDropReason.BAD_CHECKSUM);
        vi1.counters().addressRestored();

        assertThat(state(registry, "VI_1")).isEqualTo(2);
        assertThat(registry.get("vrrp.active").tag("router", "VI_1").gauge().value()).isEqualTo(1);
        assertThat(counter(registry, "vrrp.adverts.sent", "VI_1")).isEqualTo(2);
        assertThat(counter(registry, "vrrp.adverts.received", "VI_1")).isEqualTo(1);
        assertThat(counter(registry, "vrrp.transitions", "VI_1")).isEqualTo(2);
        assertThat(counter(registry, "vrrp.addresses.restored", "VI_1")).isEqualTo(1);
        assertThat(registry.get("vrrp.drops").tag("router", "VI_1").tag("reason", "BAD_CHECKSUM")
                .functionCounter().count()).isEqualTo(2);
        assertThat(registry.get("vrrp.drops").tag("router", "VI_1").tag("reason", "BAD_TTL")
                .functionCounter().count()).isZero();

        // Another MAC claims the VIP in ARP while we are Active: one address-conflict episode.
        vi1.handleAddressConflict(1_500_000_000L, VirtualAddress.parseLiteral("192.0.2.100").getAddress(), 0x020000000009L);
        assertThat(registry.get("vrrp.split.brain.episodes").tag("router", "VI_1").tag("kind", "ADDRESS_CONFLICT")
                .functionCounter().count()).isEqualTo(1);
        assertThat(registry.get("vrrp.split.brain.episodes").tag("router", "VI_1").tag("kind", "ADVERTISEMENT")
                .functionCounter().count()).isZero();

        vi1.handleFault(2_000_000_000L);
        assertThat(state(registry, "VI_1")).isEqualTo(3);
        assertThat(registry.get("vrrp.active").tag("router", "VI_1").gauge().value()).isZero();
    }

    @Test
    void everyRouterGetsItsOwnTaggedMetersAndOneDropCounterPerReason() {
        VirtualRouter v4 = new VirtualRouter(RouterConfig.builder("VI_1", AddressFamily.IPV4, 51)
                .virtualAddresses("192.0.2.100/24").build(), SELF);
        VirtualRouter v6 = new VirtualRouter(RouterConfig.builder("VI_6", AddressFamily.IPV6, 52)
                .virtualAddresses("fe80::52", "2001:db8::52/64").build(), VirtualAddress.parseLiteral("fe80::1"));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new VrrpMeterBinder(() -> List.of(new View(v4, "eth0"), new View(v6, "eth1")), hook -> { }, Tags.empty()).bindTo(registry);

        var v6State = registry.get("vrrp.state").tag("router", "VI_6").gauge();
        assertThat(v6State.getId().getTags()).containsExactlyInAnyOrder(
                Tag.of("router", "VI_6"), Tag.of("vrid", "52"), Tag.of("family", "IPV6"), Tag.of("interface", "eth1"));
        assertThat(registry.get("vrrp.drops").tag("router", "VI_1").functionCounters())
                .hasSize(PacketDropReason.values().length);
        assertThat(registry.get("vrrp.adverts.sent").functionCounters()).hasSize(2);
        assertThat(registry.getMeters()).hasSize(2 * (7 + PacketDropReason.values().length
                + dev.vrrp4j.core.router.SplitBrainKind.values().length));
    }

    @Test
    void aReloadRemovesTheMetersOfARemovedRouterAndAddsAnAddedOnesWhileTheRestStay() {
        View vi1 = new View(new VirtualRouter(RouterConfig.builder("VI_1", AddressFamily.IPV4, 51)
                .virtualAddresses("192.0.2.100/24").build(), SELF), "eth0");
        View vi2 = new View(new VirtualRouter(RouterConfig.builder("VI_2", AddressFamily.IPV4, 52)
                .virtualAddresses("192.0.2.200/24").build(), SELF), "eth0");
        View vi3 = new View(new VirtualRouter(RouterConfig.builder("VI_3", AddressFamily.IPV4, 53)
                .virtualAddresses("192.0.2.30/24").build(), SELF), "eth0");
        java.util.concurrent.atomic.AtomicReference<List<View>> routers = new java.util.concurrent.atomic.AtomicReference<>(
                List.of(vi1, vi2));
        List<Runnable> hooks = new java.util.ArrayList<>();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new VrrpMeterBinder(routers::get, hooks::add, Tags.empty()).bindTo(registry);
        var vi1Sent = registry.get("vrrp.adverts.sent").tag("router", "VI_1").functionCounter();
        assertThat(hooks).hasSize(1);

        routers.set(List.of(vi1, vi3)); // the reload removed VI_2 and added VI_3
        hooks.getFirst().run();

        assertThat(registry.find("vrrp.state").tag("router", "VI_2").meters()).as("VI_2's meters").isEmpty();
        assertThat(registry.find("vrrp.drops").tag("router", "VI_2").meters()).isEmpty();
        assertThat(registry.get("vrrp.state").tag("router", "VI_3").gauge().value()).isZero();
        assertThat(registry.get("vrrp.adverts.sent").tag("router", "VI_1").functionCounter())
                .as("VI_1 keeps its meter").isSameAs(vi1Sent);
        assertThat(registry.getMeters()).hasSize(2 * (7 + PacketDropReason.values().length
                + dev.vrrp4j.core.router.SplitBrainKind.values().length));
    }

    @Test
    void bindingBeforeTheNodeHasRoutersRegistersNothing() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new VrrpMeterBinder(List::of, hook -> { }, Tags.empty()).bindTo(registry);
        assertThat(registry.getMeters()).isEmpty();
    }

    @Test
    void theStateCodesAreTheDocumentedOnes() {
        assertThat(VrrpMeterBinder.stateCode(State.INITIALIZE)).isZero();
        assertThat(VrrpMeterBinder.stateCode(State.BACKUP)).isEqualTo(1);
        assertThat(VrrpMeterBinder.stateCode(State.ACTIVE)).isEqualTo(2);
        assertThat(VrrpMeterBinder.stateCode(State.FAULT)).isEqualTo(3);
    }

    private static double state(SimpleMeterRegistry registry, String router) {
        return registry.get("vrrp.state").tag("router", router).gauge().value();
    }

    private static double counter(SimpleMeterRegistry registry, String name, String router) {
        return registry.get(name).tag("router", router).functionCounter().count();
    }

    private static Advertisement advert(int vrid, int priority) {
        return new Advertisement().set(AddressFamily.IPV4, vrid, priority, 100)
                .addresses(List.of(VirtualAddress.parseLiteral("192.0.2.100")))
                .route(PEER.getAddress(), AddressFamily.IPV4.multicastGroup());
    }
}
