package dev.vrrp4j.netty.transport;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The writing end of a keepalived notify FIFO ({@code notify_fifo}, {@code vrrp_notify_fifo}),
 * opened as keepalived opens it: created with mode 0644 if nothing has that name, opened
 * read-write and non-blocking (so opening never waits for a reader, and a reader that has gone
 * never makes a write fail or block), without following a symbolic link, and refused unless what
 * was opened is a FIFO owned by this process's user (a file planted under that name is not
 * written to). A FIFO this created is removed again by {@link #close()}.
 *
 * <p>Not thread-safe; one writer.
 */
public final class NotifyFifoFile implements AutoCloseable {
    private static final int S_IFMT = 0170000;
    private static final int S_IFIFO = 0010000;

    private final Path path;
    private final boolean created;
    private final int fd;
    private boolean closed;

    private NotifyFifoFile(Path path, boolean created, int fd) {
        this.path = path;
        this.created = created;
        this.fd = fd;
    }

    /** Creates {@code path} as a FIFO unless it exists, and opens it for writing. */
    public static NotifyFifoFile open(Path path) throws IOException {
        String name = path.toString();
        boolean created = mkfifo(name, 0644);
        int fd;
        try {
            fd = LinuxSyscalls.open(name, LinuxSyscalls.O_RDWR | LinuxSyscalls.O_NONBLOCK | LinuxSyscalls.O_CLOEXEC
                    | LinuxSyscalls.O_NOFOLLOW);
        } catch (NativeException e) {
            if (created) {
                Files.deleteIfExists(path);
            }
            throw e;
        }
        NotifyFifoFile fifo = new NotifyFifoFile(path, created, fd);
        try {
            // What the descriptor refers to, not what the name refers to now: /proc resolves the fd.
            Path opened = Path.of("/proc/self/fd/" + fd);
            int mode = (Integer) Files.getAttribute(opened, "unix:mode");
            int owner = (Integer) Files.getAttribute(opened, "unix:uid");
            int self = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid", LinkOption.NOFOLLOW_LINKS);
            if ((mode & S_IFMT) != S_IFIFO || owner != self) {
                throw new IOException(name + " is not a FIFO owned by uid " + self + " (mode 0"
                        + Integer.toOctalString(mode) + ", uid " + owner + "): not writing to it");
            }
        } catch (IOException | RuntimeException e) {
            fifo.close();
            throw e;
        }
        return fifo;
    }

    public Path path() {
        return path;
    }

    /** Whether {@link #open} made the FIFO (and {@link #close()} removes it). */
    public boolean created() {
        return created;
    }

    /**
     * Writes {@code line} whole, or nothing: false when the FIFO is full (no reader is reading;
     * keepalived drops the line then too) or the write failed.
     */
    public synchronized boolean write(byte[] line) {
        if (closed) {
            return false;
        }
        try (Arena call = Arena.ofConfined()) { // a transition's line, not the hot path
            MemorySegment bytes = call.allocate(line.length);
            MemorySegment.copy(line, 0, bytes, ValueLayout.JAVA_BYTE, 0, line.length);
            // A FIFO write of at most PIPE_BUF (4096) bytes is atomic: all of it or EAGAIN.
            return write(fd, bytes) == line.length;
        }
    }

    /** Removes the FIFO if this created it (a reader still holding it open keeps reading), then closes. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (created) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                // left behind: keepalived leaves it too when unlink fails, and reuses it next time
            }
        }
        try {
            LinuxSyscalls.close(fd);
        } catch (NativeException e) {
            // closing a FIFO we opened does not fail in any way that matters here
        }
    }

    /** The calls only notify FIFOs make, linked on first use so that start-up does not pay for them. */
    private static final class FileCalls {
        static final MethodHandle MKFIFO = LinuxSyscalls.errnoCall("mkfifo", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        static final MethodHandle WRITE = LinuxSyscalls.errnoCall("write",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    }

    /** mkfifo(2); false if something of that name exists already (EEXIST). */
    private static boolean mkfifo(String path, int mode) throws NativeException {
        int result;
        try (Arena arena = Arena.ofConfined()) {
            result = (int) FileCalls.MKFIFO.invokeExact(LinuxSyscalls.capture(), arena.allocateFrom(path), mode);
        } catch (Throwable t) {
            throw LinuxSyscalls.rethrow(t);
        }
        if (result == 0) {
            return true;
        }
        int failure = LinuxSyscalls.errno();
        if (failure == Errno.EEXIST.value()) {
            return false;
        }
        throw new NativeException("mkfifo(" + path + ")", failure, RequiredCapability.NONE);
    }

    /** write(2) of all of {@code bytes}; -1 with errno set on failure (EAGAIN on a full non-blocking FIFO). */
    private static long write(int fd, MemorySegment bytes) {
        try {
            return (long) FileCalls.WRITE.invokeExact(LinuxSyscalls.capture(), fd, bytes, bytes.byteSize());
        } catch (Throwable t) {
            throw LinuxSyscalls.rethrow(t);
        }
    }
}
