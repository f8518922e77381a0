package dev.vrrp4j.netty.driver;

import dev.vrrp4j.core.node.NodeRouter;
import dev.vrrp4j.core.router.RouterConfig;
import dev.vrrp4j.core.router.RouterCounters;
import dev.vrrp4j.core.router.State;
import dev.vrrp4j.netty.transport.VrrpSendSocket;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * What the driver keeps beside one of the node's routers: the socket it sends from, the interface's
 * sockets, its announcement timers, and its state as of the last transition the driver performed,
 * which other threads read. The protocol itself lives in the {@link NodeRouter}.
 */
final class DriverRouter implements RouterView {
    final NodeRouter router;
    final InterfacePort port;
    VrrpSendSocket sendSocket;
    volatile State state = State.INITIALIZE;
    ScheduledFuture<?> secondBurst;
    ScheduledFuture<?> refresh;
    ScheduledFuture<?> lowerPriorityBurst;

    DriverRouter(NodeRouter router, InterfacePort port, VrrpSendSocket sendSocket) {
        this.router = router;
        this.port = port;
        this.sendSocket = sendSocket;
    }

    String name() {
        return router.name();
    }

    @Override
    public RouterConfig config() {
        return router.config();
    }

    @Override
    public String interfaceName() {
        return port.name;
    }

    @Override
    public State state() {
        return state;
    }

    @Override
    public RouterCounters counters() {
        return router.counters();
    }

    void cancelAnnouncements() {
        if (secondBurst != null) {
            secondBurst.cancel(false);
            secondBurst = null;
        }
        if (refresh != null) {
            refresh.cancel(false);
            refresh = null;
        }
        if (lowerPriorityBurst != null) {
            lowerPriorityBurst.cancel(false);
            lowerPriorityBurst = null;
        }
    }

    @Override
    public String toString() {
        return router.toString();
    }
}
