package dev.vrrp4j.netty.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real keepalived (VRRP subsystem only) running in the foreground inside a namespace of a
 * {@link NetnsLan}: started with {@link NetnsLan#startProcess} so the LAN kills it on close, its
 * console log collected line by line, its state read from the {@code (VI_1) Entering MASTER STATE}
 * lines it logs, and ended by PID only.
 *
 * <p>keepalived runs as a parent that forks a VRRP child; the child speaks VRRP. It is started with
 * {@code --dont-respawn}, so {@link #kill()} (SIGKILL to the VRRP child) is a real crash: no
 * priority 0, the VIPs stay where they were, and the parent exits instead of starting a new child.
 */
public final class KeepalivedProcess implements AutoCloseable {
    /** Where the Debian package installs it (2.2.7 on bookworm). */
    public static final Path BINARY = Path.of("/usr/sbin/keepalived");
    /** keepalived 2.4.3, the first with auth_hmac, where {@code ../shared/peers/build-keepalived.sh} installs it. */
    public static final Path BINARY_2_4_3 = Path.of("/opt/keepalived-2.4.3/sbin/keepalived");

    private static final Pattern ENTERING = Pattern.compile("\\((\\S+)\\) Entering (\\S+) STATE");

    private final String namespace;
    private final Process process;
    private final NetnsLan.Capture output;
    private final Path vrrpPidFile;
    private int stateCursor;

    private KeepalivedProcess(String namespace, Process process, Path vrrpPidFile) {
        this.namespace = namespace;
        this.process = process;
        this.output = NetnsLan.Capture.of(process);
        this.vrrpPidFile = vrrpPidFile;
    }

    /** Whether keepalived is installed at {@link #BINARY}. */
    public static boolean isInstalled() {
        return isInstalled(BINARY);
    }

    /** Whether a keepalived binary is at {@code binary}. */
    public static boolean isInstalled(Path binary) {
        return Files.isExecutable(binary);
    }

    /**
     * Writes {@code directory/keepalived.conf} (test global_defs plus {@code instances}, the
     * {@code vrrp_instance} blocks), starts keepalived on it in {@code namespace} and waits until its
     * VRRP child runs.
     */
    public static KeepalivedProcess start(NetnsLan lan, String namespace, Path directory, String instances) {
        return start(lan, namespace, directory, instances, BINARY);
    }

    /** {@link #start(NetnsLan, String, Path, String)} with the keepalived at {@code binary}. */
    public static KeepalivedProcess start(NetnsLan lan, String namespace, Path directory, String instances,
                                          Path binary) {
        Path config = directory.resolve("keepalived.conf");
        try {
            // No syslog, no GARP repeat 5 s after a takeover (it would blur the captures), no scripts.
            Files.writeString(config, """
                    global_defs {
                        router_id vrrp4j_it
                        enable_script_security
                        vrrp_garp_master_delay 0
                    }
                    """ + instances, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError("writing " + config, e);
        }
        return startOnFile(lan, namespace, config, directory, binary);
    }

    /**
     * Starts keepalived (VRRP only, foreground) in {@code namespace} on {@code config} exactly as
     * given, an operator's file, keeping its pid files in {@code runDirectory}; waits until its VRRP
     * child runs.
     */
    public static KeepalivedProcess startOnFile(NetnsLan lan, String namespace, Path config, Path runDirectory) {
        return startOnFile(lan, namespace, config, runDirectory, BINARY);
    }

    /** {@link #startOnFile(NetnsLan, String, Path, Path)} with the keepalived at {@code binary}. */
    public static KeepalivedProcess startOnFile(NetnsLan lan, String namespace, Path config, Path runDirectory,
                                                Path binary) {
        Path vrrpPidFile = runDirectory.resolve("vrrp.pid");
        List<String> command = new java.util.ArrayList<>(List.of(binary.toString(), "--dont-fork", "--log-console",
                "--log-detail", "--no-syslog", "--dont-respawn", "-f", config.toString(),
                "-p", runDirectory.resolve("keepalived.pid").toString(), "-r", vrrpPidFile.toString()));
        if (binary.equals(BINARY)) {
            // Debian's build has the checkers (LVS): VRRP only, and their pid file here. build-keepalived.sh
            // builds without them, and then has neither option (its getopt would take --vrrp for --vrrp_pid).
            command.addAll(List.of("--vrrp", "-c", runDirectory.resolve("checkers.pid").toString()));
        }
        Process process = lan.startProcess(namespace, command.toArray(String[]::new));
        KeepalivedProcess keepalived = new KeepalivedProcess(namespace, process, vrrpPidFile);
        keepalived.output.awaitLine(Duration.ofSeconds(10), "Startup complete");
        return keepalived;
    }

    /**
     * Waits for the next {@code (instance) Entering <state> STATE} line (MASTER, BACKUP, FAULT) that
     * an earlier call has not already returned; returns the line.
     */
    public String awaitState(String instance, String state, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<String> lines = output.lines();
            for (int i = stateCursor; i < lines.size(); i++) {
                Matcher m = ENTERING.matcher(lines.get(i));
                if (m.find() && m.group(1).equals(instance) && m.group(2).equals(state)) {
                    stateCursor = i + 1;
                    return lines.get(i);
                }
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("keepalived in " + namespace + ": no (" + instance + ") Entering " + state
                        + " STATE within " + timeout + "; output:\n" + String.join("\n", lines));
            }
            sleep(10);
        }
    }

    /** Every state {@code instance} entered so far, in order (MASTER, BACKUP, FAULT). */
    public List<String> states(String instance) {
        return output.lines().stream().map(ENTERING::matcher).filter(Matcher::find)
                .filter(m -> m.group(1).equals(instance)).map(m -> m.group(2)).toList();
    }

    /** Every line keepalived logged so far. */
    public List<String> lines() {
        return output.lines();
    }

    public String namespace() {
        return namespace;
    }

    /**
     * kill -9 of the VRRP child, the process that speaks VRRP: no priority 0, no cleanup. Waits for
     * the parent to exit (it does not respawn the child).
     */
    public void kill() throws InterruptedException {
        ProcessHandle child = vrrpChild().orElseThrow(() -> new AssertionError(
                "keepalived in " + namespace + " has no running VRRP child; output:\n" + String.join("\n", lines())));
        child.destroyForcibly();
        child.onExit().orTimeout(5, TimeUnit.SECONDS).join();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("keepalived parent in " + namespace + " still running 5 s after its VRRP child died");
        }
    }

    /** The VRRP child named by the pid file, if it is a live descendant of this keepalived (never a reused PID). */
    private Optional<ProcessHandle> vrrpChild() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() - deadline < 0) {
            try {
                String text = Files.exists(vrrpPidFile) ? Files.readString(vrrpPidFile).strip() : "";
                if (!text.isEmpty()) {
                    long pid = Long.parseLong(text);
                    Optional<ProcessHandle> child = process.descendants().filter(h -> h.pid() == pid).findFirst();
                    if (child.isPresent()) {
                        return child;
                    }
                }
            } catch (IOException | NumberFormatException e) {
                // being written; read again
            }
            Thread.sleep(10);
        }
        return Optional.empty();
    }

    /**
     * SIGTERM to the parent: keepalived leaves gracefully (priority 0, VIPs removed); returns its exit
     * code. Sent through the process handle, not {@link Process#destroy()}, which would close our end
     * of keepalived's output before its last lines arrive.
     */
    public int terminate() throws InterruptedException {
        process.toHandle().destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new AssertionError("keepalived in " + namespace + " did not stop within 10 s");
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            terminate();
        }
        // A crashed parent can leave its VRRP child behind; it is still ours.
        process.descendants().forEach(ProcessHandle::destroyForcibly);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
