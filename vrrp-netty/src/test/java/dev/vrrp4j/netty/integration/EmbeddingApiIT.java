package dev.vrrp4j.netty.integration;

import dev.vrrp4j.core.packet.AddressFamily;
import dev.vrrp4j.core.router.RouterConfig;
import dev.vrrp4j.core.router.State;
import dev.vrrp4j.netty.AnnounceSettings;
import dev.vrrp4j.netty.FailoverListener;
import dev.vrrp4j.netty.GroupEvent;
import dev.vrrp4j.netty.HealthCheck;
import dev.vrrp4j.netty.ListenerRegistration;
import dev.vrrp4j.netty.NodeStatus;
import dev.vrrp4j.netty.RouterEvent;
import dev.vrrp4j.netty.SyncGroup;
import dev.vrrp4j.netty.TrackedCheck;
import dev.vrrp4j.netty.VirtualRouterSpec;
import dev.vrrp4j.netty.VrrpNode;
import dev.vrrp4j.netty.VrrpStartException;
import dev.vrrp4j.netty.testing.LanExtension;
import dev.vrrp4j.netty.testing.NetnsLan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embedding API with nodes running inside this JVM, each started from a thread that entered a
 * host's network namespace (its sockets stay there): listener order and failures, health-check
 * weights and Fault, sync groups, tracked interfaces, status.
 */
class EmbeddingApiIT {
    private static final Duration CHECK_INTERVAL = Duration.ofMillis(100);
    /** RFC 9568 §6.1 at a 100 ms interval for priority 100: 300 ms + 156/256 * 100 ms. */
    private static final long DOWN_100_MS = 361;
    private static final long ALLOWANCE_MS = 250;

    @RegisterExtension
    final LanExtension bed = new LanExtension(2);

    /** Records every event a listener hears, and can be told to misbehave. */
    static final class Recorder implements FailoverListener {
        final List<String> events = new CopyOnWriteArrayList<>();
        volatile boolean throwOnBackup;
        volatile long sleepOnActiveMillis;

        private void record(RouterEvent e) {
            events.add(e.routerName() + " " + e.to() + " " + e.reason().text());
        }

        @Override
        public void onGroupChange(GroupEvent e) {
            events.add(e.groupName() + " " + e.to() + " " + e.reason().text());
        }

