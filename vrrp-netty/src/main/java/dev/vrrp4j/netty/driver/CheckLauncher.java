package dev.vrrp4j.netty.driver;

import dev.vrrp4j.core.node.TrackedCheckSpec;
import dev.vrrp4j.core.router.State;

import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Starts one run of a health check: the embedding API says what a check's task is
 * ({@link TrackedCheckSpec#task()}) and how to run it. Called on a check thread, never on the event
 * loop; the driver applies the check's timeout and treats an exception as a failure.
 */
@FunctionalInterface
public interface CheckLauncher {
    /**
     * @param routerStates the state of every router that tracks the check, by name, as of now
     * @return completes with true if the check passed
     */
    CompletionStage<Boolean> launch(TrackedCheckSpec check, Map<String, State> routerStates);
}
