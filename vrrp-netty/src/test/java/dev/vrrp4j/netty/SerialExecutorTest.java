package dev.vrrp4j.netty;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Per-router listener calls: in order, never overlapping, and the submitter never waits for them. */
class SerialExecutorTest {

    @Test
    void tasksRunInSubmissionOrderWithoutOverlapOnAManyThreadedExecutor() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            SerialExecutor serial = new SerialExecutor(pool);
            List<Integer> order = Collections.synchronizedList(new ArrayList<>());
            AtomicInteger running = new AtomicInteger();
            AtomicInteger maxRunning = new AtomicInteger();
            for (int i = 0; i < 2_000; i++) {
                int n = i;
                serial.execute(() -> {
                    maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                    order.add(n);
                    running.decrementAndGet();
                });
            }
            assertThat(serial.awaitIdle(5_000)).isTrue();
            assertThat(order).hasSize(2_000).isSorted();
            assertThat(maxRunning.get()).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aSlowTaskDoesNotBlockTheSubmitter() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            SerialExecutor serial = new SerialExecutor(pool);
            CountDownLatch release = new CountDownLatch(1);
            serial.execute(() -> {
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            long start = System.nanoTime();
            for (int i = 0; i < 100; i++) {
                serial.execute(() -> { });
            }
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1_000);
            assertThat(serial.awaitIdle(50)).isFalse(); // still blocked behind the slow task
            release.countDown();
            assertThat(serial.awaitIdle(5_000)).isTrue();
        } finally {
            pool.shutdownNow();
        }
    }
}
