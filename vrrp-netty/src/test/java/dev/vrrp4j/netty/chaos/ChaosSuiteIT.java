package dev.vrrp4j.netty.chaos;

import dev.vrrp4j.core.health.CheckPolicy;
import dev.vrrp4j.core.health.CheckState;
import dev.vrrp4j.netty.testing.HolderTimeline;
import dev.vrrp4j.netty.testing.KeepalivedProcess;
import dev.vrrp4j.netty.testing.LanExtension;
import dev.vrrp4j.netty.testing.NodeProcess;
import dev.vrrp4j.netty.testing.VipWatch;
import dev.vrrp4j.netty.testing.WireLog.Advert;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

import static dev.vrrp4j.netty.chaos.ChaosBounds.INTERVAL_MS;
import static dev.vrrp4j.netty.chaos.ChaosBounds.TOLERANCE_MS;
import static dev.vrrp4j.netty.chaos.ChaosBounds.activeDownMs;
import static dev.vrrp4j.netty.chaos.ChaosLan.ROUTER;
import static dev.vrrp4j.netty.chaos.ChaosLan.count;
import static dev.vrrp4j.netty.chaos.ChaosLan.sleep;
import static dev.vrrp4j.netty.chaos.ChaosSummary.check;
import static dev.vrrp4j.netty.chaos.ChaosSummary.checkCount;
import static dev.vrrp4j.netty.chaos.ChaosSummary.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The chaos suite (issue 7): three vrrp4j nodes of one virtual router (100 ms adverts) on one
 * bridge, under the faults a deployment meets — kill -9, a stopped process, link loss, a partition,
 * random advert loss (against keepalived in the same run), a flapping health check, a cold start
 * of equals, a Backup restarting next to a garbage-heavy Active. Each scenario measures, from
 * {@code ip -ts monitor} in every host ({@link VipWatch}) and tcpdump on the bridge, the intervals
 * with no holder of the VIP and with two, and holds them to the bound RFC 9568 §6.1 allows plus
 * {@link ChaosBounds#TOLERANCE_MS}. Results go to the summary table ({@link ChaosSummary}).
 *
 * <p>{@code -Dchaos.long=true} repeats the scenarios more and soaks the loss scenario for minutes.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChaosSuiteIT {
    static final boolean LONG = Boolean.getBoolean("chaos.long");
    private static final Duration ELECTION = Duration.ofSeconds(5);
    /** Long enough after the last fault for a flap loop to show. */
    private static final long SETTLE_MS = 1_000;

    @RegisterExtension
    final LanExtension bed = new LanExtension(3);
    private final ChaosLan chaos = new ChaosLan(bed);

    @TempDir
    Path directory;

    @AfterAll
    static void summary() {
        ChaosSummary.write();
    }

    /** Starts host 0 first so it is elected alone, then hosts 1 and 2 as its Backups. */
    private NodeProcess[] electTrio(int p0, String extra0, int p1, String extra1, int p2) {
        NodeProcess n0 = chaos.vrrp4j(0, p0, extra0);
        n0.awaitEvent(ROUTER, "MASTER", ELECTION);
        NodeProcess n1 = chaos.vrrp4j(1, p1, extra1);
        NodeProcess n2 = chaos.vrrp4j(2, p2);
        n1.awaitEvent(ROUTER, "BACKUP", ELECTION);
        n2.awaitEvent(ROUTER, "BACKUP", ELECTION);
        sleep(300); // a few adverts: every Backup runs on the Active's timers
        chaos.assertOnlyHolder(0);
        return new NodeProcess[] {n0, n1, n2};
    }

    // ------------------------------------------------------------------ 1. kill -9

    /**
     * kill -9 of the Active (200), then of the Backup that replaced it (150); the lowest (100) takes
     * over; both restart and 200 preempts. A takeover starts at most Active_Down_Interval of the
     * Backup after the last advert it heard, which was sent before the kill: zero holders for at most
     * that long. A preemption is make-before-break: the old Active steps down on the first advert of
     * the new one, so two holders for at most one interval, never zero.
     */
    @Test
    @Order(1)
    void killMinus9OfTheActiveRepeated() {
        int reps = LONG ? 10 : 2;
        NodeProcess[] n = electTrio(200, "", 150, "", 100);
        double worstFirst = 0;
        double worstSecond = 0;
        double worstWire = 0;
        double worstPreemptTwo = 0;
        double worstPreemptNone = 0;
        int actives = 0;
        for (int rep = 0; rep < reps; rep++) {
            double kill0 = killed(0, n[0]);
            n[1].awaitEvent(ROUTER, "MASTER", ELECTION);
            sleep(300);
            double kill1 = killed(1, n[1]);
            n[2].awaitEvent(ROUTER, "MASTER", ELECTION);
            sleep(300);
            double restart = VipWatch.now();
            n[0] = chaos.vrrp4j(0, 200);
            n[0].awaitEvent(ROUTER, "MASTER", ELECTION);
            n[2].awaitEvent(ROUTER, "BACKUP", ELECTION);
            n[1] = chaos.vrrp4j(1, 150);
            n[1].awaitEvent(ROUTER, "BACKUP", ELECTION);
            sleep(300);
            double end = VipWatch.now();
            HolderTimeline timeline = chaos.timeline();
            worstFirst = Math.max(worstFirst, HolderTimeline.millis(timeline.longestWithNone(kill0, kill1)));
            worstSecond = Math.max(worstSecond, HolderTimeline.millis(timeline.longestWithNone(kill1, restart)));
            worstPreemptTwo = Math.max(worstPreemptTwo, HolderTimeline.millis(timeline.longestWithSeveral(restart, end)));
            worstPreemptNone = Math.max(worstPreemptNone, HolderTimeline.millis(timeline.longestWithNone(restart, end)));
            worstWire = Math.max(worstWire, Math.max(wireGap(0, 1, kill0), wireGap(1, 2, kill1)));
            chaos.assertOnlyHolder(0);
        }
        // The last restarted pair: the 200 became Active once, the 150 never; the 100 once per round.
        actives += count(n[0].events(ROUTER), "BACKUP MASTER") + count(n[1].events(ROUTER), "BACKUP MASTER");
        int lowest = count(n[2].events(ROUTER), "BACKUP MASTER");
        String s = "1. kill -9 Active ×" + reps;
        check(s + ", 150 takes over", "no holder: Active_Down_Interval(150)", activeDownMs(150) + TOLERANCE_MS, worstFirst);
        check(s + ", 100 takes over", "no holder: Active_Down_Interval(100)", activeDownMs(100) + TOLERANCE_MS, worstSecond);
        check(s + ", on the wire", "last advert → new Active's first: Active_Down_Interval(100)",
                activeDownMs(100) + TOLERANCE_MS, worstWire);
        check(s + ", restart preempts", "two holders: 1 advert interval", INTERVAL_MS + TOLERANCE_MS, worstPreemptTwo);
        check(s + ", restart preempts", "no holder: 0", TOLERANCE_MS, worstPreemptNone);
        checkCount(s + ", no flap", "Active transitions of the last 200 + 150 started", 1, actives);
        checkCount(s + ", no flap", "Active transitions of the 100 (one per round)", reps, lowest);
    }

    private double killed(int host, NodeProcess node) {
        try {
            return chaos.kill(host, node);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** On the wire: from the killed host's last advert before {@code kill} to the new Active's first after it. */
    private double wireGap(int killed, int taker, double kill) {
        List<Advert> before = chaos.adverts(killed, kill - 5, kill + 0.05);
        List<Advert> after = chaos.adverts(taker, kill, kill + 5);
        assertThat(before).as("adverts of host %d before its kill", killed).isNotEmpty();
        assertThat(after).as("adverts of host %d after the kill", taker).isNotEmpty();
        return (after.getFirst().epochSeconds() - before.getLast().epochSeconds()) * 1000;
    }

    // ------------------------------------------------------------------ 2. SIGSTOP ("GC pause")

    /**
     * SIGSTOP of the Active for 2 × the taker's Active_Down_Interval, then SIGCONT. The Active (100)
     * runs because the 200 joined later without preemption; when it resumes it hears the 200 and must
     * step down (RFC 9568 §6.4.3: a higher-priority advert makes an Active a Backup). While stopped its
     * kernel still holds the VIP (two holders, by design); after SIGCONT two holders for at most one
     * advert interval, and one transition, no loop.
     */
    @Test
    @Order(2)
    void pausedActiveWithLowerPriorityStepsDownWhenItResumes() throws Exception {
        pauseTheActive("2. SIGSTOP lower-priority Active (100 vs 200 nopreempt)", 100, 200, ",preempt=false", 1, 0);
    }

    /**
     * The same with the paused Active the highest (200, preempt): when it resumes it stays Active and
     * the Backup that took over (150) yields to its first advert (RFC 9568 §6.4.3).
     */
    @Test
    @Order(3)
    void pausedActiveWithHigherPriorityStaysAndTheOtherYields() throws Exception {
        pauseTheActive("2. SIGSTOP higher-priority Active (200 vs 150)", 200, 150, "", 0, 1);
    }

    private void pauseTheActive(String s, int p0, int p1, String extra1, int resumedTransitions, int takerAfter)
            throws Exception {
        int reps = LONG ? 5 : 1;
        NodeProcess[] n = electTrio(p0, "", p1, extra1, 50);
        long pauseMs = Math.round(2 * activeDownMs(p1));
        double worstTwo = 0;
        double worstNone = 0;
        int resumedMax = 0;
        int takerMax = 0;
        for (int rep = 0; rep < reps; rep++) {
            double stop = VipWatch.now();
            int before0 = n[0].events(ROUTER).size();
            n[0].signal("STOP");
            n[1].awaitEvent(ROUTER, "MASTER", ELECTION);
            sleep(Math.max(0, pauseMs - Math.round((VipWatch.now() - stop) * 1000)));
            double resume = VipWatch.now();
            int before1 = n[1].events(ROUTER).size();
            n[0].signal("CONT");
            if (p0 < p1) {
                n[0].awaitEvent(ROUTER, "BACKUP", ELECTION);
            } else {
                n[1].awaitEvent(ROUTER, "BACKUP", ELECTION);
            }
            sleep(SETTLE_MS);
            double end = VipWatch.now();
            HolderTimeline timeline = chaos.timeline();
            worstTwo = Math.max(worstTwo, HolderTimeline.millis(timeline.longestWithSeveral(resume, end)));
            worstNone = Math.max(worstNone, HolderTimeline.millis(timeline.longestWithNone(stop, end)));
            resumedMax = Math.max(resumedMax, n[0].events(ROUTER).size() - before0);
            takerMax = Math.max(takerMax, n[1].events(ROUTER).size() - before1);
            chaos.assertOnlyHolder(p0 < p1 ? 1 : 0);
            if (p0 < p1 && rep + 1 < reps) {
                // Back to the starting point: the 200 leaves gracefully and rejoins without preemption.
                assertThat(n[1].terminate()).isZero();
                n[0].awaitEvent(ROUTER, "MASTER", ELECTION);
                n[1] = chaos.vrrp4j(1, p1, extra1);
                n[1].awaitEvent(ROUTER, "BACKUP", ELECTION);
                sleep(300);
            }
        }
        check(s, "two holders after SIGCONT: 1 advert interval", INTERVAL_MS + TOLERANCE_MS, worstTwo);
        check(s, "no holder: 0", TOLERANCE_MS, worstNone);
        checkCount(s, "transitions of the resumed node (no flap loop)", resumedTransitions, resumedMax);
        checkCount(s, "transitions of the taker after SIGCONT", takerAfter, takerMax);
        assertThat(n[2].events(ROUTER)).as("the 50 never moves").containsExactly("INIT BACKUP startup");
        assertThat(n[0].lines()).anySatisfy(l -> assertThat(l).contains("late (GC pause or stopped process?)"));
    }

    // ------------------------------------------------------------------ 3. link down / up

    /**
     * Link down on the Active: it is unreachable at once (Fault), the 150 takes over within its
     * Active_Down_Interval. Link up: the 200 comes back as Backup and preempts (make-before-break).
     * Then link down and up on the lowest Backup: the VIP must not move at all.
     */
    @Test
    @Order(4)
    void linkDownAndUpOnTheActiveAndOnABackup() {
        NodeProcess[] n = electTrio(200, "", 150, "", 100);
        double down = chaos.link(0, false);
        n[0].awaitEvent(ROUTER, "FAULT", ELECTION);
        n[1].awaitEvent(ROUTER, "MASTER", ELECTION);
        sleep(300);
        double up = chaos.link(0, true);
        n[0].awaitEvent(ROUTER, "MASTER", ELECTION);
        n[1].awaitEvent(ROUTER, "BACKUP", ELECTION);
        sleep(500);
        int active0 = n[0].events(ROUTER).size();
        double backupDown = chaos.link(2, false);
        n[2].awaitEvent(ROUTER, "FAULT", ELECTION);
        sleep(500);
        chaos.link(2, true);
        n[2].awaitEvent(ROUTER, "BACKUP", ELECTION);
        sleep(SETTLE_MS);
        double end = VipWatch.now();
        HolderTimeline timeline = chaos.timeline();
        String s = "3. link down/up";
        check(s + " on the Active", "no holder: Active_Down_Interval(150)", activeDownMs(150) + TOLERANCE_MS,
                HolderTimeline.millis(timeline.longestWithNone(down, up)));
        check(s + " on the Active, back", "two holders: 1 advert interval", INTERVAL_MS + TOLERANCE_MS,
                HolderTimeline.millis(timeline.longestWithSeveral(up, backupDown)));
        check(s + " on the Active, back", "no holder: 0", TOLERANCE_MS,
                HolderTimeline.millis(timeline.longestWithNone(up, backupDown)));
        check(s + " on a Backup", "no holder, two holders: 0", TOLERANCE_MS,
                Math.max(HolderTimeline.millis(timeline.longestWithNone(backupDown, end)),
                        HolderTimeline.millis(timeline.longestWithSeveral(backupDown, end))));
        checkCount(s + " on a Backup", "transitions of the Active", 0, n[0].events(ROUTER).size() - active0);
        assertThat(n[2].events(ROUTER)).as("the Backup whose link went down").noneMatch(e -> e.split(" ")[1].equals("MASTER"));
        chaos.assertOnlyHolder(0);
    }

    // ------------------------------------------------------------------ 4. partition and heal

    /**
     * nftables on the bridge drops VRRP between the Active (200) and the 150, then between the
     * Active and both others. During the partition both sides are Active, as the protocol intends.
     * After the heal the 200's next advert (at most one interval later) makes the other side a
     * Backup (RFC 9568 §6.4.3), which removes the VIP.
     */
    @Test
    @Order(5)
    void partitionAndHeal() {
        NodeProcess[] n = electTrio(200, "", 150, "", 100);
        double worstTwo = 0;
        double worstNone = 0;
        double worstWire = 0;
        int[][] shapes = LONG ? new int[][] {{1}, {1, 2}, {1}, {1, 2}} : new int[][] {{1}, {1, 2}};
        for (int[] others : shapes) {
            double start = chaos.partition(0, others);
            n[1].awaitEvent(ROUTER, "MASTER", ELECTION);
            sleep(500);
            assertThat(chaos.watch().hasAddressNow(0) && chaos.watch().hasAddressNow(1))
                    .as("both sides of the partition hold the VIP").isTrue();
            double heal = chaos.heal();
            n[1].awaitEvent(ROUTER, "BACKUP", ELECTION);
            sleep(SETTLE_MS);
            double end = VipWatch.now();
            HolderTimeline timeline = chaos.timeline();
            worstTwo = Math.max(worstTwo, HolderTimeline.millis(timeline.longestWithSeveral(heal, end)));
            worstNone = Math.max(worstNone, HolderTimeline.millis(timeline.longestWithNone(start, end)));
            List<Advert> loser = chaos.adverts(1, heal, end);
            if (!loser.isEmpty()) {
                worstWire = Math.max(worstWire, (loser.getLast().epochSeconds() - heal) * 1000);
            }
            chaos.assertOnlyHolder(0);
        }
        String s = "4. partition 0 ⟂ 1, then 0 ⟂ 1+2, heal";
        check(s, "two holders after heal: 1 advert interval", INTERVAL_MS + TOLERANCE_MS, worstTwo);
        check(s, "the loser's adverts stop after heal (0 = none sent): 1 advert interval", INTERVAL_MS + TOLERANCE_MS, worstWire);
        check(s, "no holder: 0", TOLERANCE_MS, worstNone);
        assertThat(n[0].events(ROUTER)).as("the 200 never leaves").containsExactly("INIT BACKUP startup",
                "BACKUP MASTER advert_timeout");
        checkCount(s, "Active transitions of the 100 (hears the 200 or 150 throughout)", 0,
                count(n[2].events(ROUTER), "BACKUP MASTER"));
    }

    // ------------------------------------------------------------------ 5. random loss, vs keepalived

    /**
     * nftables drops 5 %, 20 % and 50 % of VRRP packets at random, each forwarded copy on its own,
     * while a vrrp4j trio (VRID 51) and a keepalived trio (VRID 52) run side by side on the same
     * hosts: the same loss, the same machine. A Backup with priority 100 or 50 takes over falsely when
     * three adverts in a row are lost (Active_Down_Interval ≈ 361/380 ms < the 4th advert at 400 ms):
     * with loss p, about (1 − p)·p³ per advert and Backup. False takeovers are counted (Backup → Active
     * while the Active runs) and held, for vrrp4j at 5 % and 20 %, to the Poisson quantile that a
     * correct implementation exceeds with probability below 10⁻⁴; at 50 % and for keepalived they are
     * recorded for comparison.
     */
    @Test
    @Order(6)
    void randomAdvertLossVsKeepalived() throws Exception {
        assumeThat(KeepalivedProcess.isInstalled()).as("keepalived at " + KeepalivedProcess.BINARY).isTrue();
        long seconds = LONG ? 120 : 10;
        int[] priorities = {200, 100, 50};
        NodeProcess[] n = new NodeProcess[3];
        KeepalivedProcess[] k = new KeepalivedProcess[3];
        for (int host = 0; host < 3; host++) {
            n[host] = chaos.vrrp4j(host, priorities[host]);
            Path dir = Files.createDirectories(directory.resolve("k" + host));
            k[host] = bed.startKeepalived(host, dir, ChaosLan.keepalivedInstance("VK", 52, "192.0.2.101", priorities[host]));
            if (host == 0) {
                n[0].awaitEvent(ROUTER, "MASTER", ELECTION);
                k[0].awaitState("VK", "MASTER", ELECTION);
            }
        }
        sleep(1_000);
        assertThat(k[1].states("VK")).containsOnly("BACKUP");
        assertThat(k[2].states("VK")).containsOnly("BACKUP");
        for (int percent : new int[] {5, 20, 50}) {
            int[] vBefore = {n[1].events(ROUTER).size(), n[2].events(ROUTER).size()};
            int[] kBefore = {k[1].states("VK").size(), k[2].states("VK").size()};
            chaos.loseAtRandom(percent);
            sleep(seconds * 1000);
            List<Long> counters = chaos.counters();
            chaos.heal();
            sleep(SETTLE_MS);
            long vrrp4j = count(n[1].events(ROUTER).subList(vBefore[0], n[1].events(ROUTER).size()), "BACKUP MASTER")
                    + count(n[2].events(ROUTER).subList(vBefore[1], n[2].events(ROUTER).size()), "BACKUP MASTER");
            long keepalived = k[1].states("VK").subList(kBefore[0], k[1].states("VK").size()).stream()
                    .filter("MASTER"::equals).count()
                    + k[2].states("VK").subList(kBefore[1], k[2].states("VK").size()).stream()
                    .filter("MASTER"::equals).count();
            double p = percent / 100.0;
            double adverts = 2 * seconds * 1000 / INTERVAL_MS; // per implementation: two Backups listening
            double lambda = adverts * (1 - p) * p * p * p;
            int limit = poissonQuantile(lambda, 1e-4);
            double measuredLoss = counters.size() == 2 && counters.get(0) > 0 ? 100.0 * counters.get(1) / counters.get(0) : -1;
            String s = String.format(Locale.ROOT, "5. loss %d %% (measured %.1f %%), %d s", percent, measuredLoss, seconds);
            String bound = String.format(Locale.ROOT, "false takeovers: Poisson λ=%.2f, P(more) < 1e-4", lambda);
            if (percent <= 20) {
                checkCount(s + ", vrrp4j", bound, limit, vrrp4j);
            } else {
                record(s + ", vrrp4j", bound + " (not asserted: expected ≈ λ)", Long.toString(vrrp4j));
            }
            record(s + ", keepalived 2.2.7", bound + " (same run, reference)", Long.toString(keepalived));
            chaos.assertOnlyHolder(0);
        }
        assertThat(n[0].events(ROUTER)).as("the vrrp4j Active never steps down").containsExactly("INIT BACKUP startup",
                "BACKUP MASTER advert_timeout");
    }

    /** The smallest k with P(X > k) < {@code tail} for X ~ Poisson(lambda). */
    static int poissonQuantile(double lambda, double tail) {
        double term = Math.exp(-lambda);
        double cumulative = term;
        int k = 0;
        while (1 - cumulative >= tail) {
            k++;
            term *= lambda / k;
            cumulative += term;
        }
        return k;
    }

    // ------------------------------------------------------------------ 6. flapping health check

    /**
     * The Active (200) tracks a check that passes and fails on alternate runs, with weight −150
     * (failing, it would be 50, below both Backups). With rise 2 and fall 2 an alternating check never
     * changes status (keepalived's vrrp_script semantics), so the allowed number of transitions is 0.
     * The allowance is computed by replaying the node's own CHECK results through the rise/fall rule:
     * each status change may move the VIP once (two transitions).
     */
    @Test
    @Order(7)
    void flappingHealthCheckWithRiseAndFallTwoMovesNothing() {
        long periodMs = 600;
        NodeProcess[] n = electTrio(200, ",check=flap:" + periodMs + ",rise=2,fall=2,weight=-150", 150, "", 100);
        int before = totalEvents(n);
        sleep(LONG ? 30_000 : 4 * periodMs + 1_000);
        List<String> results = checkResults(n[0]);
        int changes = statusChanges(results, new CheckPolicy(2, 2, -150), 0);
        int transitions = totalEvents(n) - before;
        assertThat(results).as("the check ran and alternated").hasSizeGreaterThanOrEqualTo(4);
        checkCount("6. flapping check (" + results.size() + " runs), rise 2 fall 2",
                "transitions: 2 × status changes by rise/fall (" + changes + ")", 2L * changes, transitions);
        chaos.assertOnlyHolder(0);
    }

    /**
     * The control: the same check with rise 1 and fall 1 changes status on every run, and the VIP
     * moves — so the scenario above could fail. Two nodes, so each status change moves the VIP at
     * most once (the Active steps down or back, the other the reverse).
     */
    @Test
    @Order(8)
    void flappingHealthCheckWithRiseAndFallOneMovesTheVipAsOftenAsAllowed() {
        long periodMs = 600;
        NodeProcess n0 = chaos.vrrp4j(0, 200, ",check=flap:" + periodMs + ",rise=1,fall=1,weight=-150");
        n0.awaitEvent(ROUTER, "MASTER", ELECTION);
        NodeProcess n1 = chaos.vrrp4j(1, 150);
        n1.awaitEvent(ROUTER, "BACKUP", ELECTION);
        NodeProcess[] n = {n0, n1};
        int before = totalEvents(n);
        int checksBefore = checkResults(n0).size();
        sleep(4 * periodMs + 500);
        List<String> results = checkResults(n0);
        int changes = statusChanges(results, new CheckPolicy(1, 1, -150), checksBefore);
        int transitions = totalEvents(n) - before;
        // + 2: a status change just before the window may take effect inside it.
        checkCount("6. control: flapping check, rise 1 fall 1, 2 nodes",
                "transitions: 2 × status changes by rise/fall (" + changes + ") + 2", 2L * changes + 2, transitions);
        assertThat(transitions).as("the VIP moved: the check really flaps").isGreaterThan(0);
    }

    private static int totalEvents(NodeProcess... nodes) {
        int total = 0;
        for (NodeProcess node : nodes) {
            total += node.events(ROUTER).size();
        }
        return total;
    }

    private static List<String> checkResults(NodeProcess node) {
        return node.lines().stream().filter(l -> l.startsWith("CHECK " + ROUTER + " ")).map(l -> l.substring(l.lastIndexOf(' ') + 1))
                .toList();
    }

    /**
     * Replays every result since the node started through the core's rise/fall rule (a check starts
     * healthy); returns the number of status changes from result {@code fromIndex} on.
     */
    private static int statusChanges(List<String> results, CheckPolicy policy, int fromIndex) {
        CheckState state = new CheckState("flap", policy, true);
        int changes = 0;
        for (int i = 0; i < results.size(); i++) {
            if (state.record(results.get(i).equals("ok")) && i >= fromIndex) {
                changes++;
            }
        }
        return changes;
    }

    // ------------------------------------------------------------------ 7. cold start of equals

    /**
     * Three routers of equal priority (100) start at the same instant. JVMs do not start at the same
     * instant, and a Backup that hears an advert of equal priority stays Backup (RFC 9568 §6.4.2), so
     * a plain concurrent launch elects whoever times out first. The protocol's tie-break — the higher
     * primary address wins between Actives (RFC 9568 §6.4.3) — is tested by starting all three behind
     * a bridge that drops VRRP (each becomes Active alone) and opening it at once: one Active, the
     * highest address (host 2), within one advert interval.
     */
    @Test
    @Order(9)
    void simultaneousColdStartOfEqualsElectsTheHighestAddress() {
        chaos.watch();
        chaos.isolateAll();
        NodeProcess[] n = new NodeProcess[3];
        for (int host = 0; host < 3; host++) {
            n[host] = chaos.launch(host, ChaosLan.router(100, ""));
        }
        for (NodeProcess node : n) {
            node.awaitEvent(ROUTER, "MASTER", Duration.ofSeconds(20));
        }
        sleep(300);
        double release = chaos.heal();
        n[0].awaitEvent(ROUTER, "BACKUP", ELECTION);
        n[1].awaitEvent(ROUTER, "BACKUP", ELECTION);
        sleep(SETTLE_MS);
        double end = VipWatch.now();
        HolderTimeline timeline = chaos.timeline();
        String s = "7. cold start, 3 × priority 100, released at once";
        check(s, "two or three holders after release: 1 advert interval", INTERVAL_MS + TOLERANCE_MS,
                HolderTimeline.millis(timeline.longestWithSeveral(release, end)));
        check(s, "no holder: 0", TOLERANCE_MS, HolderTimeline.millis(timeline.longestWithNone(release, end)));
        checkCount(s, "transitions after release (hosts 0, 1 step down)", 2,
                totalEvents(n) - 6);
        chaos.assertOnlyHolder(2);
    }

    /** The plain concurrent launch: one Active whoever it is, elected without a loop. */
    @Test
    @Order(10)
    void concurrentLaunchOfEqualsElectsOneActive() {
        chaos.watch();
        double start = VipWatch.now();
        NodeProcess[] n = new NodeProcess[3];
        for (int host = 0; host < 3; host++) {
            n[host] = chaos.launch(host, ChaosLan.router(100, ""));
        }
        for (NodeProcess node : n) {
            node.awaitEvent(ROUTER, "BACKUP", Duration.ofSeconds(20));
        }
        sleep(2_000);
        double end = VipWatch.now();
        HolderTimeline timeline = chaos.timeline();
        int winner = -1;
        for (int host = 0; host < 3; host++) {
            if (chaos.watch().hasAddressNow(host)) {
                winner = host;
            }
        }
        assertThat(winner).as("someone holds the VIP").isNotNegative();
        chaos.assertOnlyHolder(winner);
        String s = "7. cold start, 3 × priority 100, concurrent launch";
        check(s, "two holders: 1 advert interval", INTERVAL_MS + TOLERANCE_MS,
                HolderTimeline.millis(timeline.longestWithSeveral(start, end)));
        // One election among equals: at worst all three time out together (3 up) and two yield (2 down).
        checkCount(s, "transitions beyond startup (one election)", 5, totalEvents(n) - 3);
        record(s, "Active elected", "host " + winner + " (" + ChaosLan.address(winner) + ")");
    }

    // ------------------------------------------------------------------ 8. Backup restart next to a loaded Active

    /**
     * The Active (200) allocates 300 MB/s on two threads of its JVM (64 MiB heap, serial GC) while
     * the 100 restarts — gracefully, then by kill -9, repeatedly. A restarted Backup must hear the
     * Active before its first Active_Down_Interval ends and stay Backup; the Active must keep its
     * adverts within the 100's Active_Down_Interval (else that Backup would take over).
     */
    @Test
    @Order(11)
    void backupRestartsNextToAnAllocationHeavyActive() throws Exception {
        int reps = LONG ? 10 : 3;
        chaos.watch();
        NodeProcess n0 = bed.startNode(0, ChaosLan.router(200, ""), "garbage=300");
        n0.awaitEvent(ROUTER, "MASTER", ELECTION);
        NodeProcess n1 = chaos.vrrp4j(1, 100);
        NodeProcess n2 = chaos.vrrp4j(2, 50);
        n1.awaitEvent(ROUTER, "BACKUP", ELECTION);
        n2.awaitEvent(ROUTER, "BACKUP", ELECTION);
        double start = VipWatch.now();
        int falseTakeovers = 0;
        for (int rep = 0; rep < reps; rep++) {
            sleep(300);
            if (rep % 2 == 0) {
                assertThat(n1.terminate()).isZero();
            } else {
                chaos.kill(1, n1);
            }
            n1 = chaos.vrrp4j(1, 100);
            n1.awaitEvent(ROUTER, "BACKUP", ELECTION);
            sleep(500);
            falseTakeovers += count(n1.events(ROUTER), "BACKUP MASTER");
        }
        double end = VipWatch.now();
        falseTakeovers += count(n2.events(ROUTER), "BACKUP MASTER");
        HolderTimeline timeline = chaos.timeline();
        List<Advert> adverts = chaos.adverts(0, start, end);
        double maxGap = 0;
        for (int i = 1; i < adverts.size(); i++) {
            maxGap = Math.max(maxGap, (adverts.get(i).epochSeconds() - adverts.get(i - 1).epochSeconds()) * 1000);
        }
        assertThat(n0.terminate()).isZero();
        String garbage = n0.lines().stream().filter(l -> l.startsWith("GARBAGE ")).findFirst().orElse("GARBAGE ?");
        String s = "8. Backup restart ×" + reps + " next to a 300 MB/s Active";
        checkCount(s, "false takeovers", 0, falseTakeovers);
        check(s, "gap between the Active's adverts: Active_Down_Interval(100)",
                activeDownMs(100) + ChaosBounds.MEASUREMENT_TOLERANCE_MS, maxGap);
        check(s, "no holder, two holders: 0", TOLERANCE_MS, Math.max(
                HolderTimeline.millis(timeline.longestWithNone(start, end)),
                HolderTimeline.millis(timeline.longestWithSeveral(start, end))));
        record(s, "the Active's workload", garbage.substring("GARBAGE ".length()));
        assertThat(n0.events(ROUTER)).containsExactly("INIT BACKUP startup", "BACKUP MASTER advert_timeout",
                "MASTER INIT shutdown");
    }
}
