package dev.vrrp4j.netty.transport;

import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Whether this JVM runs where the native layer's hard-coded C layouts hold: Linux on a 64-bit
 * (LP64) x86-64 or arm64 machine. The sizes of {@code struct msghdr}, {@code iovec},
 * {@code cmsghdr}, {@code timespec} and {@code itimerspec} are written into the code as numbers
 * (the receive path must not compute them); on another ABI they would be wrong silently, so a node
 * checks them against the platform's own C type sizes ({@link Linker#canonicalLayouts()}) before
 * its first syscall and refuses to start with a message instead. The socket, netlink and errno
 * constants the layer uses are the asm-generic ones, the same on both architectures.
 */
public final class Platform {
    /** {@code os.arch} values of the two supported architectures (x86_64 is how some JVMs say amd64). */
    private static final Set<String> ARCHITECTURES = Set.of("amd64", "x86_64", "aarch64");

    private Platform() {}

    /** Empty on a supported platform; otherwise what does not fit, for the start-up error. */
    public static Optional<String> unsupported() {
        return problem(System.getProperty("os.name", "?"), System.getProperty("os.arch", "?"),
                Linker.nativeLinker().canonicalLayouts());
    }

    /** The check itself, for any platform's description (tests run the arm64 case on x86-64). */
    static Optional<String> problem(String osName, String osArch, Map<String, MemoryLayout> cTypes) {
        String where = osName + "/" + osArch;
        if (!osName.toLowerCase(Locale.ROOT).startsWith("linux")) {
            return Optional.of("vrrp4j's native layer needs Linux; this JVM runs on " + where);
        }
        if (!ARCHITECTURES.contains(osArch.toLowerCase(Locale.ROOT))) {
            return Optional.of("vrrp4j's native layer supports x86-64 and arm64 (aarch64); this JVM runs on " + where);
        }
        long pointer = size(cTypes, "void*");
        long sizeT = size(cTypes, "size_t");
        long cInt = size(cTypes, "int");
        long cLong = size(cTypes, "long");
        if (pointer != 8 || sizeT != 8 || cInt != 4 || cLong != 8) {
            return Optional.of("vrrp4j's native layer needs an LP64 C ABI (int 4, long, size_t and pointers 8 bytes); "
                    + where + " has int " + cInt + ", long " + cLong + ", size_t " + sizeT + ", pointers " + pointer);
        }
        // struct msghdr { void *name; socklen_t namelen; struct iovec *iov; size_t iovlen;
        //                 void *control; size_t controllen; int flags; }
        long msghdr = structSize(List.of(pointer, cInt, pointer, sizeT, pointer, sizeT, cInt));
        long iovec = structSize(List.of(pointer, sizeT)); // { void *base; size_t len; }
        long cmsghdr = structSize(List.of(sizeT, cInt, cInt)); // { size_t len; int level; int type; }
        long timespec = structSize(List.of(cLong, cLong)); // { time_t sec; long nsec; }, time_t is long
        Map<String, long[]> expected = Map.of(
                "struct msghdr", new long[] {msghdr, LinuxSyscalls.MSGHDR_SIZE},
                "struct iovec", new long[] {iovec, LinuxSyscalls.IOVEC_SIZE},
                "struct cmsghdr", new long[] {cmsghdr, LinuxSyscalls.CMSGHDR_SIZE},
                "struct timespec", new long[] {timespec, TimerFd.TIMESPEC_SIZE},
                "struct itimerspec", new long[] {2 * timespec, TimerFd.ITIMERSPEC_SIZE});
        for (Map.Entry<String, long[]> layout : expected.entrySet()) {
            long actual = layout.getValue()[0];
            long assumed = layout.getValue()[1];
            if (actual != assumed) {
                return Optional.of("vrrp4j's native layer assumes " + layout.getKey() + " is " + assumed
                        + " bytes; on " + where + " it is " + actual);
            }
        }
        return Optional.empty();
    }

    private static long size(Map<String, MemoryLayout> cTypes, String type) {
        MemoryLayout layout = cTypes.get(type);
        return layout == null ? -1 : layout.byteSize();
    }

    /** A C struct of naturally aligned members of these sizes, padded to its largest member. */
    static long structSize(List<Long> memberSizes) {
        long offset = 0;
        long alignment = 1;
        for (long size : memberSizes) {
            offset = align(offset, size);
            offset += size;
            alignment = Math.max(alignment, size);
        }
        return align(offset, alignment);
    }

    private static long align(long offset, long alignment) {
        return (offset + alignment - 1) / alignment * alignment;
    }
}
