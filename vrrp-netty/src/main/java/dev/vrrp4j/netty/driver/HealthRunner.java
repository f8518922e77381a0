package dev.vrrp4j.netty.driver;

import dev.vrrp4j.core.node.TrackedCheckSpec;
import dev.vrrp4j.core.router.State;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs the node's health checks on their own schedules, off the event loop: one scheduler thread
 * decides when, each run happens on a pooled platform thread (a command or an HTTP request may
 * block), and every result is handed to the event loop, where the node owns the rise/fall state. A
 * run that has not finished when the next is due is not started twice. Its threads exist only while
 * there is a check to run.
 */
final class HealthRunner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HealthRunner.class);

    /** Where a result goes: to the event loop, which hands it to the node. */
    @FunctionalInterface
    interface ResultSink {
        void accept(String check, boolean healthy);
    }

    /** One distinct check and the routers that track it. */
    private record CheckRun(TrackedCheckSpec spec, List<DriverRouter> routers, AtomicBoolean running) {}

    private final List<CheckRun> runs;
    private final CheckLauncher launcher;
    private final ResultSink onResult;
    private ScheduledExecutorService scheduler;
    private ExecutorService runners;

    /**
     * @param onResult called with each result, on whatever thread finished the run; it must hand the
     *                 result to the event loop
     */
    HealthRunner(List<TrackedCheckSpec> checks, List<DriverRouter> routers, CheckLauncher launcher, ResultSink onResult) {
        this.runs = checks.stream().map(check -> new CheckRun(check, routers.stream()
                .filter(r -> r.router.spec().checks().stream().anyMatch(c -> c.name().equals(check.name())))
                .toList(), new AtomicBoolean())).toList();
        this.launcher = launcher;
        this.onResult = onResult;
    }

    void start() {
        if (runs.isEmpty()) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("vrrp4j-checks").daemon(true).factory());
        // Platform threads, made on demand by the scheduler thread: a thread's network namespace is
        // inherited from the thread that creates it, so checks (their sockets, their processes) run in
        // the namespace the node was started in, which pooled virtual-thread carriers do not promise.
        runners = Executors.newCachedThreadPool(Thread.ofPlatform().name("vrrp4j-check-", 0).daemon(true).factory());
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
                Map<String, State> states = new LinkedHashMap<>();
                for (DriverRouter router : run.routers) {
                    states.put(router.name(), router.state);
                }
                healthy = launcher.launch(run.spec, Map.copyOf(states)).toCompletableFuture()
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
            onResult.accept(run.spec.name(), healthy);
        });
    }

    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            runners.shutdownNow();
        }
    }
}
