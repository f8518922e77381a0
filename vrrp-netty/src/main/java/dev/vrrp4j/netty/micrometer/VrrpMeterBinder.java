package dev.vrrp4j.netty.micrometer;

import dev.vrrp4j.core.packet.PacketDropReason;
import dev.vrrp4j.core.router.RouterConfig;
import dev.vrrp4j.core.router.SplitBrainKind;
import dev.vrrp4j.core.router.State;
import dev.vrrp4j.netty.VrrpNode;
import dev.vrrp4j.netty.driver.RouterView;
import dev.vrrp4j.netty.internal.NodeAccess;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Publishes the counters and state of a {@link VrrpNode}'s virtual routers (RFC 9568) as
 * Micrometer meters. Bind it <em>after</em> {@link VrrpNode#start()}: the node knows its routers
 * only from then on, and a binder bound earlier registers nothing (and says so at WARN).
 *
 * <pre>{@code
 * node.start();
 * new VrrpMeterBinder(node).bindTo(registry);
 * }</pre>
 *
 * <p>Every meter has the tags {@code router} (the name, {@code VI_1}), {@code vrid},
 * {@code family} ({@code IPV4} or {@code IPV6}) and {@code interface}, plus any given to the
 * constructor:
 *
 * <table>
 * <caption>Meters per virtual router</caption>
 * <tr><th>name</th><th>type</th><th>what</th></tr>
 * <tr><td>{@code vrrp.adverts.sent}</td><td>function counter</td><td>advertisements sent, priority 0 included</td></tr>
 * <tr><td>{@code vrrp.adverts.received}</td><td>function counter</td><td>well-formed advertisements received for the router's VRID</td></tr>
 * <tr><td>{@code vrrp.transitions}</td><td>function counter</td><td>state changes</td></tr>
 * <tr><td>{@code vrrp.adverts.unsigned.accepted}</td><td>function counter</td><td>advertisements without an
 *     auth_hmac trailer accepted in a receive-only or permissive mode</td></tr>
 * <tr><td>{@code vrrp.drops}</td><td>function counter</td><td>dropped packets, one counter per {@link PacketDropReason},
 *     tag {@code reason} ({@code BAD_CHECKSUM}, ...)</td></tr>
 * <tr><td>{@code vrrp.split.brain.episodes}</td><td>function counter</td><td>split-brain episodes while Active,
 *     tag {@code kind}: {@code ADVERTISEMENT} (another router claimed Active) or {@code ADDRESS_CONFLICT}
 *     (another MAC claimed a virtual address in ARP); see {@link dev.vrrp4j.netty.SplitBrainEvent}</td></tr>
 * <tr><td>{@code vrrp.state}</td><td>gauge</td><td>0 = INIT (stopped), 1 = BACKUP, 2 = MASTER (Active), 3 = FAULT</td></tr>
 * <tr><td>{@code vrrp.active}</td><td>gauge</td><td>1 while the router is Active (holds the virtual addresses), else 0</td></tr>
 * </table>
 *
 * <p>A reload ({@link VrrpNode#reconfigure}) is followed: the meters of a removed router leave
 * the registry, an added router gets its own, and a router that stayed keeps its meters.
 *
 * <p>The meters read the node's live counters when the registry polls them; nothing is counted
 * twice and the protocol's hot path does no extra work. Drops that belong to no router (unknown
 * VRIDs, unreadable packets) are in {@link VrrpNode#status()}, not here.
 *
 * <p>Micrometer is an optional dependency of vrrp-netty: only this package refers to it, so an
 * application without Micrometer on its class path never loads it.
 */
public final class VrrpMeterBinder implements MeterBinder {
    private static final Logger LOG = LoggerFactory.getLogger(VrrpMeterBinder.class);
    private static final PacketDropReason[] REASONS = PacketDropReason.values();

    private final Supplier<? extends List<? extends RouterView>> routers;
    /** Registers a hook that runs after each reload of the node. */
    private final Consumer<Runnable> onReconfigured;
    private final Tags tags;

    /** Meters for every router of {@code node}, which must have been started. */
    public VrrpMeterBinder(VrrpNode node) {
        this(node, Tags.empty());
    }

    /** Meters for every router of {@code node}, with {@code tags} added to each. */
    public VrrpMeterBinder(VrrpNode node, Iterable<Tag> tags) {
        this(routersOf(node), hook -> NodeAccess.onReconfigured(node, hook), tags);
    }

    private static Supplier<List<RouterView>> routersOf(VrrpNode node) {
        Objects.requireNonNull(node, "node");
        return () -> NodeAccess.routers(node);
    }

    /** For tests: routers from anywhere, reloads announced through {@code onReconfigured}. */
    VrrpMeterBinder(Supplier<? extends List<? extends RouterView>> routers, Consumer<Runnable> onReconfigured,
                    Iterable<Tag> tags) {
        this.routers = Objects.requireNonNull(routers, "routers");
        this.onReconfigured = Objects.requireNonNull(onReconfigured, "onReconfigured");
        this.tags = Tags.of(Objects.requireNonNull(tags, "tags"));
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        if (routers.get().isEmpty()) {
            LOG.warn("no virtual routers to publish: bind VrrpMeterBinder after VrrpNode.start()");
            return;
        }
        Binding binding = new Binding(registry);
        binding.sync();
        onReconfigured.accept(binding::sync);
    }

    /** The meters this binder put into one registry, by router view, kept in step with reloads. */
    private final class Binding {
        private final MeterRegistry registry;
        private final Map<RouterView, List<Meter>> bound = new IdentityHashMap<>();

        Binding(MeterRegistry registry) {
            this.registry = registry;
        }

        synchronized void sync() {
            Map<RouterView, Boolean> current = new IdentityHashMap<>();
            for (RouterView view : routers.get()) {
                current.put(view, Boolean.TRUE);
                bound.computeIfAbsent(view, v -> bindRouter(registry, v));
            }
            bound.entrySet().removeIf(entry -> {
                if (current.containsKey(entry.getKey())) {
                    return false;
                }
                entry.getValue().forEach(registry::remove);
                return true;
            });
        }
    }

    private List<Meter> bindRouter(MeterRegistry registry, RouterView view) {
        List<Meter> meters = new ArrayList<>();
        RouterConfig config = view.config();
        Tags routerTags = tags.and(
                Tag.of("router", config.name()),
                Tag.of("vrid", Integer.toString(config.vrid())),
                Tag.of("family", config.family().name()),
                Tag.of("interface", view.interfaceName()));

        meters.add(FunctionCounter.builder("vrrp.adverts.sent", view, v -> v.counters().advertsSent())
                .description("VRRP advertisements sent, priority 0 included")
                .baseUnit("packets").tags(routerTags).register(registry));
        meters.add(FunctionCounter.builder("vrrp.adverts.received", view, v -> v.counters().advertsReceived())
                .description("Well-formed VRRP advertisements received for this router's VRID")
                .baseUnit("packets").tags(routerTags).register(registry));
        meters.add(FunctionCounter.builder("vrrp.transitions", view, v -> v.counters().transitions())
                .description("VRRP state changes")
                .tags(routerTags).register(registry));
        meters.add(FunctionCounter.builder("vrrp.addresses.restored", view, v -> v.counters().addressesRestored())
                .description("Virtual addresses another process removed from the interface while Active, put back")
                .tags(routerTags).register(registry));
        meters.add(FunctionCounter.builder("vrrp.adverts.unsigned.accepted", view, v -> v.counters().unsignedAdvertsAccepted())
                .description("Advertisements without an auth_hmac trailer accepted in receive-only or permissive mode")
                .baseUnit("packets").tags(routerTags).register(registry));
        for (PacketDropReason reason : REASONS) {
            meters.add(FunctionCounter.builder("vrrp.drops", view, v -> v.counters().drops(reason))
                    .description("VRRP packets dropped, by reason")
                    .baseUnit("packets").tags(routerTags).tag("reason", reason.name()).register(registry));
        }
        for (SplitBrainKind kind : SplitBrainKind.values()) {
            meters.add(FunctionCounter.builder("vrrp.split.brain.episodes", view, v -> v.counters().splitBrainEpisodes(kind))
                    .description("Split-brain episodes: someone else acted as Active while this router was")
                    .tags(routerTags).tag("kind", kind.name()).register(registry));
        }
        meters.add(Gauge.builder("vrrp.state", view, v -> stateCode(v.state()))
                .description("VRRP state: 0 = INIT, 1 = BACKUP, 2 = MASTER (Active), 3 = FAULT")
                .tags(routerTags).register(registry));
        meters.add(Gauge.builder("vrrp.active", view, v -> v.state() == State.ACTIVE ? 1 : 0)
                .description("1 while this router is Active and holds the virtual addresses, else 0")
                .tags(routerTags).register(registry));
        return meters;
    }

    /** The value of {@code vrrp.state}: 0 = INIT, 1 = BACKUP, 2 = MASTER (Active), 3 = FAULT. */
    static int stateCode(State state) {
        return switch (state) {
            case INITIALIZE -> 0;
            case BACKUP -> 1;
            case ACTIVE -> 2;
            case FAULT -> 3;
        };
    }
}
