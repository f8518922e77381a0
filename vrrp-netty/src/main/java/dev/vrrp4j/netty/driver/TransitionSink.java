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
}
