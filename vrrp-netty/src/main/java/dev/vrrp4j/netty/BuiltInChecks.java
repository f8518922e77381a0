package dev.vrrp4j.netty;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@link HealthCheck#command} and {@link HealthCheck#http}, with value equality: a reload builds
 * its checks anew, and an unchanged {@code vrrp_script} must compare equal to the running one
 * ({@code core.node.ConfigDiff}) or every reload would restart its rise/fall count.
 */
final class BuiltInChecks {
    private BuiltInChecks() {}

    static final class Command implements HealthCheck {
        private final List<String> argv;

        Command(List<String> argv) {
            this.argv = List.copyOf(argv);
            if (this.argv.isEmpty()) {
                throw new IllegalArgumentException("command: argv is empty, expected the program and its arguments");
            }
        }

        @Override
        public CompletionStage<Boolean> check(CheckContext context) {
            Duration timeout = context.timeout();
            try {
                Process process = new ProcessBuilder(argv).redirectErrorStream(true)
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
                try (InputStream out = process.getInputStream()) {
                    Thread.ofVirtual().start(() -> drain(out));
                    if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                        process.descendants().forEach(ProcessHandle::destroyForcibly);
                        process.destroyForcibly();
                        return CompletableFuture.completedFuture(false);
                    }
                    return CompletableFuture.completedFuture(process.exitValue() == 0);
                }
            } catch (IOException e) {
                return CompletableFuture.failedFuture(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return CompletableFuture.failedFuture(e);
            }
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Command command && command.argv.equals(argv);
        }

        @Override
        public int hashCode() {
            return argv.hashCode();
        }

        @Override
        public String toString() {
            return "command " + argv;
        }
    }

    static final class Http implements HealthCheck {
        private final URI uri;
        // Built on first use, on the check's own thread: its sockets then belong to the network
        // namespace the node runs in, not to whichever thread built the check.
        private final AtomicReference<HttpClient> client = new AtomicReference<>();

        Http(URI uri) {
            this.uri = Objects.requireNonNull(uri, "uri");
        }

        @Override
        public CompletionStage<Boolean> check(CheckContext context) {
            HttpClient http = client.updateAndGet(existing -> existing != null ? existing
                    : HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                    .connectTimeout(Duration.ofSeconds(5)).build());
            return http.sendAsync(HttpRequest.newBuilder(uri).timeout(context.timeout()).GET().build(),
                            HttpResponse.BodyHandlers.discarding())
                    .thenApply(response -> response.statusCode() >= 200 && response.statusCode() < 400);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Http http && http.uri.equals(uri);
        }

        @Override
        public int hashCode() {
            return uri.hashCode();
        }

        @Override
        public String toString() {
            return "GET " + uri;
        }
    }

    private static void drain(InputStream in) {
        try {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException ignored) {
            // the process ended
        }
    }
}
