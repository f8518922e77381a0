package dev.vrrp4j.netty.transport;

import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.unix.FileDescriptor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches a descriptor this package opened (a VRRP receive socket, a {@link LinkMonitor}) for
 * readability on a Netty epoll event loop, through Netty 4.2's {@link IoEventLoop#register} with an
 * {@link EpollIoHandle}, and runs a callback on the loop thread when it is readable. The loop must
 * come from a {@code MultiThreadIoEventLoopGroup(EpollIoHandler.newFactory())}.
 *
 * <p>The descriptor is watched level-triggered (EPOLLIN without EPOLLET): the callback is called
 * again on the next loop iteration while data remains, so a callback that reads a bounded batch
 * (to stay fair to timers) loses nothing. The callback also runs on EPOLLERR, so that its next
 * read reports the socket's error. Exceptions from the callback are logged, never propagated into
 * the loop.
 *
 * <p>The registration does not own the descriptor: {@link #cancel()} first, and close the socket
 * when the returned future completes (the kernel reuses descriptor numbers, and Netty deletes the
 * registration from epoll by number).
 */
public final class EpollReadinessRegistration {
    private static final Logger log = LoggerFactory.getLogger(EpollReadinessRegistration.class);

    private final IoEventLoop loop;
    private final int fd;
    private final Runnable onReadable;
    private final Handle handle;
    // Set and read on the loop thread only; callers get this object once it is set.
    private IoRegistration registration;

    private EpollReadinessRegistration(IoEventLoop loop, int fd, Runnable onReadable) {
        this.loop = loop;
        this.fd = fd;
        this.onReadable = onReadable;
        this.handle = new Handle(fd); // after fd is assigned: a field initializer would see 0
    }

    /**
     * Registers {@code fd} on {@code loop}; {@code onReadable} runs on the loop thread whenever it
     * is readable. The future completes once the descriptor is in the loop's epoll set.
     */
    public static Future<EpollReadinessRegistration> register(IoEventLoop loop, int fd, Runnable onReadable) {
        if (fd < 0) {
            throw new IllegalArgumentException("fd " + fd + " out of range 0.." + Integer.MAX_VALUE);
        }
        if (!loop.isCompatible(Handle.class)) {
            throw new IllegalArgumentException("event loop " + loop + " is not an epoll loop; create its group with"
                    + " new MultiThreadIoEventLoopGroup(EpollIoHandler.newFactory())");
        }
        EpollReadinessRegistration result = new EpollReadinessRegistration(loop, fd, onReadable);
        Promise<EpollReadinessRegistration> promise = loop.newPromise();
        loop.register(result.handle).addListener(future -> {
            if (!future.isSuccess()) {
                promise.setFailure(future.cause());
                return;
            }
            IoRegistration registration = (IoRegistration) future.getNow();
            try {
                registration.submit(EpollIoOps.EPOLLIN); // EPOLL_CTL_ADD
                result.registration = registration;
                promise.setSuccess(result);
            } catch (RuntimeException e) {
                registration.cancel();
                promise.setFailure(e);
            }
        });
        return promise;
    }

    /** The watched descriptor. */
    public int fd() {
        return fd;
    }

    /**
     * Stops watching the descriptor. The future completes on the loop thread once it is out of
     * the epoll set; close the descriptor after that. Idempotent.
     */
    public Future<Void> cancel() {
        Promise<Void> done = loop.newPromise();
        Runnable task = () -> {
            registration.cancel(); // on the loop thread, EPOLL_CTL_DEL happens right here; idempotent
            done.setSuccess(null);
        };
        if (loop.inEventLoop()) {
            task.run();
        } else {
            loop.execute(task);
        }
        return done;
    }

    @Override
    public String toString() {
        return "EpollReadinessRegistration[fd " + fd + " on " + loop + "]";
    }

    private final class Handle implements EpollIoHandle {
        private final FileDescriptor descriptor;

        Handle(int fd) {
            this.descriptor = new FileDescriptor(fd);
        }

        @Override
        public FileDescriptor fd() {
            return descriptor;
        }

        @Override
        public void handle(IoRegistration registration, IoEvent event) {
            try {
                onReadable.run();
            } catch (Throwable t) {
                log.warn("readiness callback for fd {} failed", fd, t);
            }
        }

        @Override
        public void close() {
            // Called when the loop shuts down; the descriptor belongs to its socket, which closes it.
        }
    }
}
