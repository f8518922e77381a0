/** The programs: {@code bin/vrrp4j} (a keepalived.conf runner), the Nginx failover and the smallest embedding. */
module dev.vrrp4j.examples {
    requires dev.vrrp4j.netty;
    requires org.slf4j;
    requires java.net.http;
    requires jdk.httpserver;
    // sun.misc.Signal: the JDK's only way to keep SIGHUP from shutting the JVM down (HangupReload).
    requires jdk.unsupported;
    provides org.slf4j.spi.SLF4JServiceProvider with dev.vrrp4j.examples.cli.LineLogging;
}
