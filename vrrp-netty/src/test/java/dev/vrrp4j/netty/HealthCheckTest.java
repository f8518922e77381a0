package dev.vrrp4j.netty;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The built-in checks: a command's exit code (no shell, killed on timeout) and an HTTP status. */
class HealthCheckTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private static boolean run(HealthCheck check, Duration timeout) throws Exception {
        return check.check(CheckContext.of(timeout)).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aCommandIsHealthyExactlyWhenItExitsZero() throws Exception {
        assertThat(run(HealthCheck.command(List.of("/bin/true")), TIMEOUT)).isTrue();
        assertThat(run(HealthCheck.command(List.of("/bin/false")), TIMEOUT)).isFalse();
        assertThat(run(HealthCheck.command(List.of("/bin/sh", "-c", "exit 3")), TIMEOUT)).isFalse();
    }

    @Test
    void argumentsReachTheProgramLiterallyWithoutAShell(@TempDir Path dir) throws Exception {
        Path marker = dir.resolve("injected");
        // Were this interpreted by a shell, the substitution would create the marker file.
        HealthCheck check = HealthCheck.command(List.of("/bin/echo", "$(touch " + marker + ")", ";", "touch", marker.toString()));
        assertThat(run(check, TIMEOUT)).isTrue();
        assertThat(marker).doesNotExist();
    }

    @Test
    void aCommandThatOutlivesItsTimeoutIsKilledAndFails() throws Exception {
        long start = System.nanoTime();
        assertThat(run(HealthCheck.command(List.of("/bin/sleep", "30")), Duration.ofMillis(300))).isFalse();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(3_000);
    }

    @Test
    void anHttpCheckAcceptsTwoAndThreeHundredsOnly() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
        for (int code : new int[] {200, 204, 302, 404, 503}) {
            server.createContext("/" + code, exchange -> {
                exchange.sendResponseHeaders(code, -1);
                exchange.close();
            });
        }
        server.createContext("/slow", exchange -> {
            try {
                Thread.sleep(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
            assertThat(run(HealthCheck.http(URI.create(base + "200")), TIMEOUT)).isTrue();
            assertThat(run(HealthCheck.http(URI.create(base + "204")), TIMEOUT)).isTrue();
            assertThat(run(HealthCheck.http(URI.create(base + "302")), TIMEOUT)).isTrue();
            assertThat(run(HealthCheck.http(URI.create(base + "404")), TIMEOUT)).isFalse();
            assertThat(run(HealthCheck.http(URI.create(base + "503")), TIMEOUT)).isFalse();
            // A timeout surfaces as a failed stage; the node's runner counts that as unhealthy.
            assertThat(HealthCheck.http(URI.create(base + "slow")).check(CheckContext.of(Duration.ofMillis(200)))
                    .toCompletableFuture().handle((ok, failure) -> failure != null || !ok).get(5, TimeUnit.SECONDS))
                    .isTrue();
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aSupplierCheckReportsWhatTheApplicationSays() throws Exception {
        assertThat(run(HealthCheck.of(() -> true), TIMEOUT)).isTrue();
        assertThat(run(HealthCheck.of(() -> false), TIMEOUT)).isFalse();
    }
}
