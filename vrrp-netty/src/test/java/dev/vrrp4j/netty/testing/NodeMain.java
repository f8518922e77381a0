package dev.vrrp4j.netty.testing;

import dev.vrrp4j.core.packet.AddressFamily;
import dev.vrrp4j.core.router.RouterConfig;
import dev.vrrp4j.core.router.VirtualAddress;
import dev.vrrp4j.netty.AnnounceSettings;
import dev.vrrp4j.netty.FailoverListener;
import dev.vrrp4j.netty.RouterEvent;
import dev.vrrp4j.netty.SplitBrainEvent;
import dev.vrrp4j.netty.VirtualRouterSpec;
import dev.vrrp4j.netty.VrrpNode;
import dev.vrrp4j.netty.driver.RouterView;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;

/**
 * A vrrp4j node as its own process, for the namespace tests: {@code kill -9} needs a process to
 * kill. Each argument describes one router:
 * {@code name=VI_1,family=ipv4,vrid=51,priority=200,interval=100,vips=192.0.2.100/24,preempt=true,peers=192.0.2.11+192.0.2.12,src=192.0.2.10,dev=eth0}
 * (plus {@code version=2,auth=secret} for a VRRPv2 router, whose interval is then whole seconds in centiseconds).
 *
 * <p>Prints {@code STARTED}, then {@code EVENT <name> <from> <to> <reason>} per transition (keepalived
 * state names), {@code SPLITBRAIN <name> <kind> <other address or MAC> <other priority> <kept|yielded>}
 * per split-brain episode, and on SIGTERM leaves gracefully and prints {@code COUNTERS <name> <counters>},
 * {@code NODE-DROPS {REASON=n, ...}} (drops no router could be blamed for: unknown VRIDs, unreadable
 * packets) and {@code STOPPED}. If the node cannot start it prints {@code FAILED <message>} and the
 * stack trace, and exits with status 1.
 */
public final class NodeMain {
    private NodeMain() {}

    public static void main(String[] args) throws Exception {
        VrrpNode.Builder builder = VrrpNode.builder();
        for (String arg : args) {
            builder.router(parse(arg));
        }
        FailoverListener events = FailoverListener.of(NodeMain::print);
        builder.listener(new FailoverListener() {
            @Override public void onActive(RouterEvent e) { events.onActive(e); }
            @Override public void onBackup(RouterEvent e) { events.onBackup(e); }
            @Override public void onFault(RouterEvent e) { events.onFault(e); }
            @Override public void onStopped(RouterEvent e) { events.onStopped(e); }
            @Override public void onSplitBrain(SplitBrainEvent e) { print(e); }
        });
        VrrpNode node = builder.build();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            for (RouterView router : node.routers()) {
                System.out.println("COUNTERS " + router.config().name() + " " + router.counters());
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
            e.printStackTrace(System.out);
            System.out.flush();
            Runtime.getRuntime().halt(1);
        }
        System.out.println("STARTED");
        System.out.flush();
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
        AnnounceSettings announce = new AnnounceSettings(Integer.parseInt(fields.getOrDefault("garp", "3")),
                Duration.ZERO, Duration.ZERO);
        return new VirtualRouterSpec(config, fields.getOrDefault("dev", "eth0"), source, peers, announce);
    }
}
