package dev.vrrp4j.netty.driver;

import dev.vrrp4j.core.router.RouterConfig;
import dev.vrrp4j.core.router.RouterCounters;
import dev.vrrp4j.core.router.State;

/** A read-only look at one router the driver runs, safe from any thread. */
public interface RouterView {
    RouterConfig config();

    String interfaceName();

    /** The state as of the last transition the driver executed. */
    State state();

    RouterCounters counters();
}
