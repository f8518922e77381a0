package dev.vrrp4j.examples;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The README's first command, {@code sudo ./demo/nginx-failover.sh}, run as a user would: two
 * Nginx servers behind NginxFailover nodes in network namespaces (priorities 150 and 100, 1 s
 * advertisements), a client curling the VIP; srv1 is killed, srv2 must serve the VIP within the
 * RFC 9568 §6.1 Active_Down_Interval plus the client's reaction time, and srv1 must preempt when it
 * returns. Afterwards nothing of the demo may be left: no namespace, no node, no Nginx.
 */
class NginxFailoverDemoIT {
    private static final long TIMEOUT_SECONDS = 120;
    // RFC 9568 §6.1 for the Backup (priority 100) at 1 s: 3 * 1000 + (256 - 100) * 1000 / 256 ms.
    private static final long ACTIVE_DOWN_INTERVAL_100_MS = 3000 + (256 - 100) * 1000 / 256;
    // The client's reaction (a 300 ms curl timeout, a 100 ms period) and Nginx starting on srv2.
    private static final long CLIENT_ALLOWANCE_MS = 600;
    private static final Pattern RESULT = Pattern.compile("(?m)^RESULT (.*)$");
    private static final Pattern PAIR = Pattern.compile("(\\w+)=(\\S+)");

    private static Path root;
    private static Path script;

    @BeforeAll
    static void findScript() {
        Path module = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
        root = module.getParent();
        script = root.resolve(Path.of("demo", "nginx-failover.sh"));
        assertThat(script).as("the demo script").isExecutable();
        assertThat(root.resolve("examples/target/vrrp4j.jar")).as("the shaded jar (mvn package builds it)")
                .isRegularFile();
        assumeThat(System.getProperty("user.name")).as("the demo creates network namespaces: run as root")
                .isEqualTo("root");
        for (String tool : List.of("nginx", "curl")) {
            assumeThat(onPath(tool)).as(tool + " on the PATH (apt-get install nginx curl)").isTrue();
        }
    }

    @Test
    void srv2TakesOverWithinTheBoundAndSrv1PreemptsWhenItReturns() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(script.toString()).directory(root.toFile())
                .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home")); // the JDK 25 running this test
        Process demo = builder.start();
        StringBuilder output = new StringBuilder();
        Thread reader = Thread.ofPlatform().name("demo-output").start(() -> copy(demo.getInputStream(), output));

        boolean finished = demo.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!finished) {
            demo.destroy(); // SIGTERM: the script's trap cleans up
            if (!demo.waitFor(30, TimeUnit.SECONDS)) {
                demo.destroyForcibly();
            }
        }
        reader.join(5_000);
        String text;
        synchronized (output) {
            text = output.toString();
        }
        System.out.println(text);

        assertThat(finished).as("the demo finished within " + TIMEOUT_SECONDS + " s; output:\n" + text).isTrue();
        assertThat(demo.exitValue()).as("exit status; output:\n" + text).isZero();
        assertThat(text).contains("DEMO PASSED");
        Map<String, String> result = result(text);
        assertThat(result).containsEntry("before", "srv1").containsEntry("after", "srv2")
                .containsEntry("preempted", "srv1");
        long outageMs = Long.parseLong(result.get("outage_ms"));
        long boundMs = Long.parseLong(result.get("bound_ms"));
        assertThat(boundMs).as("the script's bound").isLessThanOrEqualTo(ACTIVE_DOWN_INTERVAL_100_MS + CLIENT_ALLOWANCE_MS);
        assertThat(outageMs).as("VIP unanswered, ms").isPositive().isLessThanOrEqualTo(boundMs);
        assertThat(Long.parseLong(result.get("preempt_ms"))).as("srv1 back to serving, ms").isPositive();

        assertThat(run("ip", "netns", "list").lines().filter(l -> l.startsWith("v4jdemo-")).toList())
                .as("namespaces left by the demo").isEmpty();
        assertThat(leftoverProcesses()).as("processes left by the demo").isEmpty();
    }

    private static Map<String, String> result(String text) {
        Matcher line = RESULT.matcher(text);
        assertThat(line.find()).as("a RESULT line in:\n" + text).isTrue();
        Map<String, String> pairs = new HashMap<>();
        Matcher pair = PAIR.matcher(line.group(1));
        while (pair.find()) {
            pairs.put(pair.group(1), pair.group(2));
        }
        return pairs;
    }

    /** NginxFailover nodes and Nginx masters of the demo (their command lines name its work dir). */
    private static List<String> leftoverProcesses() throws InterruptedException {
        List<String> left = List.of();
        for (int attempt = 0; attempt < 20; attempt++) { // an exited Nginx may be a zombie for a moment
            left = ProcessHandle.allProcesses().filter(NginxControl::running)
                    .map(p -> p.info().commandLine().orElse(""))
                    .filter(c -> c.contains("/tmp/v4jdemo.") || c.contains("dev.vrrp4j.examples.NginxFailover"))
                    .toList();
            if (left.isEmpty()) {
                return left;
            }
            Thread.sleep(100);
        }
        return left;
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin", tool)) || Files.isExecutable(Path.of("/usr/bin", tool));
    }

    private static String run(String... argv) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(10, TimeUnit.SECONDS);
        return out;
    }

    private static void copy(InputStream in, StringBuilder sink) {
        char[] buffer = new char[4096];
        try (var reader = new java.io.InputStreamReader(in, StandardCharsets.UTF_8)) {
            int n;
            while ((n = reader.read(buffer)) > 0) {
                synchronized (sink) {
                    sink.append(buffer, 0, n);
                }
            }
        } catch (IOException ignored) {
            // the demo ended
        }
    }
}
