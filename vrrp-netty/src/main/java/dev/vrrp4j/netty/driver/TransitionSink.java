package dev.vrrp4j.netty.driver;

import dev.vrrp4j.core.router.Action;

/**
 * Receives every state change on the event loop, after the change's own actions (addresses,
 * advertisement, announcements) were executed. Implementations must return at once: hand the work
 * to another executor.
 */
@FunctionalInterface
public interface TransitionSink {
    void onTransition(RouterView router, Action.StateChanged change, int priority);

    /** A router saw the first evidence of a split-brain episode (another Active, or an address conflict). */
    default void onSplitBrain(RouterView router, Action.SplitBrainDetected detected) {}

    /**
     * A reload took effect ({@link dev.vrrp4j.core.node.Node#reconfigure}): the removed routers have
     * left and reported it; the routers now are {@code routers}, in configuration order, and what
     * they do next is reported after this call.
     */
    default void onReconfigured(int generation, java.util.List<RouterView> routers) {}

    /** The loop woke for a timer {@code lateNanos} after its deadline (at least a millisecond late). */
    default void onLateWakeUp(long lateNanos) {}

    /** A sync group's state changed: all members reached {@code to} (or one of them is in Fault). */
    default void onGroupTransition(String group, dev.vrrp4j.core.router.State from, dev.vrrp4j.core.router.State to,
                                   dev.vrrp4j.core.router.TransitionReason reason) {}
}
