package dev.vrrp4j.netty;

import dev.vrrp4j.core.packet.AddressFamily;
import dev.vrrp4j.core.router.RouterConfig;
import dev.vrrp4j.core.router.State;
import dev.vrrp4j.core.router.TransitionReason;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Listener registration and delivery, without a network: events are published as the event loop would. */
class ListenersTest {
    private static final State[] CYCLE = {State.BACKUP, State.ACTIVE, State.BACKUP, State.FAULT};

    private static RouterEvent event(String router, int i) {
        State to = CYCLE[i % CYCLE.length];
        return new RouterEvent(router, 51, AddressFamily.IPV4, State.INITIALIZE, to, TransitionReason.STARTUP, i,
                Instant.EPOCH, () -> to);
    }

    /** Records "router:priority" per call, sleeping a little so that a reordering pool would show. */
    private static FailoverListener recorder(List<String> calls) {
        return FailoverListener.of(e -> {
            if (e instanceof RouterEvent r) {
                calls.add(r.routerName() + ":" + r.priority());
                Thread.onSpinWait();
            }
        });
    }

    @Test
    void callsForOneRouterStaySerialAndOrderedOnAPoolAndAThrowingListenerIsCountedAndKeepsHearing() throws Exception {
        Listeners listeners = new Listeners();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<String> calls = new CopyOnWriteArrayList<>();
            List<String> thrown = new CopyOnWriteArrayList<>();
            listeners.add(null, recorder(calls), pool);
            listeners.add(null, FailoverListener.of(e -> {
                thrown.add(e.name());
                throw new IllegalStateException("listener bug");
            }), pool);
            for (int i = 0; i < 200; i++) {
                listeners.publish(event("VI_1", i));
                listeners.publish(event("VI_2", i));
            }
            listeners.close(10_000);

            assertThat(calls.stream().filter(c -> c.startsWith("VI_1:")).toList())
                    .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 200).mapToObj(i -> "VI_1:" + i).toList());
            assertThat(calls.stream().filter(c -> c.startsWith("VI_2:"))).hasSize(200);
            assertThat(thrown).hasSize(400);
            assertThat(listeners.failures()).isEqualTo(400);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aScopedListenerHearsOnlyItsRouterAndARemovedOneHearsNothingMore() {
        Listeners listeners = new Listeners();
        List<String> vi2 = new CopyOnWriteArrayList<>();
        List<String> all = new CopyOnWriteArrayList<>();
        ListenerRegistration scoped = listeners.add("VI_2", recorder(vi2), Runnable::run);
        listeners.add(null, recorder(all), Runnable::run);

        listeners.publish(event("VI_1", 1));
        listeners.publish(event("VI_2", 2));
        scoped.close();
        scoped.close(); // idempotent
        listeners.publish(event("VI_2", 3));

        assertThat(vi2).containsExactly("VI_2:2");
        assertThat(all).containsExactly("VI_1:1", "VI_2:2", "VI_2:3");
    }

    @Test
    void anExecutorThatRefusesIsCountedAndDoesNotWedgeLaterDeliveries() {
        Listeners listeners = new Listeners();
        ExecutorService shut = Executors.newSingleThreadExecutor();
        shut.shutdown();
        listeners.add(null, recorder(new CopyOnWriteArrayList<>()), shut);

        listeners.publish(event("VI_1", 1));
        listeners.publish(event("VI_1", 2));

        assertThat(listeners.failures()).isEqualTo(2);
    }

    @Test
    void theDefaultListenerThreadStartsOnlyForAListenerWithoutAnExecutor() {
        RouterConfig config = RouterConfig.builder("VI_1", AddressFamily.IPV4, 51).virtualAddresses("192.0.2.100/24")
                .build();
        VirtualRouterSpec spec = VirtualRouterSpec.multicast(config, "eth0");
        try (VrrpNode none = VrrpNode.builder().router(spec).build();
             VrrpNode own = VrrpNode.builder().router(spec).listener(new FailoverListener() {}, Runnable::run).build();
             VrrpNode defaulted = VrrpNode.builder().router(spec).listener(new FailoverListener() {}).build()) {
            assertThat(none.defaultListenerThreadStarted()).isFalse();
            none.addListener("VI_1", new FailoverListener() {}, Runnable::run);
            assertThat(none.defaultListenerThreadStarted()).isFalse();
            assertThat(own.defaultListenerThreadStarted()).isFalse();
            assertThat(defaulted.defaultListenerThreadStarted()).isTrue();
        }
    }

    @Test
    void readingAndListeningNameTheRoutersThatExist() throws Exception {
        RouterConfig config = RouterConfig.builder("VI_1", AddressFamily.IPV4, 51).virtualAddresses("192.0.2.100/24")
                .build();
        try (VrrpNode node = VrrpNode.builder().router(VirtualRouterSpec.multicast(config, "eth0"))
                .syncGroup(new SyncGroup("VG_1", List.of("VI_1"))).build()) {
            assertThat(node.isActive("VI_1")).isFalse(); // not started
            assertThat(node.awaitState("VI_1", State.INITIALIZE, java.time.Duration.ZERO)).isTrue();
            assertThat(node.awaitState("VI_1", State.ACTIVE, java.time.Duration.ofMillis(20))).isFalse();
            node.addListener("VG_1", new FailoverListener() {}, Runnable::run).close();
            assertThatThrownBy(() -> node.isActive("VI_9")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("router 'VI_9' is not configured (have [VI_1])");
            assertThatThrownBy(() -> node.addListener("VI_9", new FailoverListener() {}, Runnable::run))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("name 'VI_9': no router or sync group of that name (routers [VI_1], groups [VG_1])");
        }
    }
}
