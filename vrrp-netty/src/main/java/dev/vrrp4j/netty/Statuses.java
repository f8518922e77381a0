package dev.vrrp4j.netty;

import dev.vrrp4j.core.router.Action;
import dev.vrrp4j.core.router.RouterConfig;
import dev.vrrp4j.core.router.SplitBrainKind;
import dev.vrrp4j.core.router.State;
import dev.vrrp4j.netty.driver.RouterSnapshot;
import dev.vrrp4j.netty.driver.RouterView;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** How {@link VrrpNode} turns the driver's views of its routers into the API's values. */
final class Statuses {
    private Statuses() {}

    /** One router's status from a snapshot taken on the event loop. */
    static RouterStatus of(RouterSnapshot s) {
        RouterConfig config = s.router().config();
        var counters = s.router().counters();
        SplitBrainEvent last = s.lastSplitBrain() == null ? null
                : splitBrainEvent(s.router(), s.lastSplitBrain(), Instant.now().minusNanos(s.nanosSinceLastSplitBrain()));
        return new RouterStatus(config.name(), config.vrid(), config.family(), s.router().interfaceName(),
                s.state(), s.priority(), config.priority(), s.activeAddress(),
                Duration.ofNanos(Math.max(0, s.nanosInState())), counters.advertsSent(),
                counters.advertsReceived(), counters.transitions(), counters.dropsByReason(),
                counters.splitBrainEpisodes(SplitBrainKind.ADVERTISEMENT),
                counters.splitBrainEpisodes(SplitBrainKind.ADDRESS_CONFLICT), s.splitBrainOngoing(), last,
                counters.addressesRestored(), counters.unsignedAdvertsAccepted());
    }

    /** A router before {@link VrrpNode#start()}: its configuration, in Initialize, nothing counted yet. */
    static RouterStatus notStarted(VirtualRouterSpec spec) {
        RouterConfig config = spec.config();
        return new RouterStatus(config.name(), config.vrid(), config.family(), spec.interfaceName(), State.INITIALIZE,
                config.priority(), config.priority(), null, Duration.ZERO, 0, 0, 0, Map.of(), 0, 0, false, null, 0, 0);
    }

    /** The API's event for a router's split-brain report, stamped {@code at}. */
    static SplitBrainEvent splitBrainEvent(RouterView router, Action.SplitBrainDetected d, Instant at) {
        RouterConfig config = router.config();
        return new SplitBrainEvent(config.name(), config.vrid(), config.family(), d.kind(), d.otherAddress(),
                d.otherPriority(), d.otherMac(), d.ourAddress(), d.ourPriority(), d.yielding(), at);
    }
}
