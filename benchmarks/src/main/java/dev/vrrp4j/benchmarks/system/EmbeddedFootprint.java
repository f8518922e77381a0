package dev.vrrp4j.benchmarks.system;

import dev.vrrp4j.core.packet.AddressFamily;
import dev.vrrp4j.core.router.RouterConfig;
import dev.vrrp4j.core.router.State;
import dev.vrrp4j.netty.VirtualRouterSpec;
import dev.vrrp4j.netty.VrrpNode;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * What embedding vrrp4j costs an application: the subject of {@code benchmarks/system/embedded.sh}
 * (issue 15, "Embedded use"). The "application" is a plain JVM with one worker thread of its own
 * (standing in for the code it runs anyway); with {@code ROUTERS > 0} it also builds and starts a
 * {@link VrrpNode} with that many IPv4 virtual routers on {@code IFACE} (VRIDs 1..ROUTERS, a
 * listener on the application's executor, as NginxFailover has) and waits until every router is
 * Backup. The script measures RSS and threads from outside; this prints, after {@code SECONDS}:
 *
 * <pre>
 * start_ms=N      VrrpNode.builder() .. all routers Backup (0 without a node)
 * main_ms=N       JVM start (its uptime at main) .. main entered
 * heap_live_kb=N  heap used after a full collection
 * heap_committed_kb=N
 * nonheap_kb=N    metaspace, code cache and the class space, committed
 * threads=N       live Java threads (the JVM's own native ones are not Java threads)
 * </pre>
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp benchmarks/target/benchmarks.jar \
 *     dev.vrrp4j.benchmarks.system.EmbeddedFootprint IFACE ROUTERS INTERVAL_CENTIS SECONDS
 * </pre>
 */
public final class EmbeddedFootprint {
    private EmbeddedFootprint() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: EmbeddedFootprint IFACE ROUTERS INTERVAL_CENTIS SECONDS");
            System.exit(2);
        }
        long mainMillis = ManagementFactory.getRuntimeMXBean().getUptime();
        String iface = args[0];
        int routers = Integer.parseInt(args[1]);
        int intervalCentis = Integer.parseInt(args[2]);
        long seconds = Long.parseLong(args[3]);

        ExecutorService app = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("app").daemon(true).factory());
        app.submit(() -> { }).get(); // the application's own thread exists with or without vrrp4j

        long startMillis = 0;
        VrrpNode node = null;
        if (routers > 0) {
            long begin = System.nanoTime();
            VrrpNode.Builder builder = VrrpNode.builder();
            for (int vrid = 1; vrid <= routers; vrid++) {
                RouterConfig config = RouterConfig.builder("VI_" + vrid, AddressFamily.IPV4, vrid)
                        .priority(100).advertIntervalCentis(intervalCentis)
                        .virtualAddresses("198.51.100." + vrid + "/24").build();
                builder.router(VirtualRouterSpec.multicast(config, iface));
            }
            List<String> events = java.util.Collections.synchronizedList(new ArrayList<>());
            builder.listener(new dev.vrrp4j.netty.FailoverListener() { // what an application reacts with
                @Override
                public void onBackup(dev.vrrp4j.netty.RouterEvent e) {
                    events.add(e.routerName());
                }
            }, app);
            node = builder.build();
            node.start();
            for (int vrid = 1; vrid <= routers; vrid++) {
                if (!node.awaitState("VI_" + vrid, State.BACKUP, Duration.ofSeconds(10))) {
                    throw new IllegalStateException("VI_" + vrid + " did not become Backup");
                }
            }
            startMillis = (System.nanoTime() - begin) / 1_000_000;
        }

        Thread.sleep(Math.max(0, seconds * 1000 - ManagementFactory.getRuntimeMXBean().getUptime()));
        System.gc();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        List<String> lines = new ArrayList<>();
        lines.add("start_ms=" + startMillis);
        lines.add("main_ms=" + mainMillis);
        lines.add("heap_live_kb=" + memory.getHeapMemoryUsage().getUsed() / 1024);
        lines.add("heap_committed_kb=" + memory.getHeapMemoryUsage().getCommitted() / 1024);
        lines.add("nonheap_kb=" + memory.getNonHeapMemoryUsage().getCommitted() / 1024);
        lines.add("threads=" + Thread.getAllStackTraces().size());
        System.out.println(String.join("\n", lines));
        System.out.println("MEASURED"); // the script reads RSS and tasks now, before the node closes
        System.out.flush();
        Thread.sleep(2000);
        if (node != null) {
            node.close();
        }
    }
}
