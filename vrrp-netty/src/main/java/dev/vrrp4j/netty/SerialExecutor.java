package dev.vrrp4j.netty;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;

/**
 * Runs tasks one at a time, in submission order, on a delegate executor: per-router listener calls
 * never overlap and never reorder, whatever the application's executor does. The event loop only
 * enqueues, so a slow listener never delays the protocol.
 */
final class SerialExecutor implements Executor {
    private final Executor delegate;
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    private boolean running;

    SerialExecutor(Executor delegate) {
        this.delegate = delegate;
    }

    @Override
    public void execute(Runnable task) {
        synchronized (queue) {
            queue.add(task);
            if (running) {
                return;
            }
            running = true;
        }
        try {
            delegate.execute(this::drain);
        } catch (RuntimeException rejected) {
            // The delegate refused (shut down): what was queued will never run; don't stay "running".
            synchronized (queue) {
                queue.clear();
                running = false;
                queue.notifyAll();
            }
            throw rejected;
        }
    }

    private void drain() {
        while (true) {
            Runnable next;
            synchronized (queue) {
                next = queue.poll();
                if (next == null) {
                    running = false;
                    queue.notifyAll();
                    return;
                }
            }
            next.run();
        }
    }

    /** Waits until everything submitted so far has run, or the timeout passes; true if idle. */
    boolean awaitIdle(long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        synchronized (queue) {
            while (running || !queue.isEmpty()) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    return false;
                }
                queue.wait(left);
            }
            return true;
        }
    }
}
