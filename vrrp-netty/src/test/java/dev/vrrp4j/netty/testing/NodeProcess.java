package dev.vrrp4j.netty.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A vrrp4j node ({@link NodeMain}) running as its own JVM inside a namespace of a {@link NetnsLan}:
 * its output lines, and the two ways it can end (SIGTERM, SIGKILL), by PID.
 */
public final class NodeProcess implements AutoCloseable {
    private final String namespace;
    private final Process process;
    private final NetnsLan.Capture output;
    private int eventCursor;

    private NodeProcess(String namespace, Process process) {
        this.namespace = namespace;
        this.process = process;
        this.output = NetnsLan.Capture.of(process);
    }

    /** Starts a node with one router per argument (see {@link NodeMain}) and waits until it runs. */
    public static NodeProcess start(NetnsLan lan, String namespace, String... routers) {
        NodeProcess node = launch(lan, namespace, List.of(), routers);
        node.output.awaitLine(Duration.ofSeconds(20), "STARTED");
        return node;
    }

    /**
     * Starts a node without waiting for it to run (it may be meant to fail), its command line
     * prefixed by {@code wrapper}, e.g. {@code setpriv --bounding-set=-net_raw ...}.
     */
    public static NodeProcess launch(NetnsLan lan, String namespace, List<String> wrapper, String... routers) {
        List<String> command = new ArrayList<>(wrapper);
        command.addAll(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-XX:+UseSerialGC", "-Xmx64m", "-XX:TieredStopAtLevel=1",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
                "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                NodeMain.class.getName()));
        command.addAll(List.of(routers));
        return new NodeProcess(namespace, lan.startProcess(namespace, command.toArray(String[]::new)));
    }

    /**
     * Waits for the process to end on its own and returns its exit status, with all its output read;
     * fails if it still runs after {@code timeout}.
     */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("node in " + namespace + " still running after " + timeout + "; output:\n"
                    + String.join("\n", lines()));
        }
        output.awaitEnd(Duration.ofSeconds(2)); // not stop(): destroy() would close the pipe under the reader
        return process.exitValue();
    }

    /**
     * Waits for the next transition of {@code router} to {@code toState} (keepalived names: MASTER,
     * BACKUP, FAULT, INIT) that an earlier call has not already returned; returns the line.
     */
    public String awaitEvent(String router, String toState, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<String> lines = output.lines();
            for (int i = eventCursor; i < lines.size(); i++) {
                String[] parts = lines.get(i).split(" ");
                if (parts.length >= 4 && parts[0].equals("EVENT") && parts[1].equals(router) && parts[3].equals(toState)) {
                    eventCursor = i + 1;
                    return lines.get(i);
                }
            }
            if (System.nanoTime() - deadline > 0 || !process.isAlive()) {
                throw new AssertionError("node in " + namespace + ": no " + router + " -> " + toState + " within "
                        + timeout + "; output:\n" + String.join("\n", lines));
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    /** Waits for a line containing {@code text}, up to 5 s. */
    public String awaitLine(String text) {
        return output.awaitLine(Duration.ofSeconds(5), text);
    }

    /** Every line the node printed so far. */
    public List<String> lines() {
        return output.lines();
    }

    /** Events printed so far, as "FROM TO reason". */
    public List<String> events(String router) {
        return output.lines().stream().filter(l -> l.startsWith("EVENT " + router + " "))
                .map(l -> l.substring(("EVENT " + router + " ").length())).toList();
    }

    public String namespace() {
        return namespace;
    }

    public long pid() {
        return process.pid();
    }

    /** SIGSTOP / SIGCONT by PID: a stopped process, as in a long GC pause. */
    public void signal(String signal) throws InterruptedException, java.io.IOException {
        new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start().waitFor();
    }

    /** kill -9: no priority 0, no cleanup. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
    }

    /**
     * SIGTERM: graceful leave; waits for it and returns the exit code. Sent with kill(1) by PID, not
     * {@link Process#destroy()}, which closes our end of the node's output before it can say goodbye.
     */
    public int terminate() throws InterruptedException, java.io.IOException {
        new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).inheritIO().start().waitFor();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("node in " + namespace + " did not stop within 15 s; output:\n"
                    + String.join("\n", lines()));
        }
        output.awaitLine(Duration.ofSeconds(2), "STOPPED");
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
