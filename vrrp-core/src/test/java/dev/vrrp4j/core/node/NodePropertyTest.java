package dev.vrrp4j.core.node;

import dev.vrrp4j.core.node.NodeLan.Host;
import dev.vrrp4j.core.router.State;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.vrrp4j.core.node.NodeLan.MS;
import static dev.vrrp4j.core.node.NodeLan.SECOND;
import static dev.vrrp4j.core.node.NodeLan.ipv4;
import static dev.vrrp4j.core.node.NodeLan.spec;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property test of the node layer: two to four nodes, each running the pair VI_OUT (eth0) and
 * VI_IN (eth1) as one sync group, VI_OUT tracking a zero-weight check; random sequences of link
 * failures on either segment, check results and quiet periods. Invariants:
 *
 * <ul>
 *   <li>after every step, on every node, the group's members are in the same state (both Active,
 *       both Backup or both in Fault): a group moves together, whatever moved it;</li>
 *   <li>once every link is up and every check healthy, and the LAN has been quiet for
 *       {@code 2 D} ({@code D = 3 I + Skew_Time}, RFC 9568 §6.1), exactly one node is Active and it
 *       is Active for both routers;</li>
 *   <li>when that node's check then fails, it leaves with priority 0 and another node is Active for
 *       both routers within {@code Skew_Time} plus two latencies (RFC 9568 §6.4.2: a Backup that hears
 *       priority 0 waits only Skew_Time).</li>
 * </ul>
 *
 * <p>Seeded: a failure names its seed and prints the events; {@code -Dvrrp4j.property.seed=<seed>
 * -Dvrrp4j.property.sequences=1} replays it.
 */
class NodePropertyTest {
    private static final int SEQUENCES = Integer.getInteger("vrrp4j.property.sequences", 200);
    private static final long FIRST_SEED = Long.getLong("vrrp4j.property.seed", 0x9_0de_0000L);
    private static final String[] ROUTERS = {"VI_OUT", "VI_IN"};
    private static final String[] LINKS = {"eth0", "eth1"};

    @Test
    void groupsMoveTogetherAndAFailingCheckHandsOverWithinItsBound() {
        Map<String, Integer> events = new HashMap<>();
        for (int i = 0; i < SEQUENCES; i++) {
            long seed = FIRST_SEED + i;
            Sequence sequence = new Sequence(seed);
            try {
                sequence.run();
            } catch (Throwable t) {
                throw new AssertionError("sequence with seed " + seed + " failed; replay with -Dvrrp4j.property.seed="
                        + seed + " -Dvrrp4j.property.sequences=1\n" + String.join("\n", sequence.log), t);
            }
            sequence.counts.forEach((k, v) -> events.merge(k, v, Integer::sum));
        }
        assertThat(events.keySet()).as("event kinds generated")
                .contains("link-down", "link-up", "check-fail", "check-pass", "wait");
    }

    private static final class Sequence {
        final Random random;
        final NodeLan lan = new NodeLan();
        final List<Host> hosts = new ArrayList<>();
        final Map<Host, Integer> priorities = new HashMap<>();
        final List<String> log = new ArrayList<>();
        final Map<String, Integer> counts = new HashMap<>();

        Sequence(long seed) {
            random = new Random(seed);
            int count = 2 + random.nextInt(3);
            for (int i = 0; i < count; i++) {
                int priority = 10 + 40 * i + random.nextInt(40); // distinct, so one node wins both routers
                RouterSpec out = NodeLan.withCheck(spec(ipv4("VI_OUT", 1, priority, "192.0.2.100/24"), "eth0",
                        "192.0.2." + (i + 1)), "chk", 1 + random.nextInt(3), 1 + random.nextInt(3), 0);
                RouterSpec in = spec(ipv4("VI_IN", 2, priority, "198.51.100.100/24"), "eth1", "198.51.100." + (i + 1));
                Host host = lan.add("N" + i, new NodeConfig(List.of(out, in),
                        List.of(new SyncGroupSpec("VG", List.of("VI_OUT", "VI_IN")))));
                hosts.add(host);
                priorities.put(host, priority);
                log.add(host + " priority " + priority);
            }
        }

