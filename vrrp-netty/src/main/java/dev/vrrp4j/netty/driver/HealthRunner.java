package dev.vrrp4j.netty.driver;

import dev.vrrp4j.core.health.CheckState;
import dev.vrrp4j.netty.TrackedCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

/**
 * Runs the node's health checks on their own schedules, off the event loop: one scheduler thread
 * decides when, each run happens on a pooled platform thread (a command or an HTTP request may block), and
 * every result is handed to the event loop, which owns the rise/fall state. A run that has not
 * finished when the next is due is not started twice.
 */
final class HealthRunner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HealthRunner.class);

    /** One distinct check and the routers that track it; the state is touched on the event loop only. */
    static final class CheckRun {
        final TrackedCheck spec;
        final CheckState state;
        final List<RouterSlot> routers = new ArrayList<>();
        final AtomicBoolean running = new AtomicBoolean();

        CheckRun(TrackedCheck spec) {
            this.spec = spec;
            this.state = new CheckState(spec.name(), spec.policy(), true);
        }
    }

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("vrrp4j-checks").daemon(true).factory());
    /**
     * Platform threads, made on demand by the scheduler thread: a thread's network namespace is
     * inherited from the thread that creates it, so checks (their sockets, their processes) run in
     * the namespace the node was started in, which pooled virtual-thread carriers do not promise.
     */
    private final java.util.concurrent.ExecutorService runners = Executors.newCachedThreadPool(
            Thread.ofPlatform().name("vrrp4j-check-", 0).daemon(true).factory());
    private final List<CheckRun> runs;
    private final BiConsumer<CheckRun, Boolean> onResult;

    /**
     * @param onResult called with each result, on whatever thread finished the run; it must hand the
     *                 result to the event loop
     */
    HealthRunner(List<CheckRun> runs, BiConsumer<CheckRun, Boolean> onResult) {
        this.runs = List.copyOf(runs);
        this.onResult = onResult;
    }

    void start() {
        for (CheckRun run : runs) {
            long intervalNanos = run.spec.interval().toNanos();
            scheduler.scheduleAtFixedRate(() -> launch(run), 0, intervalNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void launch(CheckRun run) {
        if (!run.running.compareAndSet(false, true)) {
            LOG.debug("check {} still running; skipping this round", run.spec.name());
            return;
        }
        runners.execute(() -> {
            boolean healthy;
            try {
                healthy = run.spec.check().check(new dev.vrrp4j.netty.CheckContext(run.spec.timeout(), run.routers.stream()
                        .collect(java.util.stream.Collectors.toMap(RouterSlot::name, slot -> slot.state)))).toCompletableFuture()
                        .completeOnTimeout(false, run.spec.timeout().toNanos(), TimeUnit.NANOSECONDS)
                        .exceptionally(failure -> {
                            LOG.debug("check {} failed: {}", run.spec.name(), failure.toString());
                            return false;
                        })
                        .join();
            } catch (RuntimeException e) {
                LOG.debug("check {} threw", run.spec.name(), e);
                healthy = false;
            } finally {
                run.running.set(false);
            }
            onResult.accept(run, healthy);
        });
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        runners.shutdownNow();
    }
}
