package dev.vrrp4j.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Starts, reloads and stops one Nginx instance given by its binary and its own configuration file,
 * the way an operator would: {@code nginx -c CONF}, {@code nginx -c CONF -s reload},
 * {@code nginx -c CONF -s quit}. Every command is an argv run by {@link ProcessBuilder}: no shell.
 * The running master is found through the configuration's pid file; a PID is only trusted while
 * the process behind it is still an nginx.
 */
final class NginxControl {
    /** How long {@code nginx -c CONF} (which daemonizes) or {@code -s ...} may take. */
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);
    /** How long after {@code nginx -c CONF} the pid file must name the new master. */
    static final Duration PID_FILE_TIMEOUT = Duration.ofSeconds(3);
    /** How long a graceful quit may take before the master and its workers are killed by PID. */
    static final Duration QUIT_TIMEOUT = Duration.ofSeconds(5);

    private static final Pattern PID_PATH_OPTION = Pattern.compile("--pid-path=(\\S+)");

    private final Path nginx;
    private final Path conf;
    private final Path pidFile;

    NginxControl(Path nginx, Path conf, Path pidFile) {
        this.nginx = nginx;
        this.conf = conf;
        this.pidFile = pidFile;
    }

    /**
     * The pid file {@code conf} names ({@code pid /run/nginx-a.pid;}), or nginx's built-in one
     * ({@code --pid-path} of {@code nginx -V}) if it names none.
     */
    static Path pidFileOf(Path nginx, Path conf) throws IOException {
        String path = mainContextPid(Files.readString(conf, StandardCharsets.UTF_8));
        if (path == null) {
            Result version = run(List.of(nginx.toString(), "-V"));
            Matcher option = PID_PATH_OPTION.matcher(version.output());
            if (!option.find()) {
                throw new IOException(conf + " has no 'pid' directive and '" + nginx
                        + " -V' names no --pid-path; add 'pid /some/dir/nginx.pid;' to " + conf);
            }
            path = option.group(1);
        }
        Path pid = Path.of(path);
        if (!pid.isAbsolute()) {
            throw new IOException("pid file " + path + " in " + conf + " is relative to nginx's prefix; write it as "
                    + "an absolute path");
        }
        return pid;
    }

    /**
     * The value of the {@code pid} directive in the main context (outside every block), or null.
     * A small scanner, not nginx's parser: it drops {@code #} comments and follows braces, which
     * is enough for a pid line; a pid set in an {@code include}d file is not seen.
     */
    static String mainContextPid(String text) {
        String uncommented = text.replaceAll("#[^\n]*", "");
        int depth = 0;
        StringBuilder statement = new StringBuilder();
        for (int i = 0; i < uncommented.length(); i++) {
            char c = uncommented.charAt(i);
            switch (c) {
                case '{' -> {
                    depth++;
                    statement.setLength(0);
                }
                case '}' -> {
                    depth--;
                    statement.setLength(0);
                }
                case ';' -> {
                    String[] words = statement.toString().strip().split("\\s+");
                    if (depth == 0 && words.length == 2 && words[0].equals("pid")) {
                        return words[1].replaceAll("^[\"']|[\"']$", "");
                    }
                    statement.setLength(0);
                }
                default -> statement.append(c);
            }
        }
        return null;
    }

    Path pidFile() {
        return pidFile;
    }

    /** The running master, if the pid file names a live nginx process. */
    Optional<ProcessHandle> master() {
        long pid;
        try {
            pid = Long.parseLong(Files.readString(pidFile, StandardCharsets.US_ASCII).strip());
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
        // A stale pid file may name a PID the kernel has since given to something else.
        return ProcessHandle.of(pid).filter(NginxControl::running)
                .filter(p -> p.info().command().map(c -> c.contains("nginx")).orElse(true));
    }

    /**
     * Alive and not a zombie. An exited daemon stays a zombie until its new parent (init) reaps
     * it, which some inits do only every second or so; ProcessHandle.isAlive() counts zombies as
     * alive, but a zombie holds no sockets.
     */
    static boolean running(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"),
                    StandardCharsets.US_ASCII);
            // "pid (comm) S ...": the state follows the last ')', as comm may contain anything.
            int close = stat.lastIndexOf(')');
            return close < 0 || close + 2 >= stat.length() || stat.charAt(close + 2) != 'Z';
        } catch (IOException e) {
            return process.isAlive(); // no /proc entry: gone, unless /proc is not mounted
        }
    }

    /** Starts nginx unless it runs already; returns what happened, for the log. */
    String start() throws IOException {
        Optional<ProcessHandle> running = master();
        if (running.isPresent()) {
            return "nginx already running (master pid " + running.get().pid() + ")";
        }
        long startedAt = System.nanoTime();
        check(run(List.of(nginx.toString(), "-c", conf.toString())), "start");
        // The launcher exits once the daemon is up; the daemon writes the pid file right after forking.
        long deadline = System.nanoTime() + PID_FILE_TIMEOUT.toNanos();
        while ((running = master()).isEmpty()) {
            if (System.nanoTime() - deadline > 0) {
                throw new IOException("nginx -c " + conf + " exited 0 but " + pidFile + " names no running nginx "
                        + PID_FILE_TIMEOUT.toMillis() + " ms later; is that the 'pid' of " + conf + "?");
            }
            if (!pause()) {
                throw new IOException("interrupted waiting for " + pidFile);
            }
        }
        return "nginx started (master pid " + running.get().pid() + ", " + millisSince(startedAt) + " ms)";
    }

    /** Makes nginx re-read its configuration (and reopen its sockets on the addresses now present). */
    String reload() throws IOException {
        Optional<ProcessHandle> running = master();
        if (running.isEmpty()) {
            return start() + " (was not running, so started instead of reloaded)";
        }
        long startedAt = System.nanoTime();
        check(run(List.of(nginx.toString(), "-c", conf.toString(), "-s", "reload")), "reload");
        return "nginx reloaded (master pid " + running.get().pid() + ", " + millisSince(startedAt) + " ms)";
    }

    /**
     * Stops nginx gracefully ({@code -s quit}: finish the requests in flight), waits up to
     * {@link #QUIT_TIMEOUT} for the master to exit, then kills it and its workers by PID.
     */
    String stop() throws IOException {
        Optional<ProcessHandle> running = master();
        if (running.isEmpty()) {
            return "nginx not running (" + pidFile + "), nothing to stop";
        }
        ProcessHandle master = running.get();
        List<ProcessHandle> workers = master.children().toList();
        long startedAt = System.nanoTime();
        Result quit = run(List.of(nginx.toString(), "-c", conf.toString(), "-s", "quit"));
        if (quit.exitCode() == 0 && awaitExit(master, QUIT_TIMEOUT)) {
            awaitExit(workers, Duration.ofSeconds(1));
            return "nginx stopped (master pid " + master.pid() + ", " + millisSince(startedAt) + " ms)";
        }
        // Kill the workers too: a worker outlives a killed master and keeps the port.
        List<ProcessHandle> all = new ArrayList<>(workers);
        master.descendants().forEach(all::add);
        all.add(master);
        all.forEach(ProcessHandle::destroyForcibly);
        boolean gone = awaitExit(all, Duration.ofSeconds(2));
        String why = quit.exitCode() != 0 ? "'-s quit' failed (exit " + quit.exitCode() + ": " + quit.output().strip() + ")"
                : "still running " + QUIT_TIMEOUT.toMillis() + " ms after '-s quit'";
        if (!gone) {
            throw new IOException("nginx master pid " + master.pid() + " " + why + " and survived SIGKILL");
        }
        return "nginx killed (master pid " + master.pid() + " " + why + ", SIGKILL to it and its workers)";
    }

    private record Result(int exitCode, String output) {}

    private void check(Result result, String what) throws IOException {
        if (result.exitCode() != 0) {
            throw new IOException("nginx " + what + " failed: '" + nginx + " -c " + conf + "' exited " + result.exitCode()
                    + (result.output().isBlank() ? "" : ": " + result.output().strip().replace('\n', ' ')));
        }
    }

    /**
     * Runs {@code argv} and returns its exit code and output. The output goes to a file, not a
     * pipe: a daemonizing nginx hands its stderr to the daemon, so a pipe would never end.
     */
    private static Result run(List<String> argv) throws IOException {
        Path out = Files.createTempFile("vrrp4j-nginx-", ".out");
        try {
            Process process = new ProcessBuilder(argv).redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            try {
                if (!process.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    throw new IOException(String.join(" ", argv) + " did not finish within "
                            + COMMAND_TIMEOUT.toSeconds() + " s; killed it");
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted running " + String.join(" ", argv), e);
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static boolean awaitExit(ProcessHandle process, Duration timeout) {
        return awaitExit(List.of(process), timeout);
    }

    // Polls: onExit() of a process that is not our child polls too, and this keeps it visible.
    private static boolean awaitExit(List<ProcessHandle> processes, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (processes.stream().anyMatch(NginxControl::running)) {
            if (System.nanoTime() - deadline > 0 || !pause()) {
                return false;
            }
        }
        return true;
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /** Sleeps 10 ms; false if interrupted (the flag stays set). */
    private static boolean pause() {
        try {
            Thread.sleep(10);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