        void run() {
            lan.startAll();
            checkGroups();
            int steps = 10 + random.nextInt(30);
            for (int step = 0; step < steps; step++) {
                Host host = hosts.get(random.nextInt(hosts.size()));
                String link = LINKS[random.nextInt(LINKS.length)];
                switch (random.nextInt(5)) {
                    case 0 -> event("link-down", host + " " + link, () -> lan.linkDown(host, link));
                    case 1 -> event("link-up", host + " " + link, () -> {
                        if (host.linksDown.contains(link)) {
                            lan.linkUp(host, link);
                        }
                    });
                    case 2 -> event("check-fail", host.toString(), () -> lan.checkResult(host, "chk", false));
                    case 3 -> event("check-pass", host.toString(), () -> lan.checkResult(host, "chk", true));
                    default -> {
                        long wait = random.nextInt(5_000) * MS;
                        event("wait", wait / MS + " ms", () -> runChecking(wait));
                    }
                }
                checkGroups();
            }
            // Heal: every link up, every check healthy (rise is at most 3), then a quiet 2 D.
            for (Host host : hosts) {
                for (String link : LINKS) {
                    if (host.linksDown.contains(link)) {
                        lan.linkUp(host, link);
                    }
                }
                for (int i = 0; i < 3; i++) {
                    lan.checkResult(host, "chk", true);
                }
            }
            log.add(lan.now() / MS + " ms: healed");
            runChecking(2 * (3 * SECOND + SECOND));
            Host active = soleActive();
            assertThat(active).as("the highest priority wins both routers")
                    .isEqualTo(hosts.stream().max((a, b) -> priorities.get(a) - priorities.get(b)).orElseThrow());

            // The Active's check fails for good (fall is at most 3 results).
            long failedAt = lan.now();
            for (int i = 0; i < 3; i++) {
                lan.checkResult(active, "chk", false);
            }
            log.add(failedAt / MS + " ms: " + active + "'s check fails");
            assertThat(active.state("VI_OUT")).isEqualTo(State.FAULT);
            long bound = SECOND + 2 * lan.latencyNanos(); // Skew_Time < 1 interval
            runChecking(bound);
            Host next = soleActive();
            assertThat(next).isNotEqualTo(active);
            for (String router : ROUTERS) {
                assertThat(next.lastEntered(router, State.ACTIVE) - failedAt).as(router + " handed over within "
                        + bound / MS + " ms").isLessThanOrEqualTo(bound);
            }
        }

        /** The one node Active for both routers; fails if there is none or more. */
        Host soleActive() {
            for (String router : ROUTERS) {
                assertThat(lan.actives(router)).as("Actives of " + router).hasSize(1);
            }
            assertThat(lan.actives("VI_IN")).isEqualTo(lan.actives("VI_OUT"));
            assertThat(lan.holders("VI_OUT")).isEqualTo(lan.actives("VI_OUT"));
            return lan.actives("VI_OUT").getFirst();
        }

        /** Runs in small steps, checking the group invariant between them. */
        void runChecking(long duration) {
            long end = lan.now() + duration;
            while (lan.now() < end) {
                lan.runUntil(Math.min(end, lan.now() + 10 * MS));
                checkGroups();
            }
        }

        void checkGroups() {
            for (Host host : hosts) {
                assertThat(host.state("VI_IN")).as(host + " at " + lan.now() / MS + " ms: VI_IN moves with VI_OUT")
                        .isEqualTo(host.state("VI_OUT"));
            }
        }

        void event(String kind, String detail, Runnable action) {
            counts.merge(kind, 1, Integer::sum);
            log.add(lan.now() / MS + " ms: " + kind + " " + detail);
            action.run();
        }
    }
}
