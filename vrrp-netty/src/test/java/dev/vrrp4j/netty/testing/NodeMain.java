package dev.vrrp4j.netty.testing;

import dev.vrrp4j.core.packet.AddressFamily;
import dev.vrrp4j.core.packet.HmacKey;
import dev.vrrp4j.core.packet.HmacSettings;
import dev.vrrp4j.core.router.RouterConfig;
import dev.vrrp4j.core.router.VirtualAddress;
import dev.vrrp4j.netty.AnnounceSettings;
import dev.vrrp4j.netty.FailoverListener;
import dev.vrrp4j.netty.HealthCheck;
import dev.vrrp4j.netty.RouterEvent;
import dev.vrrp4j.netty.SplitBrainEvent;
import dev.vrrp4j.netty.TrackedCheck;
import dev.vrrp4j.netty.VirtualRouterSpec;
import dev.vrrp4j.netty.VrrpNode;
import dev.vrrp4j.netty.GroupEvent;
import dev.vrrp4j.netty.RouterStatus;
import dev.vrrp4j.netty.VrrpStartException;
import dev.vrrp4j.netty.keepalived.KeepalivedConf;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A vrrp4j node as its own process, for the namespace tests: {@code kill -9} needs a process to
 * kill. Each argument describes one router:
 * {@code name=VI_1,family=ipv4,vrid=51,priority=200,interval=100,vips=192.0.2.100/24,preempt=true,peers=192.0.2.11+192.0.2.12,src=192.0.2.10,dev=eth0}
 * (plus {@code version=2,auth=secret} for a VRRPv2 router, whose interval is then whole seconds in centiseconds;
 * and {@code hmac=1:hex:0011…+2:passphrase,hmacActive=1,hmacMode=enforce,hmacWindow=5,hmacReplay=time} for
 * auth_hmac, keys as keepalived's {@code key ID VALUE}, the rest defaulting as in keepalived).
 * A router may track a health check that fails every other run, for the chaos tests:
 * {@code check=flap:<periodMs>,rise=2,fall=2,weight=-150} (rise, fall and weight default to 1, 1 and
 * 0); the node prints {@code CHECK <router> ok|fail} per run.
 *
 * <p>{@code conf=<keepalived.conf>} instead of router arguments runs the node that file describes
 * ({@code KeepalivedConf}), as {@code bin/vrrp4j} would.
 *
 * <p>One argument is for the node rather than a router: {@code garbage=<MB/s>} runs an
 * allocation-heavy workload on two other threads of the same JVM (a loaded application), and on
 * SIGTERM prints {@code GARBAGE <MB allocated> MB, GC <collections> collections, <ms> ms}.
 *
 * <p>Prints {@code STARTED}, then {@code EVENT <name> <from> <to> <reason>} per transition (keepalived
 * state names), {@code SPLITBRAIN <name> <kind> <other address or MAC> <other priority> <kept|yielded>}
 * per split-brain episode, and on SIGTERM leaves gracefully and prints {@code COUNTERS <name> <counters>},
 * {@code NODE-DROPS {REASON=n, ...}} (drops no router could be blamed for: unknown VRIDs, unreadable
 * packets) and {@code STOPPED}. If the node cannot start it prints {@code FAILED <message>}, for a
 * {@link VrrpStartException} {@code FAILURE <class> call=<call> errno=<name> capability=<CAP_...|->}, and the
 * stack trace, and exits with status 1.
 */
public final class NodeMain {
    private NodeMain() {}

    public static void main(String[] args) throws Exception {
        VrrpNode.Builder builder = VrrpNode.builder();
        GarbageWorkload garbage = null;
        Path conf = null;
        for (String arg : args) {
            if (arg.startsWith("garbage=")) {
                garbage = new GarbageWorkload(Integer.parseInt(arg.substring("garbage=".length())));
                continue;
            }
            if (arg.startsWith("conf=")) {
                conf = Path.of(arg.substring("conf=".length()));
                continue;
            }
            builder.router(parse(arg));
        }
        GarbageWorkload workload = garbage;
        FailoverListener listener = FailoverListener.of(event -> {
            switch (event) {
                case RouterEvent change -> print(change);
                case SplitBrainEvent splitBrain -> print(splitBrain);
                case GroupEvent ignored -> { }
            }
        });
        VrrpNode node;
        if (conf != null) {
            node = KeepalivedConf.load(conf).toNode(warning -> System.out.println("WARNING " + warning));
            node.addListener(listener, Runnable::run);
        } else {
            builder.listener(listener);
            node = builder.build();
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            for (RouterStatus router : node.status().routers()) {
                System.out.println("COUNTERS " + router.name() + " sent=" + router.advertsSent() + " received="
                        + router.advertsReceived() + " transitions=" + router.transitions() + " splitBrain="
                        + router.splitBrainEpisodes() + " addressConflicts=" + router.addressConflictEpisodes()
                        + " restored=" + router.addressesRestored() + " drops=" + new TreeMap<>(router.drops()));
            }
            if (workload != null) {
                System.out.println(workload.report());
            }
            try {
                System.out.println("NODE-DROPS " + new TreeMap<>(node.status().unattributedDrops()));
            } catch (RuntimeException e) {
                System.out.println("NODE-DROPS unavailable: " + e);
            }
            System.out.println("STOPPED");
            System.out.flush();
            stopped.countDown();
            // A graceful leave is a success: exit 0 rather than the JVM's 143 for SIGTERM.
            Runtime.getRuntime().halt(0);
        }));
        try {
            node.start();
        } catch (Exception e) {
            // Exit non-zero, and without the shutdown hook, whose graceful leave would exit 0.
            System.out.println("FAILED " + e.getMessage());
            if (e instanceof VrrpStartException start) {
                System.out.println("FAILURE " + start.getClass().getName() + " call=" + start.call() + " errno="
                        + start.errnoName().orElse("-") + " capability=" + start.missingCapability().orElse("-"));
            }
            e.printStackTrace(System.out);
            System.out.flush();
            Runtime.getRuntime().halt(1);
        }
        System.out.println("STARTED");
        System.out.flush();
        if (workload != null) {
            workload.start();
        }
        stopped.await();
    }

    private static synchronized void print(RouterEvent event) {
        System.out.println("EVENT " + event.routerName() + " " + event.from().keepalivedName() + " "
                + event.to().keepalivedName() + " " + event.reason().text().replace(' ', '_'));
        System.out.flush();
    }

    private static synchronized void print(SplitBrainEvent event) {
        System.out.println("SPLITBRAIN " + event.routerName() + " " + event.kind() + " " + event.other() + " "
                + event.otherPriority() + " " + (event.yielding() ? "yielded" : "kept"));
        System.out.flush();
    }

    static VirtualRouterSpec parse(String arg) {
        Map<String, String> fields = new HashMap<>();
        for (String part : arg.split(",")) {
            String[] kv = part.split("=", 2);
            fields.put(kv[0], kv[1]);
        }
        AddressFamily family = AddressFamily.valueOf(fields.getOrDefault("family", "ipv4").toUpperCase());
        RouterConfig config = RouterConfig.builder(fields.getOrDefault("name", "VI_1"), family,
                        Integer.parseInt(fields.getOrDefault("vrid", "51")))
                .priority(Integer.parseInt(fields.getOrDefault("priority", "100")))
                .advertIntervalCentis(Integer.parseInt(fields.getOrDefault("interval", "100")))
                .preempt(Boolean.parseBoolean(fields.getOrDefault("preempt", "true")))
                .virtualAddresses(fields.getOrDefault("vips", "192.0.2.100/24").split("\\+"))
                .version(Integer.parseInt(fields.getOrDefault("version", "3")))
                .authPassword(fields.getOrDefault("auth", ""))
                .build();
        List<InetAddress> peers = fields.containsKey("peers")
                ? Arrays.stream(fields.get("peers").split("\\+")).map(VirtualAddress::parseLiteral).toList()
                : List.of();
        InetAddress source = fields.containsKey("src") ? VirtualAddress.parseLiteral(fields.get("src")) : null;
        // Tests look for the first burst only; a second burst 5 s later would blur the captures.
        // lowerprio: announcements after a lower-priority claim; arpgap: microseconds between GARPs.
        Duration arpGap = Duration.ofNanos(Long.parseLong(fields.getOrDefault("arpgap", "0")) * 1_000);
        AnnounceSettings announce = new AnnounceSettings(Integer.parseInt(fields.getOrDefault("garp", "3")),
                Duration.ZERO, Duration.ZERO).afterLowerPriority(Integer.parseInt(fields.getOrDefault("lowerprio", "0")),
                Duration.ZERO).withIntervals(arpGap, arpGap);
        VirtualRouterSpec spec = VirtualRouterSpec.builder(config, fields.getOrDefault("dev", "eth0")).sourceAddress(source)
                .unicastPeers(peers).announce(announce).authHmac(hmac(fields, config)).build();
        if (fields.containsKey("check")) {
            spec = spec.withCheck(check(config.name(), fields));
        }
        return spec;
    }

    /** {@code hmac=ID:VALUE+ID:VALUE} and its companions, or null without {@code hmac}. */
    private static HmacSettings hmac(Map<String, String> fields, RouterConfig config) {
        if (!fields.containsKey("hmac")) {
            return null;
        }
        List<HmacKey> keys = Arrays.stream(fields.get("hmac").split("\\+")).map(key -> {
            int colon = key.indexOf(':');
            return HmacKey.parse(Integer.parseInt(key.substring(0, colon)), key.substring(colon + 1));
        }).toList();
        int active = Integer.parseInt(fields.getOrDefault("hmacActive", String.valueOf(keys.getFirst().id())));
        HmacSettings.AntiReplay replay = HmacSettings.AntiReplay.valueOf(fields.getOrDefault("hmacReplay", "time")
                .toUpperCase());
        int window = fields.containsKey("hmacWindow") ? Integer.parseInt(fields.get("hmacWindow"))
                : HmacSettings.defaultTimeWindowSeconds(config.advertIntervalCentis());
        HmacSettings.Mode mode = HmacSettings.Mode.valueOf(fields.getOrDefault("hmacMode", "enforce").toUpperCase()
                .replace('-', '_'));
        return new HmacSettings(keys, active, replay, window, mode);
    }

    /** {@code check=flap:<periodMs>}: passes, fails, passes, ... one result per period. */
    private static TrackedCheck check(String router, Map<String, String> fields) {
        String check = fields.get("check");
        if (!check.startsWith("flap:")) {
            throw new IllegalArgumentException("check " + check + ": expected flap:<periodMs>");
        }
        Duration period = Duration.ofMillis(Long.parseLong(check.substring("flap:".length())));
        AtomicLong runs = new AtomicLong();
        HealthCheck flapping = HealthCheck.of(() -> {
            boolean ok = runs.getAndIncrement() % 2 == 0;
            System.out.println("CHECK " + router + " " + (ok ? "ok" : "fail"));
            System.out.flush();
            return ok;
        });
        return TrackedCheck.of("flap", flapping).withInterval(period, period)
                .withRiseFall(Integer.parseInt(fields.getOrDefault("rise", "1")),
                        Integer.parseInt(fields.getOrDefault("fall", "1")))
                .withWeight(Integer.parseInt(fields.getOrDefault("weight", "0")));
    }

    /**
     * Allocates {@code megabytesPerSecond} on two threads, in 64 KiB arrays of which the last 16 MiB
     * stay reachable: young collections all the time, and old-generation ones as survivors are
     * promoted, in a 64 MiB heap.
     */
    private static final class GarbageWorkload {
        private static final int CHUNK = 64 * 1024;
        private static final int RETAINED = 256; // 16 MiB
        private final int megabytesPerSecond;
        private final AtomicLong allocatedBytes = new AtomicLong();

        GarbageWorkload(int megabytesPerSecond) {
            this.megabytesPerSecond = megabytesPerSecond;
        }

        void start() {
            for (int t = 0; t < 2; t++) {
                Thread.ofPlatform().daemon().name("garbage-" + t).start(this::run);
            }
        }

        private void run() {
            byte[][] retained = new byte[RETAINED / 2][];
            long bytesPerSlot = megabytesPerSecond * 1024L * 1024 / 2 / 100; // per thread, per 10 ms
            long next = System.nanoTime();
            int index = 0;
            while (true) {
                for (long done = 0; done < bytesPerSlot; done += CHUNK) {
                    byte[] chunk = new byte[CHUNK];
                    chunk[index % CHUNK] = (byte) index;
                    retained[index++ % retained.length] = chunk;
                }
                allocatedBytes.addAndGet(bytesPerSlot);
                next += 10_000_000;
                long sleep = next - System.nanoTime();
                if (sleep > 0) {
                    LockSupport.parkNanos(sleep);
                }
            }
        }

        String report() {
            long collections = 0;
            long millis = 0;
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                collections += Math.max(0, gc.getCollectionCount());
                millis += Math.max(0, gc.getCollectionTime());
            }
            return "GARBAGE " + allocatedBytes.get() / (1024 * 1024) + " MB, GC " + collections + " collections, "
                    + millis + " ms";
        }
    }
}
