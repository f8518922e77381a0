package dev.vrrp4j.netty;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Something that says whether this node should hold the virtual addresses: keepalived's
 * {@code vrrp_script}. A node runs each check on its own schedule ({@link TrackedCheck}), off the
 * protocol's event loop; a check that does not answer within its timeout, or fails with an
 * exception, counts as a failure. Its result adjusts the priority the router advertises
 * (RFC 9568 §6.4.3 elects by priority), or puts the router in Fault.
 *
 * <p>A check sees its routers' states ({@link CheckContext}): one that asks a service which runs on
 * the Active server only can answer healthy while its router is not Active,
 * {@code ctx -> ctx.anyActive() ? http.check(ctx) : CompletableFuture.completedFuture(true)}.
 */
@FunctionalInterface
public interface HealthCheck {

    /**
     * Runs the check once; completes with true when healthy. May block: it runs on its own thread.
     *
     * @param context the timeout of this run and the states of the routers that track the check
     */
    CompletionStage<Boolean> check(CheckContext context);

    /** A check computed by the application, e.g. {@code () -> pool.isHealthy()}. */
    static HealthCheck of(BooleanSupplier supplier) {
        Objects.requireNonNull(supplier, "supplier");
        return context -> CompletableFuture.completedFuture(supplier.getAsBoolean());
    }

    /** An asynchronous check; the node applies the timeout. */
    static HealthCheck async(Supplier<? extends CompletionStage<Boolean>> supplier) {
        Objects.requireNonNull(supplier, "supplier");
        return context -> supplier.get();
    }

    /**
     * Runs a program and counts exit code 0 as healthy, like keepalived's {@code script}. The
     * arguments go to the program as they are: no shell, no word splitting, no expansion. A program
     * that outlives the timeout is killed (by its PID) and counts as a failure. Two such checks of
     * the same argv are equal, so a reload that leaves a {@code vrrp_script} alone keeps its state.
     */
    static HealthCheck command(List<String> argv) {
        return new BuiltInChecks.Command(argv);
    }

    /** An HTTP GET whose status is 2xx or 3xx within the timeout, e.g. Nginx's {@code http://127.0.0.1/}. */
    static HealthCheck http(URI uri) {
        return new BuiltInChecks.Http(uri);
    }
}
