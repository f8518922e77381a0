package dev.vrrp4j.netty.internal;

import dev.vrrp4j.netty.VrrpNode;
import dev.vrrp4j.netty.driver.RouterView;

import java.util.List;
import java.util.Objects;

/**
 * Not API: how this module's other packages (the Micrometer binder) reach a node's live router
 * views, which {@link VrrpNode} does not publish. This package is not exported from the module.
 */
public final class NodeAccess {
    private static volatile Access access;

    /** What {@link VrrpNode} gives this module's other packages. */
    public interface Access {
        /** The routers of {@code node} in configuration order; empty before it started. */
        List<RouterView> routers(VrrpNode node);

        /** Runs {@code hook} after every reconfiguration of {@code node}, on its event loop. */
        void onReconfigured(VrrpNode node, Runnable hook);
    }

    private NodeAccess() {}

    /** Called once, by {@link VrrpNode}'s static initializer. */
    public static void install(Access nodeAccess) {
        if (access != null) {
            throw new IllegalStateException("NodeAccess is installed already");
        }
        access = Objects.requireNonNull(nodeAccess, "nodeAccess");
    }

    /** The routers of {@code node} in configuration order; empty before it started. */
    public static List<RouterView> routers(VrrpNode node) {
        Objects.requireNonNull(node, "node");
        return access.routers(node); // node exists, so VrrpNode is initialized and has installed the access
    }

    /** {@code hook} runs after each reconfiguration of {@code node} (routers added or removed). */
    public static void onReconfigured(VrrpNode node, Runnable hook) {
        Objects.requireNonNull(node, "node");
        access.onReconfigured(node, Objects.requireNonNull(hook, "hook"));
    }
}
