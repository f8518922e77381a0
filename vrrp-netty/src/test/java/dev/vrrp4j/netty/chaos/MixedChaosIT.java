package dev.vrrp4j.netty.chaos;

import dev.vrrp4j.netty.testing.HolderTimeline;
import dev.vrrp4j.netty.testing.KeepalivedProcess;
import dev.vrrp4j.netty.testing.LanExtension;
import dev.vrrp4j.netty.testing.NodeProcess;
import dev.vrrp4j.netty.testing.VipWatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;

import static dev.vrrp4j.netty.chaos.ChaosBounds.INTERVAL_MS;
import static dev.vrrp4j.netty.chaos.ChaosBounds.TOLERANCE_MS;
import static dev.vrrp4j.netty.chaos.ChaosBounds.activeDownMs;
import static dev.vrrp4j.netty.chaos.ChaosLan.ROUTER;
import static dev.vrrp4j.netty.chaos.ChaosLan.count;
import static dev.vrrp4j.netty.chaos.ChaosLan.sleep;
import static dev.vrrp4j.netty.chaos.ChaosSummary.check;
import static dev.vrrp4j.netty.chaos.ChaosSummary.checkCount;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The chaos suite's mixed variant: one of the three routers is keepalived 2.2.7, the same virtual
 * router (VRID 51, 100 ms, VRRPv3), under kill -9 of the Active and a cold start of equals. The
 * bounds are those of {@link ChaosSuiteIT}: RFC 9568 §6.1 plus {@link ChaosBounds#TOLERANCE_MS}.
 */
class MixedChaosIT {
    private static final Duration ELECTION = Duration.ofSeconds(5);

    @RegisterExtension
    final LanExtension bed = new LanExtension(3);
    private final ChaosLan chaos = new ChaosLan(bed);

    @TempDir
    Path directory;

    @BeforeEach
    void keepalivedIsInstalled() {
        assumeThat(KeepalivedProcess.isInstalled()).as("keepalived at " + KeepalivedProcess.BINARY).isTrue();
    }

    @AfterAll
    static void summary() {
        ChaosSummary.write();
    }

    /**
     * vrrp4j 200 in host 0, keepalived 150 in host 1, vrrp4j 100 in host 2. kill -9 the vrrp4j
     * Active: keepalived takes over within its Active_Down_Interval; kill -9 keepalived: the vrrp4j
     * 100 takes over within its own; restart both: the 200 preempts (make-before-break).
     */
    @Test
    void killMinus9OfTheActiveRepeatedWithKeepalivedInTheMiddle() throws Exception {
        int reps = ChaosSuiteIT.LONG ? 6 : 2;
        NodeProcess n0 = chaos.vrrp4j(0, 200);
        n0.awaitEvent(ROUTER, "MASTER", ELECTION);
        KeepalivedProcess k1 = chaos.keepalived(1, 150, directory);
        NodeProcess n2 = chaos.vrrp4j(2, 100);
        k1.awaitState(ROUTER, "BACKUP", ELECTION);
        n2.awaitEvent(ROUTER, "BACKUP", ELECTION);
        sleep(300);
        chaos.assertOnlyHolder(0);
        double worstKeepalived = 0;
        double worstVrrp4j = 0;
        double worstPreemptTwo = 0;
        double worstPreemptNone = 0;
        for (int rep = 0; rep < reps; rep++) {
            double kill0 = chaos.kill(0, n0);
            k1.awaitState(ROUTER, "MASTER", ELECTION);
            sleep(300);
            double kill1 = chaos.kill(1, k1);
            n2.awaitEvent(ROUTER, "MASTER", ELECTION);
            sleep(300);
            double restart = VipWatch.now();
            n0 = chaos.vrrp4j(0, 200);
            n0.awaitEvent(ROUTER, "MASTER", ELECTION);
            n2.awaitEvent(ROUTER, "BACKUP", ELECTION);
            k1 = chaos.keepalived(1, 150, directory);
            k1.awaitState(ROUTER, "BACKUP", ELECTION);
            sleep(500);
            double end = VipWatch.now();
            HolderTimeline timeline = chaos.timeline();
            worstKeepalived = Math.max(worstKeepalived, HolderTimeline.millis(timeline.longestWithNone(kill0, kill1)));
            worstVrrp4j = Math.max(worstVrrp4j, HolderTimeline.millis(timeline.longestWithNone(kill1, restart)));
            worstPreemptTwo = Math.max(worstPreemptTwo, HolderTimeline.millis(timeline.longestWithSeveral(restart, end)));
            worstPreemptNone = Math.max(worstPreemptNone, HolderTimeline.millis(timeline.longestWithNone(restart, end)));
            chaos.assertOnlyHolder(0);
        }
        String s = "mixed 1. kill -9 Active ×" + reps;
        check(s + ", keepalived 150 takes over", "no holder: Active_Down_Interval(150)",
                activeDownMs(150) + TOLERANCE_MS, worstKeepalived);
        check(s + ", vrrp4j 100 takes over from keepalived", "no holder: Active_Down_Interval(100)",
                activeDownMs(100) + TOLERANCE_MS, worstVrrp4j);
        check(s + ", restart preempts", "two holders: 1 advert interval", INTERVAL_MS + TOLERANCE_MS, worstPreemptTwo);
        check(s + ", restart preempts", "no holder: 0", TOLERANCE_MS, worstPreemptNone);
        checkCount(s + ", no flap", "Active transitions of the vrrp4j 100 (one per round)", reps,
                count(n2.events(ROUTER), "BACKUP MASTER"));
        checkCount(s + ", no flap", "Active transitions of the last keepalived started", 0,
                k1.states(ROUTER).stream().filter("MASTER"::equals).count());
    }

    /**
     * Three routers of priority 100, keepalived in host {@code keepalivedHost}, each Active alone
     * behind a bridge that drops VRRP, released at once: the highest address (host 2) stays Active,
     * whichever implementation it runs, the others yield within one advert interval.
     */
    @ParameterizedTest(name = "keepalived in host {0}")
    @ValueSource(ints = {1, 2})
    void simultaneousColdStartOfEqualsWithKeepalived(int keepalivedHost) {
        chaos.watch();
        chaos.isolateAll();
        NodeProcess[] n = new NodeProcess[3];
        KeepalivedProcess keepalived = null;
        for (int host = 0; host < 3; host++) {
            if (host == keepalivedHost) {
                keepalived = chaos.keepalived(host, 100, directory);
            } else {
                n[host] = chaos.launch(host, ChaosLan.router(100, ""));
            }
        }
        for (int host = 0; host < 3; host++) {
            if (host == keepalivedHost) {
                keepalived.awaitState(ROUTER, "MASTER", ELECTION);
            } else {
                n[host].awaitEvent(ROUTER, "MASTER", Duration.ofSeconds(20));
            }
        }
        sleep(300);
        double release = chaos.heal();
        for (int host = 0; host < 2; host++) {
            if (host == keepalivedHost) {
                keepalived.awaitState(ROUTER, "BACKUP", ELECTION);
            } else {
                n[host].awaitEvent(ROUTER, "BACKUP", ELECTION);
            }
        }
        sleep(1_000);
        double end = VipWatch.now();
        HolderTimeline timeline = chaos.timeline();
        String s = "mixed 7. cold start, 3 × priority 100, keepalived in host " + keepalivedHost;
        check(s, "two or three holders after release: 1 advert interval", INTERVAL_MS + TOLERANCE_MS,
                HolderTimeline.millis(timeline.longestWithSeveral(release, end)));
        check(s, "no holder: 0", TOLERANCE_MS, HolderTimeline.millis(timeline.longestWithNone(release, end)));
        chaos.assertOnlyHolder(2);
        long keepalivedMasters = keepalived.states(ROUTER).stream().filter("MASTER"::equals).count();
        checkCount(s, "keepalived Active transitions (the one while isolated)", 1, keepalivedMasters);
    }
}
