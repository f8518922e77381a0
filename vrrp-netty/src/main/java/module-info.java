/**
 * vrrp4j on the network: {@link dev.vrrp4j.netty.VrrpNode} and its API, the keepalived
 * compatibility layer and the optional Micrometer binder. The event loop ({@code netty.driver}),
 * the syscalls ({@code netty.transport}) and the bridge between them ({@code netty.internal}) are
 * not exported: what they expose (socket handles, counters the driver increments) is not the
 * user's to touch.
 *
 * <p>On the module path, grant native access to this module and to Netty's (the FFM syscalls and
 * Netty's JNI library): {@code --enable-native-access=dev.vrrp4j.netty,io.netty.common}, and
 * resolve the native epoll module, which nothing requires by name because it differs per platform:
 * {@code --add-modules io.netty.transport.epoll.linux.x86_64}.
 */
module dev.vrrp4j.netty {
    requires transitive dev.vrrp4j.core;
    requires org.slf4j;
    requires java.net.http; // HealthCheck.http
    requires io.netty.common;
    requires io.netty.transport;
    requires io.netty.transport.unix.common;
    requires io.netty.transport.classes.epoll;
    // Optional: only VrrpMeterBinder uses it, and only an application that has Micrometer calls it.
    requires static micrometer.core;

    exports dev.vrrp4j.netty;
    exports dev.vrrp4j.netty.keepalived;
    exports dev.vrrp4j.netty.micrometer;
}
