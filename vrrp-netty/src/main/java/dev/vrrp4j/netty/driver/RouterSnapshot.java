package dev.vrrp4j.netty.driver;

import dev.vrrp4j.core.node.NodeRouter;
import dev.vrrp4j.core.router.Action;
import dev.vrrp4j.core.router.State;
import io.netty.channel.IoEventLoop;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * What {@link NodeDriver#snapshot} sees of one router, read on the event loop so that the fields
 * agree with each other.
 *
 * @param splitBrainOngoing        whether a split-brain episode is going on
 * @param lastSplitBrain           the report of the latest episode, or null
 * @param nanosSinceLastSplitBrain how long ago that report was made (0 without one)
 */
public record RouterSnapshot(RouterView router, State state, int priority, InetAddress activeAddress,
                             long nanosInState, boolean splitBrainOngoing, Action.SplitBrainDetected lastSplitBrain,
                             long nanosSinceLastSplitBrain) {

    /** Every router's snapshot, mapped; on {@code loop} if it runs (null: the node is closed or not started). */
    static <T> List<T> take(NodeSockets sockets, IoEventLoop loop, Function<RouterSnapshot, T> mapper) {
        Callable<List<T>> take = () -> {
            long now = System.nanoTime();
            List<DriverRouter> routers = sockets.inOrder();
            List<T> result = new ArrayList<>(routers.size());
            for (DriverRouter router : routers) {
                NodeRouter r = router.router;
                Action.SplitBrainDetected last = r.lastSplitBrain();
                result.add(mapper.apply(new RouterSnapshot(router, r.state(), r.priority(), r.activeAddress(),
                        now - r.stateSinceNanos(), r.splitBrainOngoing(now), last, last == null ? 0 : now - last.atNanos())));
            }
            return result;
        };
        try {
            if (loop != null && !loop.inEventLoop()) {
                return loop.submit(take).get(5, TimeUnit.SECONDS);
            }
            return take.call();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while taking a status snapshot", e);
        } catch (Exception e) {
            throw new IllegalStateException("status snapshot failed", e);
        }
    }
}
