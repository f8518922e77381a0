package dev.vrrp4j.netty.transport;

import dev.vrrp4j.netty.testing.NetnsLan;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.net.InetAddress;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Native failures read as what went wrong and what to grant. */
class NativeExceptionTest {
    private static final int CAP_NET_ADMIN = 12;
    private static final int CAP_NET_RAW = 13;

    @Test
    void capabilityIsNamedOnlyForPermissionFailures() {
        assertThat(RequiredCapability.CAP_NET_RAW.hintFor(Errno.EPERM.value())).isEqualTo("CAP_NET_RAW is required");
        assertThat(RequiredCapability.CAP_NET_RAW.hintFor(Errno.EACCES.value())).isEqualTo("CAP_NET_RAW is required");
        assertThat(RequiredCapability.CAP_NET_ADMIN.hintFor(Errno.EPERM.value())).isEqualTo("CAP_NET_ADMIN is required");
        assertThat(RequiredCapability.CAP_NET_RAW.hintFor(Errno.EINVAL.value())).isNull();
        assertThat(RequiredCapability.NONE.hintFor(Errno.EPERM.value())).isNull();
    }

    @Test
    void messageNamesCallErrnoAndStrerror() {
        NativeException e = new NativeException("socket(AF_INET, SOCK_RAW, 112)", 1, RequiredCapability.CAP_NET_RAW);
        assertThat(e).hasMessage("socket(AF_INET, SOCK_RAW, 112) failed: EPERM (Operation not permitted): CAP_NET_RAW is required");
        assertThat(new NativeException("x", 200, RequiredCapability.NONE).getMessage()).startsWith("x failed: errno 200 (");
        assertThat(new NativeException("x", 200, RequiredCapability.NONE).errno()).isEqualTo(Errno.UNKNOWN);
    }

    @Test
    void realFailingCallOnAClosedDescriptorReportsEbadf() throws Exception {
        NativeSocket socket = NativeSocket.open(LinuxSyscalls.AF_INET, LinuxSyscalls.SOCK_DGRAM, 0, "AF_INET, SOCK_DGRAM, 0",
                RequiredCapability.NONE, "test socket");
        int fd = socket.fd();
        socket.close();

        assertThatThrownBy(() -> LinuxSyscalls.setsockopt(fd, SocketOption.SO_RCVBUF, 4096))
                .isInstanceOfSatisfying(NativeException.class, e -> {
                    assertThat(e.errno()).isEqualTo(Errno.EBADF);
                    assertThat(e.errnoValue()).isEqualTo(9);
                    assertThat(e.call()).isEqualTo("setsockopt(fd " + fd + ", SOL_SOCKET, SO_RCVBUF, 4096)");
                })
                .hasMessage("setsockopt(fd " + fd + ", SOL_SOCKET, SO_RCVBUF, 4096) failed: EBADF (Bad file descriptor)");
    }

    @Test
    void unknownInterfaceFailsBeforeAnySocketIsOpened() {
        assertThatThrownBy(() -> VrrpReceiveSocket.openIpv4("nonexistent0"))
                .hasMessage("if_nametoindex(nonexistent0) failed: ENODEV (No such device)");
        assertThatThrownBy(() -> VrrpReceiveSocket.openIpv4("a-name-far-too-long"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("interface name \"a-name-far-too-long\" must be 1..15 bytes, is 19");
    }

    @Test
    void withoutCapabilitiesTheErrorsNameTheMissingOne() throws Exception {
        try (NetnsLan lan = NetnsLan.create(1)) {
            // Capabilities are per thread: drop them on the throw-away thread runIn creates.
            String rawIpv4 = lan.runIn(lan.host(0), () -> {
                dropEffectiveCapabilities(CAP_NET_RAW);
                return messageOf(() -> VrrpReceiveSocket.openIpv4("eth0"));
            });
            String rawIpv6 = lan.runIn(lan.host(0), () -> {
                dropEffectiveCapabilities(CAP_NET_RAW);
                return messageOf(() -> VrrpSendSocket.openIpv6("eth0", null));
            });
            String packet = lan.runIn(lan.host(0), () -> {
                dropEffectiveCapabilities(CAP_NET_RAW);
                return messageOf(() -> GratuitousArpSender.open("eth0"));
            });
            String netlink = lan.runIn(lan.host(0), () -> {
                dropEffectiveCapabilities(CAP_NET_ADMIN);
                try (RtNetlink rtnetlink = RtNetlink.open()) {
                    return messageOf(() -> rtnetlink.addAddress("eth0", InetAddress.getByName("192.0.2.100"), 24));
                }
            });

            assertThat(rawIpv4).isEqualTo("socket(AF_INET, SOCK_RAW, 112) failed: EPERM (Operation not permitted): CAP_NET_RAW is required");
            assertThat(rawIpv6).isEqualTo("socket(AF_INET6, SOCK_RAW, 112) failed: EPERM (Operation not permitted): CAP_NET_RAW is required");
            assertThat(packet).isEqualTo("socket(AF_PACKET, SOCK_DGRAM, 0) failed: EPERM (Operation not permitted): CAP_NET_RAW is required");
            assertThat(netlink).isEqualTo("RTM_NEWADDR 192.0.2.100/24 dev eth0 failed: EPERM (Operation not permitted): CAP_NET_ADMIN is required");
            assertThat(lan.ipAddr(lan.host(0))).doesNotContain("192.0.2.100");
        }
    }

    private interface Call {
        Object run() throws Exception;
    }

    private static String messageOf(Call call) {
        try {
            Object result = call.run();
            if (result instanceof AutoCloseable closeable) {
                closeable.close();
            }
            return "no failure";
        } catch (Exception e) {
            return e.getMessage();
        }
    }

    /** capset(2) on the calling thread: clears {@code capabilities} from its effective set. */
    private static void dropEffectiveCapabilities(int... capabilities) {
        MethodHandle capget = LinuxSyscalls.errnoCall("capget", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        MethodHandle capset = LinuxSyscalls.errnoCall("capset", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment header = arena.allocate(8, 4); // { u32 version; int pid; } pid 0: this thread
            header.set(JAVA_INT, 0, 0x20080522);        // _LINUX_CAPABILITY_VERSION_3
            MemorySegment data = arena.allocate(24, 4); // 2 x { u32 effective, permitted, inheritable }
            assertThat((int) capget.invokeExact(LinuxSyscalls.capture(), header, data)).isZero();
            int effective = data.get(JAVA_INT, 0);
            for (int capability : capabilities) {
                effective &= ~(1 << capability);
            }
            data.set(JAVA_INT, 0, effective);
            assertThat((int) capset.invokeExact(LinuxSyscalls.capture(), header, data)).isZero();
        } catch (Throwable t) {
            throw LinuxSyscalls.rethrow(t);
        }
    }
}
