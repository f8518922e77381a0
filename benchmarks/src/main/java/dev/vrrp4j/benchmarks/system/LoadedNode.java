package dev.vrrp4j.benchmarks.system;

import dev.vrrp4j.core.packet.AddressFamily;
import dev.vrrp4j.core.router.RouterConfig;
import dev.vrrp4j.netty.EventLoopPriority;
import dev.vrrp4j.netty.FailoverListener;
import dev.vrrp4j.netty.VirtualRouterSpec;
import dev.vrrp4j.netty.VrrpNode;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * One vrrp4j node in the JVM of an application that makes garbage: the subject of
 * {@code benchmarks/system/jitter.sh} (issue 6, "jitter under load"). The node runs one IPv4
 * virtual router on the interface given; {@code garbageMBps} worker threads' worth of short-lived
 * allocation (arrays of 64 B–16 KiB, a small part kept for a while so that some of it survives a
 * young collection, as request-scoped data does) runs beside it until {@code seconds} are over.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp benchmarks/target/benchmarks.jar \
 *     dev.vrrp4j.benchmarks.system.LoadedNode IFACE VRID PRIORITY INTERVAL_CENTIS VIP/PREFIX GARBAGE_MB_PER_S THREADS SECONDS
 * </pre>
 *
 * Prints {@code READY} once started, and at the end the allocation rate reached and the collector's
 * count and time, so the jitter table can say what load the node actually ran under.
 */
public final class LoadedNode {
    private static final int CHUNK_MIN = 64;
    private static final int CHUNK_MAX = 16 * 1024;
    private static final int KEPT = 4096;

    private LoadedNode() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 8 || args.length > 9) {
            System.err.println("usage: LoadedNode IFACE VRID PRIORITY INTERVAL_CENTIS VIP/PREFIX GARBAGE_MB_PER_S THREADS SECONDS [inherit|nice:N|rt:N]");
            System.exit(2);
        }
        String iface = args[0];
        int vrid = Integer.parseInt(args[1]);
        int priority = Integer.parseInt(args[2]);
        int intervalCentis = Integer.parseInt(args[3]);
        String vip = args[4];
        long bytesPerSecond = Long.parseLong(args[5]) * 1_000_000L;
        int threads = Integer.parseInt(args[6]);
        long seconds = Long.parseLong(args[7]);
        EventLoopPriority loopPriority = args.length < 9 || args[8].equals("inherit") ? EventLoopPriority.INHERIT
                : args[8].startsWith("nice:") ? EventLoopPriority.nice(Integer.parseInt(args[8].substring(5)))
                : EventLoopPriority.realtime(Integer.parseInt(args[8].substring(3)));

        RouterConfig config = RouterConfig.builder("VI_" + vrid, AddressFamily.IPV4, vrid)
                .priority(priority).advertIntervalCentis(intervalCentis).virtualAddresses(vip).build();
        VrrpNode node = VrrpNode.builder()
                .router(VirtualRouterSpec.multicast(config, iface))
                .eventLoopPriority(loopPriority)
                .listener(FailoverListener.of(event -> System.out.println("EVENT " + event)))
                .build();
        node.start();
        System.out.println("READY");

        LongAdder allocated = new LongAdder();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < threads && bytesPerSecond > 0; i++) {
            long share = bytesPerSecond / threads;
            workers.add(Thread.ofPlatform().name("garbage-" + i).daemon().start(() -> makeGarbage(share, end, allocated)));
        }
        long started = System.nanoTime();
        long gcCount0 = gcCount();
        long gcMillis0 = gcMillis();
        while (System.nanoTime() - end < 0) {
            Thread.sleep(100);
        }
        for (Thread worker : workers) {
            worker.join();
        }
        double elapsed = (System.nanoTime() - started) / 1e9;
        System.out.printf("LOAD allocated_MB_per_s=%.0f gc_count=%d gc_ms=%d collector=%s%n",
                allocated.sum() / 1e6 / elapsed, gcCount() - gcCount0, gcMillis() - gcMillis0, collectors());
        node.close();
        System.out.println("STOPPED");
    }

    /** Allocates {@code bytesPerSecond} in 10 ms slices; the array stores keep the JIT from removing it. */
    private static void makeGarbage(long bytesPerSecond, long end, LongAdder allocated) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        byte[][] kept = new byte[KEPT][];
        long slice = 10_000_000L;
        long perSlice = bytesPerSecond / 100;
        long next = System.nanoTime();
        while (System.nanoTime() - end < 0) {
            long done = 0;
            while (done < perSlice) {
                byte[] chunk = new byte[random.nextInt(CHUNK_MIN, CHUNK_MAX)];
                chunk[0] = 1;
                kept[random.nextInt(KEPT)] = chunk;
                done += chunk.length + 16;
            }
            allocated.add(done);
            next += slice;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
            }
        }
    }

    private static long gcCount() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(GarbageCollectorMXBean::getCollectionCount).sum();
    }

    private static long gcMillis() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong(GarbageCollectorMXBean::getCollectionTime).sum();
    }

    private static String collectors() {
        return String.join("+", ManagementFactory.getGarbageCollectorMXBeans().stream().map(GarbageCollectorMXBean::getName).toList())
                .replace(' ', '_');
    }
}