        @Override
        public void onActive(RouterEvent e) {
            record(e);
            if (sleepOnActiveMillis > 0) {
                try {
                    Thread.sleep(sleepOnActiveMillis);
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public void onBackup(RouterEvent e) {
            record(e);
            if (throwOnBackup) {
                throw new IllegalStateException("listener bug");
            }
        }

        @Override
        public void onFault(RouterEvent e) {
            record(e);
        }

        @Override
        public void onStopped(RouterEvent e) {
            record(e);
        }

        boolean saw(String event) {
            return events.contains(event);
        }
    }

    private static RouterConfig config(String name, int vrid, int priority, String vip) {
        return RouterConfig.builder(name, AddressFamily.IPV4, vrid).priority(priority).advertIntervalCentis(10)
                .virtualAddresses(vip + "/24").build();
    }

    private static VirtualRouterSpec spec(RouterConfig config) {
        return VirtualRouterSpec.builder(config, "eth0").announce(new AnnounceSettings(1, Duration.ZERO, Duration.ZERO))
                .build();
    }

    private VrrpNode start(int host, VrrpNode.Builder builder) throws Exception {
        VrrpNode node = bed.track(builder.build());
        bed.lan().runIn(bed.host(host), () -> {
            node.start();
            return null;
        });
        return node;
    }

    private boolean holds(int host, String vip) {
        return bed.lan().ipAddr(bed.host(host)).contains(" " + vip + "/24");
    }

    /** Waits on the node's transitions (no polling) and fails naming what did not happen. */
    private static void awaitState(VrrpNode node, String router, State state, Duration timeout, String what)
            throws InterruptedException {
        if (!node.awaitState(router, state, timeout)) {
            throw new AssertionError("timed out after " + timeout + " waiting for " + what + " (" + router + " is "
                    + node.status().router(router).state() + ")");
        }
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(5);
        }
    }

    @Test
    void listenersHearEveryTransitionInOrderAndNeitherAThrowingNorASlowListenerStopsTheProtocol() throws Exception {
        Recorder recorder = new Recorder();
        recorder.throwOnBackup = true;
        recorder.sleepOnActiveMillis = 1_500;
        VrrpNode a = start(0, VrrpNode.builder().router(spec(config("VI_1", 51, 200, "192.0.2.100")))
                .listener(recorder));
        awaitState(a, "VI_1", State.ACTIVE, Duration.ofSeconds(5), "A Active");
        // The listener is asleep in onActive; the protocol is not: adverts keep coming every 100 ms.
        Thread.sleep(1_000);
        long advertsWhileListenerSlept = bed.wire().advertsFrom(NetnsLan.ipv4(0).getHostAddress()).size();
        assertThat(advertsWhileListenerSlept).isGreaterThanOrEqualTo(8);

        a.close();
        assertThat(recorder.events).containsExactly("VI_1 BACKUP startup", "VI_1 ACTIVE advert timeout",
                "VI_1 INITIALIZE shutdown");
        assertThat(a.status().listenerFailures()).isEqualTo(1); // onBackup threw once; nothing else changed
        assertThat(holds(0, "192.0.2.100")).isFalse();
        assertThat(bed.wire().advertsFrom(NetnsLan.ipv4(0).getHostAddress()).getLast().priority()).isZero();
    }

    @Test
    void aFailingWeightedCheckHandsTheVipOverAndItsRecoveryTakesItBack() throws Exception {
        AtomicBoolean aHealthy = new AtomicBoolean(true);
        TrackedCheck check = TrackedCheck.of("chk_app", HealthCheck.of(aHealthy::get))
                .withInterval(CHECK_INTERVAL, CHECK_INTERVAL).withRiseFall(2, 2).withWeight(-150);
        VrrpNode a = start(0, VrrpNode.builder().router(spec(config("VI_1", 51, 200, "192.0.2.100")).withCheck(check)));
        VrrpNode b = start(1, VrrpNode.builder().router(spec(config("VI_1", 51, 100, "192.0.2.100"))));
        awaitState(a, "VI_1", State.ACTIVE, Duration.ofSeconds(5), "A Active");
        awaitState(b, "VI_1", State.BACKUP, Duration.ofSeconds(5), "B Backup");
        assertThat(a.status().router("VI_1").priority()).isEqualTo(200);

        long failedAt = System.nanoTime();
        aHealthy.set(false);
        awaitState(b, "VI_1", State.ACTIVE, Duration.ofSeconds(3), "B Active");
        long takeoverMs = (System.nanoTime() - failedAt) / 1_000_000;
        awaitState(a, "VI_1", State.BACKUP, Duration.ofSeconds(1), "A Backup");
        long bound = 2 * CHECK_INTERVAL.toMillis() + CHECK_INTERVAL.toMillis() + DOWN_100_MS + ALLOWANCE_MS;
        System.out.printf("check failure -> takeover: %d ms (bound: fall x interval + one check + Active_Down_Interval"
                + " + allowance = %d ms)%n", takeoverMs, bound);
        assertThat(takeoverMs).isLessThanOrEqualTo(bound);
        NodeStatus status = a.status();
        assertThat(status.router("VI_1").priority()).isEqualTo(50);
        assertThat(status.router("VI_1").configuredPriority()).isEqualTo(200);
        assertThat(status.router("VI_1").activeAddress()).isEqualTo(NetnsLan.ipv4(1));
        assertThat(holds(1, "192.0.2.100")).isTrue();
        assertThat(holds(0, "192.0.2.100")).isFalse();

        long recoveredAt = System.nanoTime();
        aHealthy.set(true);
        awaitState(a, "VI_1", State.ACTIVE, Duration.ofSeconds(3), "A Active again");
        long backMs = (System.nanoTime() - recoveredAt) / 1_000_000;
        System.out.printf("check recovery -> preemption: %d ms%n", backMs);
        assertThat(backMs).isLessThanOrEqualTo(3 * CHECK_INTERVAL.toMillis() + DOWN_100_MS + ALLOWANCE_MS);
        awaitState(b, "VI_1", State.BACKUP, Duration.ofSeconds(1), "B Backup again");
        assertThat(holds(0, "192.0.2.100")).isTrue();
        assertThat(a.status().router("VI_1").priority()).isEqualTo(200);
    }

    @Test
    void stoppingNginxOnTheActiveFailsItsHttpCheckAndHandsTheVipOver() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("v4j-nginx-");
        try {
            java.nio.file.Path conf = dir.resolve("nginx.conf");
            java.nio.file.Files.writeString(conf, """
                    daemon on;
                    pid %1$s/nginx.pid;
                    error_log %1$s/error.log;
                    events { worker_connections 16; }
                    http {
                        access_log off;
                        client_body_temp_path %1$s/body; proxy_temp_path %1$s/proxy;
                        fastcgi_temp_path %1$s/fastcgi; uwsgi_temp_path %1$s/uwsgi; scgi_temp_path %1$s/scgi;
                        server { listen 127.0.0.1:8080; location / { return 200 "ok\n"; } }
                    }
                    """.formatted(dir));
            String ns = bed.host(0);
            bed.lan().exec(ns, "ip", "link", "set", "lo", "up");
            bed.lan().exec(ns, "nginx", "-c", conf.toString());
            TrackedCheck http = TrackedCheck.of("chk_nginx",
                            HealthCheck.http(java.net.URI.create("http://127.0.0.1:8080/")))
                    .withInterval(CHECK_INTERVAL, CHECK_INTERVAL).withRiseFall(2, 2).withWeight(-150);
            VrrpNode a = start(0, VrrpNode.builder()
                    .router(spec(config("VI_1", 51, 200, "192.0.2.100")).withCheck(http)));
            VrrpNode b = start(1, VrrpNode.builder().router(spec(config("VI_1", 51, 100, "192.0.2.100"))));
            awaitState(a, "VI_1", State.ACTIVE, Duration.ofSeconds(5), "A Active");
            awaitState(b, "VI_1", State.BACKUP, Duration.ofSeconds(5), "B Backup");
            Thread.sleep(4 * CHECK_INTERVAL.toMillis()); // the check has passed a few times: priority stays 200
            assertThat(a.status().router("VI_1").priority()).isEqualTo(200);

            long stoppedAt = System.nanoTime();
            bed.lan().exec(ns, "nginx", "-c", conf.toString(), "-s", "stop");
            awaitState(b, "VI_1", State.ACTIVE, Duration.ofSeconds(3), "B Active");
            long takeoverMs = (System.nanoTime() - stoppedAt) / 1_000_000;
            long bound = 3 * CHECK_INTERVAL.toMillis() + DOWN_100_MS + ALLOWANCE_MS;
            System.out.printf("nginx stopped -> takeover: %d ms (bound %d ms)%n", takeoverMs, bound);
            assertThat(takeoverMs).isLessThanOrEqualTo(bound);
            assertThat(holds(1, "192.0.2.100")).isTrue();

            bed.lan().exec(ns, "nginx", "-c", conf.toString());
            // Nginx answering again is nginx's business; only then is vrrp4j's part timed.
            await("nginx answering again", Duration.ofSeconds(10), () -> {
                try {
                    return bed.lan().exec(ns, "curl", "-s", "-m", "1", "http://127.0.0.1:8080/").contains("ok");
                } catch (AssertionError notYet) {
                    return false;
                }
            });
            awaitState(a, "VI_1", State.ACTIVE, Duration.ofSeconds(5), "A Active again");
            assertThat(holds(0, "192.0.2.100")).isTrue();
        } finally {
            java.nio.file.Path pid = dir.resolve("nginx.pid");
            if (java.nio.file.Files.exists(pid)) {
                new ProcessBuilder("kill", "-TERM", java.nio.file.Files.readString(pid).trim()).start().waitFor();
                Thread.sleep(200);
            }
            try (var files = java.nio.file.Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    @Test
    void aSyncGroupMovesTogetherWhenOneMemberFaults() throws Exception {
        AtomicBoolean required = new AtomicBoolean(true);
        TrackedCheck check = TrackedCheck.of("chk_required", HealthCheck.of(required::get))
                .withInterval(CHECK_INTERVAL, CHECK_INTERVAL); // weight 0: failing means Fault
        Recorder groupA = new Recorder();
        Recorder groupB = new Recorder();
        VrrpNode a = start(0, VrrpNode.builder()
                .router(spec(config("VI_1", 51, 200, "192.0.2.100")).withCheck(check))
                .router(spec(config("VI_2", 52, 200, "192.0.2.200")))
                .syncGroup(new SyncGroup("VG_1", List.of("VI_1", "VI_2")), groupA));
        VrrpNode b = start(1, VrrpNode.builder()
                .router(spec(config("VI_1", 51, 100, "192.0.2.100")))
                .router(spec(config("VI_2", 52, 100, "192.0.2.200")))
                .syncGroup(new SyncGroup("VG_1", List.of("VI_1", "VI_2")), groupB));
        await("A group Active", Duration.ofSeconds(5), () -> groupA.events.stream().anyMatch(e -> e.startsWith("VG_1 ACTIVE")));
        assertThat(holds(0, "192.0.2.100")).isTrue();
        assertThat(holds(0, "192.0.2.200")).isTrue();

        required.set(false); // only VI_1 tracks it; VI_2 must follow into Fault
        awaitState(b, "VI_1", State.ACTIVE, Duration.ofSeconds(3), "B both Active");
        awaitState(b, "VI_2", State.ACTIVE, Duration.ofSeconds(3), "B both Active");
        assertThat(a.status().router("VI_1").state()).isEqualTo(State.FAULT);
        assertThat(a.status().router("VI_2").state()).isEqualTo(State.FAULT);
        assertThat(holds(0, "192.0.2.100")).isFalse();
        assertThat(holds(0, "192.0.2.200")).isFalse();
        assertThat(holds(1, "192.0.2.100")).isTrue();
        assertThat(holds(1, "192.0.2.200")).isTrue();
        await("group events delivered", Duration.ofSeconds(2),
                () -> groupA.events.stream().anyMatch(e -> e.startsWith("VG_1 FAULT"))
                        && groupB.events.stream().anyMatch(e -> e.startsWith("VG_1 ACTIVE")));
        assertThat(groupA.events.stream().filter(e -> e.startsWith("VG_1 FAULT"))).hasSize(1);
        assertThat(groupB.events.stream().filter(e -> e.startsWith("VG_1 ACTIVE"))).hasSize(1);

        required.set(true);
        awaitState(a, "VI_1", State.ACTIVE, Duration.ofSeconds(3), "A both Active again");
        awaitState(a, "VI_2", State.ACTIVE, Duration.ofSeconds(3), "A both Active again");
        awaitState(b, "VI_1", State.BACKUP, Duration.ofSeconds(1), "B both Backup");
        awaitState(b, "VI_2", State.BACKUP, Duration.ofSeconds(1), "B both Backup");
    }

    @Test
    void aTrackedInterfaceGoingDownIsAFault() throws Exception {
        String ns = bed.host(0);
        bed.lan().exec(ns, "ip", "link", "add", "uplink0", "type", "veth", "peer", "name", "uplink1");
        bed.lan().exec(ns, "ip", "link", "set", "uplink0", "up");
        bed.lan().exec(ns, "ip", "link", "set", "uplink1", "up");
        Recorder recorder = new Recorder();
        VrrpNode a = start(0, VrrpNode.builder()
                .router(spec(config("VI_1", 51, 200, "192.0.2.100")).withTrackedInterface("uplink0"))
                .listener(recorder));
        awaitState(a, "VI_1", State.ACTIVE, Duration.ofSeconds(5), "A Active");
        bed.lan().exec(ns, "ip", "link", "set", "uplink1", "down"); // uplink0 loses its carrier
        awaitState(a, "VI_1", State.FAULT, Duration.ofSeconds(2), "A Fault");
        assertThat(holds(0, "192.0.2.100")).isFalse();
        bed.lan().exec(ns, "ip", "link", "set", "uplink1", "up");
        awaitState(a, "VI_1", State.ACTIVE, Duration.ofSeconds(3), "A Active again");
        await("events", Duration.ofSeconds(1), () -> recorder.events.size() >= 5);
        assertThat(recorder.events).containsExactly("VI_1 BACKUP startup", "VI_1 ACTIVE advert timeout",
                "VI_1 FAULT fault", "VI_1 BACKUP fault cleared", "VI_1 ACTIVE advert timeout");
    }

    @Test
    void aNodeThatCannotStartThrowsTheApisStartExceptionNamingTheCallAndTheErrnoAndLeavesNothing() throws Exception {
        RouterConfig config = config("VI_1", 51, 200, "192.0.2.100");
        InetAddress notOurs = InetAddress.getByName("192.0.2.99"); // on the LAN, but no host has it
        VrrpNode node = bed.track(VrrpNode.builder()
                .router(VirtualRouterSpec.builder(config, "eth0").sourceAddress(notOurs).build()).build());

        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> bed.lan().runIn(bed.host(0), () -> {
            node.start();
            return null;
        }));

        assertThat(thrown).isExactlyInstanceOf(VrrpStartException.class)
                .hasMessageMatching("bind\\(fd \\d+, 192\\.0\\.2\\.99\\) failed: EADDRNOTAVAIL .*");
        VrrpStartException failure = (VrrpStartException) thrown;
        assertThat(failure.call()).matches("bind\\(fd \\d+, 192\\.0\\.2\\.99\\)");
        assertThat(failure.errnoName()).contains("EADDRNOTAVAIL");
        assertThat(failure.errno()).isEqualTo(99);
        assertThat(failure.missingCapability()).isEmpty(); // no capability would help: the address is not ours
        assertThat(node.isActive("VI_1")).isFalse();
        assertThat(bed.wire().adverts()).isEmpty();
        org.assertj.core.api.Assertions.assertThatThrownBy(node::start).isInstanceOf(IllegalStateException.class);
    }

    /** A missing interface (a VLAN made later) is not a start failure: its router waits in Fault. */
    @Test
    void aRouterOnAMissingInterfaceWaitsInFaultWhileTheOthersRun() throws Exception {
        VrrpNode a = start(0, VrrpNode.builder()
                .router(spec(config("VI_1", 51, 200, "192.0.2.100")))
                .router(VirtualRouterSpec.multicast(config("VI_9", 59, 200, "198.51.100.100"), "nosuch0")));
        awaitState(a, "VI_1", State.ACTIVE, Duration.ofSeconds(5), "A VI_1 Active");
        assertThat(a.status().router("VI_9").state()).isEqualTo(State.FAULT);
        assertThat(bed.wire().adverts()).allSatisfy(advert -> assertThat(advert.vrid()).isEqualTo(51));
    }

    @Test
    void aListenerAddedAtRunTimeForOneRouterHearsThatRouterOnItsOwnExecutorUntilItIsRemoved() throws Exception {
        java.util.concurrent.ExecutorService executor = java.util.concurrent.Executors.newSingleThreadExecutor(
                Thread.ofPlatform().name("app-listener").factory());
        try {
            VrrpNode a = start(0, VrrpNode.builder()
                    .router(spec(config("VI_1", 51, 200, "192.0.2.100")))
                    .router(spec(config("VI_2", 52, 100, "192.0.2.200"))));
            awaitState(a, "VI_1", State.ACTIVE, Duration.ofSeconds(5), "A VI_1 Active");
            awaitState(a, "VI_2", State.ACTIVE, Duration.ofSeconds(5), "A VI_2 Active");
            Recorder vi2 = new Recorder();
            List<String> threads = new CopyOnWriteArrayList<>();
            ListenerRegistration registration = a.addListener("VI_2", new FailoverListener() {
                @Override
                public void onBackup(RouterEvent e) {
                    threads.add(Thread.currentThread().getName());
                    vi2.onBackup(e);
                }
            }, executor);
            assertThat(a.isActive("VI_2")).isTrue();

            // A second node with the higher priority for VI_2 takes it over: A's VI_2 goes Backup.
            VrrpNode b = start(1, VrrpNode.builder().router(spec(config("VI_2", 52, 200, "192.0.2.200"))));
            awaitState(a, "VI_2", State.BACKUP, Duration.ofSeconds(3), "A VI_2 Backup");
            assertThat(a.isActive("VI_2")).isFalse();
            assertThat(a.isActive("VI_1")).isTrue();
            await("the VI_2 listener called", Duration.ofSeconds(2), () -> !vi2.events.isEmpty());
            registration.close();
            b.close(); // A's VI_2 becomes Active again: the removed listener must not hear it
            awaitState(a, "VI_2", State.ACTIVE, Duration.ofSeconds(3), "A VI_2 Active again");
            a.close();

            assertThat(vi2.events).containsExactly("VI_2 BACKUP higher priority advert");
            assertThat(threads).containsOnly("app-listener");
        } finally {
            executor.shutdownNow();
        }
    }
}
