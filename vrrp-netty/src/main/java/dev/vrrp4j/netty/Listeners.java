package dev.vrrp4j.netty;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The listeners of one node: who hears which router, on which executor. The event loop only
 * enqueues ({@link #publish}); each listener's calls for one router or group run one at a time,
 * in order, on that listener's executor. The default listener thread is started only for the
 * first listener registered without an executor of its own.
 */
final class Listeners {
    private static final Logger LOG = LoggerFactory.getLogger(Listeners.class);

    private final List<Registration> registrations = new CopyOnWriteArrayList<>();
    private final AtomicLong failures = new AtomicLong();
    private ExecutorService defaultExecutor;
    private boolean closed;

    /** One listener, for every router ({@code scope} null) or for the router or group called {@code scope}. */
    private final class Registration implements ListenerRegistration {
        final String scope;
        final FailoverListener listener;
        final Executor executor;
        /** One queue per router or group, so that a slow call for one never delays another's. */
        final Map<String, SerialExecutor> queues = new ConcurrentHashMap<>();
        volatile boolean removed;

        Registration(String scope, FailoverListener listener, Executor executor) {
            this.scope = scope;
            this.listener = listener;
            this.executor = executor;
        }

        void deliver(VrrpEvent event) {
            try {
                queues.computeIfAbsent(event.name(), name -> new SerialExecutor(executor)).execute(() -> call(event));
            } catch (RuntimeException rejected) {
                failures.incrementAndGet();
                LOG.error("{}: listener's executor refused {}", event.name(), event, rejected);
            }
        }

        private void call(VrrpEvent event) {
            if (removed) {
                return;
            }
            try {
                FailoverListener.dispatch(listener, event);
            } catch (Throwable t) {
                failures.incrementAndGet();
                LOG.error("{}: listener failed on {}", event.name(), event, t);
            }
        }

        @Override
        public void close() {
            removed = true;
            registrations.remove(this);
        }
    }

    /**
     * Stops handing {@code registration} new events; what it was handed already still runs (a
     * reload replacing the builder's listeners must not lose a notify script queued just before).
     */
    void retire(ListenerRegistration registration) {
        registrations.remove(registration);
    }

    /** Registers {@code listener}; with a null {@code executor} it runs on the default listener thread. */
    ListenerRegistration add(String scope, FailoverListener listener, Executor executor) {
        Objects.requireNonNull(listener, "listener");
        Executor runOn = executor != null ? executor : defaultExecutor();
        Registration registration = new Registration(scope, listener, runOn);
        registrations.add(registration);
        return registration;
    }

    private synchronized Executor defaultExecutor() {
        if (closed) {
            return Runnable::run; // nothing is published after close; no thread for nothing
        }
        if (defaultExecutor == null) {
            defaultExecutor = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("vrrp4j-listener")
                    .daemon(true).factory());
        }
        return defaultExecutor;
    }

    /** Hands {@code event} to every listener of its router or group; called on the event loop. */
    void publish(VrrpEvent event) {
        for (Registration registration : registrations) {
            if (registration.scope == null || registration.scope.equals(event.name())) {
                registration.deliver(event);
            }
        }
    }

    long failures() {
        return failures.get();
    }

    /** Waits up to {@code timeoutMillis} for every queued call, then stops the default thread. */
    void close(long timeoutMillis) {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        try {
            for (Registration registration : registrations) {
                for (SerialExecutor queue : registration.queues.values()) {
                    if (!queue.awaitIdle(Math.max(1, deadline - System.currentTimeMillis()))) {
                        LOG.warn("listener still busy {} ms after close", timeoutMillis);
                        break;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Registration registration : registrations) {
            if (registration.listener instanceof AutoCloseable resource) {
                try {
                    resource.close(); // its last event has run: what it holds can go (a notify FIFO)
                } catch (Exception e) {
                    LOG.warn("closing listener {} failed", registration.listener, e);
                }
            }
        }
        synchronized (this) {
            closed = true;
            if (defaultExecutor != null) {
                defaultExecutor.shutdown();
            }
        }
    }

    /** Whether the default listener thread was started (for tests: it must not be without need). */
    synchronized boolean defaultThreadStarted() {
        return defaultExecutor != null;
    }
}
