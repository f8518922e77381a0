package dev.vrrp4j.netty.internal;

import dev.vrrp4j.netty.VrrpNode;
import dev.vrrp4j.netty.driver.RouterView;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Not API: how this module's other packages (the Micrometer binder) reach a node's live router
 * views, which {@link VrrpNode} does not publish. This package is not exported from the module.
 */
public final class NodeAccess {
    private static volatile Function<VrrpNode, List<RouterView>> routers;

    private NodeAccess() {}

    /** Called once, by {@link VrrpNode}'s static initializer. */
    public static void install(Function<VrrpNode, List<RouterView>> access) {
        if (routers != null) {
            throw new IllegalStateException("NodeAccess is installed already");
        }
        routers = Objects.requireNonNull(access, "access");
    }

    /** The routers of {@code node} in configuration order; empty before it started. */
    public static List<RouterView> routers(VrrpNode node) {
        Objects.requireNonNull(node, "node");
        return routers.apply(node); // node exists, so VrrpNode is initialized and has installed the access
    }
}
