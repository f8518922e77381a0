package dev.vrrp4j.core.node;

import dev.vrrp4j.core.node.NodeLan.Host;
import dev.vrrp4j.core.packet.AddressFamily;
import dev.vrrp4j.core.router.IpRoute;
import dev.vrrp4j.core.router.IpRule;
import dev.vrrp4j.core.router.State;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;

import static dev.vrrp4j.core.node.NodeLan.MS;
import static dev.vrrp4j.core.node.NodeLan.SECOND;
import static dev.vrrp4j.core.node.NodeLan.ipv4;
import static dev.vrrp4j.core.node.NodeLan.spec;
import static dev.vrrp4j.core.node.NodeLan.withRoutes;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * keepalived's {@code virtual_routes} / {@code virtual_rules} ({@link RouterSpec#routes()},
 * {@link RouterSpec#rules()}) and {@code static_routes} / {@code static_rules}
 * ({@link NodeConfig#staticRoutes()}) on the simulated LAN: a router's are on the host only while it
 * is Active, after its addresses; the static ones for as long as the node runs.
 */
class VirtualRoutesTest {
    private static final IpRoute VIA_GATEWAY = new IpRoute(IpRoute.Type.UNICAST, ip("198.51.100.0"), 24,
            ip("192.0.2.101"), ip("192.0.2.254"), "eth0", 100, -1, 0, IpRoute.PROTOCOL_KEEPALIVED);
    /** On another device than the router's: routes name their own. */
    private static final IpRoute V6_ELSEWHERE = new IpRoute(IpRoute.Type.UNICAST, ip("2001:db8:1::"), 64, null, null,
            "eth1", 150, 10, 0, IpRoute.PROTOCOL_KEEPALIVED);
    private static final IpRoute BLACKHOLE = new IpRoute(IpRoute.Type.BLACKHOLE, ip("203.0.113.0"), 24, null, null,
            null, 100, -1, 0, IpRoute.PROTOCOL_KEEPALIVED);
    private static final IpRule FROM_VIP = new IpRule(AddressFamily.IPV4, ip("192.0.2.101"), 32, null, 0,
            IpRule.Action.TABLE, 100, 100, null, null, -1, -1);
    private static final IpRule V6_RULE = new IpRule(AddressFamily.IPV6, ip("2001:db8::"), 32, null, 0,
            IpRule.Action.TABLE, 150, 101, "eth1", null, -1, -1);

    private final NodeLan lan = new NodeLan();

    private static InetAddress ip(String literal) {
        return InetAddress.ofLiteral(literal);
    }

    private static RouterSpec router(int priority, String source, List<IpRoute> routes, List<IpRule> rules) {
        return withRoutes(spec(ipv4("VI_1", 1, priority, "192.0.2.101/24"), "eth0", source), routes, rules);
    }

    private static NodeConfig node(RouterSpec spec) {
        return new NodeConfig(List.of(spec), List.of());
    }

    @Test
    void theRoutesAndRulesAreOnTheActiveOnlyAndMoveWithIt() {
        Host a = lan.add("a", router(200, "192.0.2.1", List.of(VIA_GATEWAY, V6_ELSEWHERE), List.of(FROM_VIP, V6_RULE)));
        Host b = lan.add("b", router(100, "192.0.2.2", List.of(VIA_GATEWAY, V6_ELSEWHERE), List.of(FROM_VIP, V6_RULE)));
        lan.startAll();
        lan.runFor(5 * SECOND);

        assertThat(a.state("VI_1")).isEqualTo(State.ACTIVE);
        assertThat(a.routes).containsExactly(VIA_GATEWAY, V6_ELSEWHERE);
        assertThat(a.rules).containsExactly(FROM_VIP, V6_RULE);
        assertThat(b.routes).isEmpty();
        assertThat(b.rules).isEmpty();
        // With the addresses, which come after the advertisement (RFC 9568 §6.4.2): a route may use a VIP as source.
        assertThat(a.effects).filteredOn(e -> e instanceof NodeEffect.SendAdvertisement
                        || e instanceof NodeEffect.AddVirtualAddresses).first()
                .isInstanceOf(NodeEffect.SendAdvertisement.class);

        lan.shutdown(a);
        assertThat(a.routes).as("gone from the node that left").isEmpty();
        assertThat(a.rules).isEmpty();
        lan.runFor(5 * SECOND);
        assertThat(b.state("VI_1")).isEqualTo(State.ACTIVE);
        assertThat(b.routes).containsExactly(VIA_GATEWAY, V6_ELSEWHERE);
        assertThat(b.rules).containsExactly(FROM_VIP, V6_RULE);
    }

    @Test
    void aPreemptedActiveRemovesThemAndTheNewActiveInstallsThem() {
        Host b = lan.add("b", router(100, "192.0.2.2", List.of(BLACKHOLE), List.of(FROM_VIP)));
        lan.startAll();
        lan.runFor(5 * SECOND);
        assertThat(b.routes).containsExactly(BLACKHOLE);

        Host a = lan.add("a", router(200, "192.0.2.1", List.of(BLACKHOLE), List.of(FROM_VIP)));
        lan.start(a);
        lan.runFor(5 * SECOND);

        assertThat(a.state("VI_1")).isEqualTo(State.ACTIVE);
        assertThat(b.state("VI_1")).isEqualTo(State.BACKUP);
        assertThat(b.routes).isEmpty();
        assertThat(b.rules).isEmpty();
        assertThat(a.routes).containsExactly(BLACKHOLE);
        assertThat(a.rules).containsExactly(FROM_VIP);
    }

    @Test
    void aReloadChangesAnActivesRoutesAndRulesInPlaceWithoutAnAdvertisementOrATransition() {
        Host a = lan.add("a", router(200, "192.0.2.1", List.of(VIA_GATEWAY, BLACKHOLE), List.of(FROM_VIP)));
        lan.startAll();
        lan.runFor(5 * SECOND + 500 * MS);
        int transitions = a.transitions("VI_1").size();
        long lastSent = lan.sentBy(a, "VI_1").getLast().atNanos();
        int effectsBefore = a.effects.size();

        ConfigDiff diff = lan.reconfigure(a, node(router(200, "192.0.2.1", List.of(BLACKHOLE, V6_ELSEWHERE),
                List.of(V6_RULE))));

        assertThat(diff.changed()).singleElement().satisfies(c ->
                assertThat(c.changes()).containsExactly(ConfigDiff.Change.ROUTES));
        assertThat(a.effects.subList(effectsBefore, a.effects.size()))
                .filteredOn(e -> e instanceof NodeEffect.UpdateRoutes).singleElement().satisfies(e -> {
                    NodeEffect.UpdateRoutes update = (NodeEffect.UpdateRoutes) e;
                    assertThat(update.router().name()).isEqualTo("VI_1");
                    assertThat(update.removedRoutes()).containsExactly(VIA_GATEWAY);
                    assertThat(update.addedRoutes()).containsExactly(V6_ELSEWHERE);
                    assertThat(update.removedRules()).containsExactly(FROM_VIP);
                    assertThat(update.addedRules()).containsExactly(V6_RULE);
                });
        assertThat(a.routes).containsExactlyInAnyOrder(BLACKHOLE, V6_ELSEWHERE);
        assertThat(a.rules).containsExactly(V6_RULE);
        assertThat(a.transitions("VI_1")).hasSize(transitions);
        assertThat(lan.sentBy(a, "VI_1").getLast().atNanos()).as("nothing new to advertise").isEqualTo(lastSent);
        assertThat(a.effects.subList(effectsBefore, a.effects.size()))
                .noneMatch(e -> e instanceof NodeEffect.UpdateVirtualAddresses || e instanceof NodeEffect.AnnounceAddresses);

        lan.shutdown(a);
        assertThat(a.routes).as("the new ones leave with the router").isEmpty();
        assertThat(a.rules).isEmpty();
    }

    @Test
    void aReloadOfABackupsRoutesInstallsNothingUntilItTakesOver() {
        Host a = lan.add("a", router(200, "192.0.2.1", List.of(VIA_GATEWAY), List.of()));
        Host b = lan.add("b", router(100, "192.0.2.2", List.of(VIA_GATEWAY), List.of()));
        lan.startAll();
        lan.runFor(5 * SECOND);

        lan.reconfigure(b, node(router(100, "192.0.2.2", List.of(BLACKHOLE), List.of(FROM_VIP))));
        lan.runFor(SECOND);

        assertThat(b.effects).noneMatch(e -> e instanceof NodeEffect.UpdateRoutes);
        assertThat(b.routes).isEmpty();
        lan.kill(a);
        lan.runFor(5 * SECOND);
        assertThat(b.routes).as("the new list when it takes over").containsExactly(BLACKHOLE);
        assertThat(b.rules).containsExactly(FROM_VIP);
    }

    @Test
    void staticRoutesAndRulesAreInstalledFirstAtStartWhateverTheStateAndRemovedLastAtShutdown() {
        NodeConfig config = node(router(100, "192.0.2.2", List.of(VIA_GATEWAY), List.of()))
                .withStatic(List.of(V6_ELSEWHERE), List.of(V6_RULE));
        Host a = lan.add("a", router(200, "192.0.2.1", List.of(), List.of()));
        Host b = lan.add("b", config);
        lan.startAll();

        assertThat(b.effects.getFirst()).isInstanceOfSatisfying(NodeEffect.UpdateRoutes.class, update -> {
            assertThat(update.router()).isNull();
            assertThat(update.addedRoutes()).containsExactly(V6_ELSEWHERE);
            assertThat(update.addedRules()).containsExactly(V6_RULE);
        });
        lan.runFor(5 * SECOND);
        assertThat(b.state("VI_1")).isEqualTo(State.BACKUP);
        assertThat(b.routes).as("static ones on a Backup too").containsExactly(V6_ELSEWHERE);
        assertThat(b.rules).containsExactly(V6_RULE);

        lan.shutdown(b);
        assertThat(b.effects.getLast()).isInstanceOfSatisfying(NodeEffect.UpdateRoutes.class, update -> {
            assertThat(update.router()).isNull();
            assertThat(update.removedRoutes()).containsExactly(V6_ELSEWHERE);
            assertThat(update.removedRules()).containsExactly(V6_RULE);
        });
        assertThat(b.routes).isEmpty();
        assertThat(b.rules).isEmpty();
        assertThat(a.routes).isEmpty();
    }

    @Test
    void aReloadSwapsTheStaticRoutesThatChangedAndLeavesTheOthers() {
        NodeConfig config = node(router(200, "192.0.2.1", List.of(), List.of()))
                .withStatic(List.of(V6_ELSEWHERE, BLACKHOLE), List.of());
        Host a = lan.add("a", config);
        lan.startAll();
        lan.runFor(5 * SECOND);
        int effectsBefore = a.effects.size();

        lan.reconfigure(a, config.withStatic(List.of(BLACKHOLE, VIA_GATEWAY), List.of(FROM_VIP)));

        assertThat(a.effects.subList(effectsBefore, a.effects.size()))
                .filteredOn(e -> e instanceof NodeEffect.UpdateRoutes).singleElement().satisfies(e -> {
                    NodeEffect.UpdateRoutes update = (NodeEffect.UpdateRoutes) e;
                    assertThat(update.router()).isNull();
                    assertThat(update.removedRoutes()).containsExactly(V6_ELSEWHERE);
                    assertThat(update.addedRoutes()).containsExactly(VIA_GATEWAY);
                    assertThat(update.addedRules()).containsExactly(FROM_VIP);
                });
        assertThat(a.routes).containsExactlyInAnyOrder(BLACKHOLE, VIA_GATEWAY);
        assertThat(a.rules).containsExactly(FROM_VIP);

        int effectsAfter = a.effects.size();
        lan.reconfigure(a, config.withStatic(List.of(BLACKHOLE, VIA_GATEWAY), List.of(FROM_VIP)));
        assertThat(a.effects.subList(effectsAfter, a.effects.size())).as("an unchanged file changes nothing")
                .noneMatch(e -> e instanceof NodeEffect.UpdateRoutes);
    }
}
