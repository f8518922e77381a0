package dev.vrrp4j.netty.transport;

import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * One re-armable timer as a descriptor ({@code timerfd_create(2)} on CLOCK_MONOTONIC), to watch for
 * readability on the event loop like the sockets. Deadlines are absolute {@link System#nanoTime()}
 * values: on Linux the JVM reads that clock from CLOCK_MONOTONIC, so they go to the kernel as they
 * are, with no conversion and no drift.
 *
 * <p>Why not the event loop's own scheduler: Netty allocates a task object per schedule, and the
 * driver re-arms its timer after every advertisement it sends (25 500 times a second with 255
 * routers at 10 ms); and Netty waits on delays of 10 ms and more with {@code epoll_wait}'s
 * millisecond timeout, which the kernel lets end late by its timer slack (0.4 ms of a 361 ms
 * Active_Down_Interval). An absolute timerfd expiry is an hrtimer: neither. Arming and reading
 * allocate nothing. Confined to one thread.
 */
public final class TimerFd implements AutoCloseable {
    private static final int TFD_TIMER_ABSTIME = 1;
    // timespec = { long sec; long nsec; }; itimerspec = { timespec it_interval; timespec it_value; } (Platform checks)
    static final long TIMESPEC_SIZE = 16;
    static final long ITIMERSPEC_SIZE = 2 * TIMESPEC_SIZE;

    private final NativeSocket descriptor;
    private final int fd;
    private final MemorySegment spec;
    private final MemorySegment expirations;

    private TimerFd(int fd) {
        this.descriptor = NativeSocket.adopt(fd, "timerfd");
        this.fd = fd;
        this.spec = descriptor.allocate(ITIMERSPEC_SIZE);
        this.expirations = descriptor.allocate(8);
    }

    /** A disarmed timer. */
    public static TimerFd open() throws NativeException {
        return new TimerFd(LinuxSyscalls.timerfdCreate());
    }

    /** The descriptor to watch for readability: readable once the deadline has passed. */
    public int fd() {
        return fd;
    }

    /**
     * Arms the timer to expire at {@code deadlineNanos} ({@link System#nanoTime()} time), replacing
     * any earlier setting. A deadline already past expires at once.
     */
    public void armAt(long deadlineNanos) throws NativeException {
        // it_value 0 would disarm; 1 ns after the clock's origin is long past, so it expires at once.
        long value = Math.max(1, deadlineNanos);
        spec.set(JAVA_LONG, 0, 0);
        spec.set(JAVA_LONG, 8, 0);
        spec.set(JAVA_LONG, TIMESPEC_SIZE, value / 1_000_000_000L);
        spec.set(JAVA_LONG, TIMESPEC_SIZE + 8, value % 1_000_000_000L);
        settime(TFD_TIMER_ABSTIME, deadlineNanos);
    }

    /** Stops the timer; a pending expiry that was not read yet stays readable until {@link #acknowledge()}. */
    public void disarm() throws NativeException {
        spec.fill((byte) 0);
        settime(0, 0);
    }

    /** Reads (and so clears) the expiry count: 0 if the timer has not expired since the last read. */
    public long acknowledge() throws NativeException {
        long result = LinuxSyscalls.read(fd, expirations);
        if (result == -1) {
            return 0;
        }
        if (result < 0) {
            throw new NativeException("read(timerfd " + fd + ")", (int) -result, RequiredCapability.NONE);
        }
        return expirations.get(JAVA_LONG, 0);
    }

    /** {@code deadlineNanos} is for the error message only, which is built only on failure. */
    private void settime(int flags, long deadlineNanos) throws NativeException {
        descriptor.ensureOpen();
        int result = LinuxSyscalls.timerfdSettime(fd, flags, spec);
        if (result < 0) {
            throw new NativeException("timerfd_settime(fd " + fd + ", "
                    + (flags == 0 ? "disarm" : "at " + deadlineNanos + " ns") + ")", -result, RequiredCapability.NONE);
        }
    }

    /** Closes the descriptor; deregister it from the event loop first. Idempotent. */
    @Override
    public void close() {
        descriptor.close();
    }

    @Override
    public String toString() {
        return descriptor.toString();
    }
}
