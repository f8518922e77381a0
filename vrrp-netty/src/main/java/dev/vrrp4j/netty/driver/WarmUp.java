package dev.vrrp4j.netty.driver;

import dev.vrrp4j.core.node.NodeRouter;
import dev.vrrp4j.core.packet.Advertisement;
import dev.vrrp4j.core.router.Action;
import dev.vrrp4j.core.router.VirtualRouter;
import dev.vrrp4j.netty.transport.VrrpSendSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;

/**
 * Runs the paths a takeover takes before the node starts, so that a Backup's first takeover,
 * possibly weeks later, does not run them interpreted or cold. With the AOT cache of
 * {@code bin/vrrp4j} much of this is already loaded and linked; what is left is the JIT's profile.
 */
final class WarmUp {
    private static final Logger LOG = LoggerFactory.getLogger(WarmUp.class);
    /** Runs of the send path at start, for the whole node: enough for the JIT's first tier. */
    private static final int SENDS = 2_000;
    private static final int TAKEOVERS = 3_000;

    private WarmUp() {}

    /** Both warm-ups, on the event loop, before the routers start. */
    static void run(DriverRouter[] routers, EffectRunner effects) {
        if (routers.length == 0) {
            return;
        }
        long startNanos = System.nanoTime();
        sendPath(routers, effects);
        long sentNanos = System.nanoTime();
        takeover(routers[0].router);
        LOG.debug("warm-up: send path {} ms, takeover path {} ms", (sentNanos - startNanos) / 1_000_000,
                (System.nanoTime() - sentNanos) / 1_000_000);
    }

    /** Runs the send path (see {@link VrrpSendSocket.Mode#PROBE}) without putting anything on the wire. */
    private static void sendPath(DriverRouter[] routers, EffectRunner effects) {
        int rounds = Math.max(1, SENDS / routers.length);
        // Load the Active state's entry actions now: loading them on the first takeover cost ~0.5 ms.
        Objects.requireNonNull(Action.SendAdvertisement.of(0));
        Objects.requireNonNull(Action.AddVirtualAddresses.INSTANCE);
        Objects.requireNonNull(Action.AnnounceAddresses.INSTANCE);
        Objects.requireNonNull(Action.RemoveVirtualAddresses.INSTANCE);
        for (int round = 0; round < rounds; round++) {
            for (DriverRouter router : routers) {
                effects.send(router, router.router.priority(), VrrpSendSocket.Mode.PROBE);
            }
        }
    }

    /**
     * Runs the core's Backup-to-Active path on throw-away routers (measured: ~0.1 ms of the first
     * takeover otherwise). Every other one first hears an Active, as a real Backup has: warming only
     * the silent-LAN case left the JIT a branch it had never seen, and the first real takeover
     * deoptimised there (-Xlog:deoptimization, SplitBrainWatch.enteredActive). Their actions are
     * never taken, so nothing is logged or sent.
     */
    private static void takeover(NodeRouter sample) {
        // The sample's own advertisement, from another address and the highest priority: an Active
        // the throw-away router accepts.
        Advertisement active = sample.newAdvertisement();
        byte[] otherSource = sample.sourceAddress().getAddress();
        otherSource[otherSource.length - 1] ^= 1;
        active.route(otherSource, sample.destination(0).getAddress()).priority(255);
        try {
            for (int i = 0; i < TAKEOVERS; i++) {
                VirtualRouter scratch = new VirtualRouter(sample.config(), sample.sourceAddress());
                scratch.handleStart(0);
                if (i % 2 == 0) {
                    scratch.handleAdvertisement(1, active);
                }
                if (scratch.hasDeadline()) {
                    scratch.handleTimeout(scratch.nextDeadlineNanos());
                }
            }
        } catch (RuntimeException e) {
            LOG.debug("warming up the takeover path failed; the first takeover will be slower", e);
        }
    }
}
