package dev.vrrp4j.netty.transport;

import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.assertj.core.api.Assertions.assertThat;

class TimerFdTest {

    @Test
    void expiresAtTheAbsoluteNanoTimeDeadlineAndNotBefore() throws Exception {
        try (TimerFd timer = TimerFd.open()) {
            long deadline = System.nanoTime() + 20_000_000L;
            timer.armAt(deadline);
            assertThat(timer.acknowledge()).as("not expired yet").isZero();
            assertThat(LinuxSyscalls.pollReadable(timer.fd(), 2000)).isTrue();
            long woke = System.nanoTime();
            assertThat(woke - deadline).as("woke after the deadline (CLOCK_MONOTONIC is nanoTime's clock)")
                    .isGreaterThanOrEqualTo(0);
            assertThat(timer.acknowledge()).isEqualTo(1);
            assertThat(timer.acknowledge()).as("reading cleared it").isZero();
        }
    }

    @Test
    void reArmingReplacesTheDeadlineAndDisarmStopsIt() throws Exception {
        try (TimerFd timer = TimerFd.open()) {
            timer.armAt(System.nanoTime() + 10_000_000L);
            timer.armAt(System.nanoTime() + 10_000_000_000L); // later: the first setting is gone
            assertThat(LinuxSyscalls.pollReadable(timer.fd(), 100)).isFalse();
            timer.armAt(System.nanoTime() - 1); // past: at once
            assertThat(LinuxSyscalls.pollReadable(timer.fd(), 1000)).isTrue();
            assertThat(timer.acknowledge()).isEqualTo(1);
            timer.armAt(System.nanoTime() + 10_000_000L);
            timer.disarm();
            assertThat(LinuxSyscalls.pollReadable(timer.fd(), 100)).isFalse();
        }
    }

    @Test
    void armingAndReadingAllocateNothingOnceCompiled() throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (TimerFd timer = TimerFd.open()) {
            long deadline = System.nanoTime() + 60_000_000_000L;
            long end = System.nanoTime() + 20_000_000_000L;
            long allocated = -1;
            // The JIT compiles in the background; steady state is reached once a round allocates nothing.
            while (allocated != 0 && System.nanoTime() - end < 0) {
                long before = threads.getCurrentThreadAllocatedBytes();
                for (int i = 0; i < 1000; i++) {
                    timer.armAt(deadline + i);
                    timer.acknowledge();
                }
                allocated = threads.getCurrentThreadAllocatedBytes() - before;
            }
            assertThat(allocated).as("bytes allocated by 1000 arm + read rounds").isZero();
        }
    }
}
