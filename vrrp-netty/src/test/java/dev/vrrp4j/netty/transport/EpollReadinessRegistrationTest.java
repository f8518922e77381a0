package dev.vrrp4j.netty.transport;

import dev.vrrp4j.netty.testing.NetnsLan;
import io.netty.channel.IoEventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Readiness of FFM sockets delivered by a Netty 4.2 epoll event loop. */
class EpollReadinessRegistrationTest {
    private static NetnsLan lan;
    private static MultiThreadIoEventLoopGroup group;

    @BeforeAll
    static void setUp() {
        lan = NetnsLan.create(2);
        group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    }

    @AfterAll
    static void tearDown() {
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
        if (lan != null) {
            lan.close();
        }
    }

    @Test
    void receiveSocketCallbackRunsOnTheLoopWhenAPacketArrives() throws Exception {
        IoEventLoop loop = group.next();
        List<String> received = new CopyOnWriteArrayList<>();
        CountDownLatch arrived = new CountDownLatch(2);
        try (VrrpReceiveSocket receiver = lan.runIn(lan.host(1), () -> VrrpReceiveSocket.openIpv6("eth0"));
             VrrpSendSocket sender = lan.runIn(lan.host(0), () -> VrrpSendSocket.openIpv6("eth0", null))) {
            ByteBuffer buffer = ByteBuffer.allocate(1024);
            ReceivedPacketInfo info = new ReceivedPacketInfo();
            EpollReadinessRegistration registration = EpollReadinessRegistration.register(loop, receiver.fd(), () -> {
                assertThat(loop.inEventLoop()).isTrue();
                try {
                    while (receiver.receive(buffer.clear(), info) >= 0) {
                        received.add(buffer.get(2) + " hlim " + info.ttl());
                        arrived.countDown();
                    }
                } catch (NativeException e) {
                    received.add(e.getMessage());
                }
            }).sync().getNow();

            InetAddress group = InetAddress.getByName("ff02::12");
            byte[] message = VrrpSocketTest.message(24);
            sender.send(ByteBuffer.wrap(message), group);
            message[2] = 101;
            sender.send(ByteBuffer.wrap(message), group);

            assertThat(arrived.await(5, TimeUnit.SECONDS)).as("callbacks, got %s", received).isTrue();
            assertThat(received).containsExactly("100 hlim 255", "101 hlim 255");

            registration.cancel().sync();
            message[2] = 102;
            sender.send(ByteBuffer.wrap(message), group);
            Thread.sleep(200);
            assertThat(received).as("no callback after cancel").hasSize(2);
            assertThat(receiver.receive(buffer.clear(), info)).as("the packet is still queued, unread").isEqualTo(24);
            assertThat(buffer.get(2)).isEqualTo((byte) 102);
        }
    }

    @Test
    void linkMonitorCallbackRunsWhenTheLinkChanges() throws Exception {
        IoEventLoop loop = group.next();
        String host = lan.host(0);
        lan.run("ip", "-n", host, "link", "add", "vt7", "type", "veth", "peer", "name", "vt8");
        lan.run("ip", "-n", host, "link", "set", "vt8", "up");
        List<LinkEvent> events = new CopyOnWriteArrayList<>();
        CountDownLatch up = new CountDownLatch(1);
        try (LinkMonitor monitor = lan.runIn(host, () -> LinkMonitor.open("vt7"))) {
            EpollReadinessRegistration registration = EpollReadinessRegistration.register(loop, monitor.fd(), () -> {
                try {
                    for (LinkEvent event : monitor.poll()) {
                        events.add(event);
                        up.countDown();
                    }
                } catch (NativeException e) {
                    throw new IllegalStateException(e);
                }
            }).sync().getNow();

            lan.run("ip", "-n", host, "link", "set", "vt7", "up");

            assertThat(up.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(events).extracting(LinkEvent::state).containsExactly(LinkEvent.State.UP);
            registration.cancel().sync();
        } finally {
            lan.run("ip", "-n", host, "link", "del", "vt7");
        }
    }

    @Test
    void aNonEpollLoopIsRefusedWithAnExplanation() {
        MultiThreadIoEventLoopGroup nio = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            assertThatThrownBy(() -> EpollReadinessRegistration.register(nio.next(), 0, () -> { }))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is not an epoll loop");
        } finally {
            nio.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
