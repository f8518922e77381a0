package dev.vrrp4j.netty.keepalived;

import dev.vrrp4j.core.router.State;
import dev.vrrp4j.netty.FailoverListener;
import dev.vrrp4j.netty.GroupEvent;
import dev.vrrp4j.netty.RouterEvent;
import dev.vrrp4j.netty.VrrpNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A ready-made {@link FailoverListener} that runs keepalived-style notify scripts, so a
 * keepalived configuration's {@code notify_*} lines carry over unchanged.
 *
 * <pre>{@code
 * FailoverListener scripts = NotifyScripts.builder()
 *         .onMaster(List.of("/usr/local/bin/nginx-up"))
 *         .onBackup(List.of("/usr/local/bin/nginx-down"))
 *         .notify(List.of("/usr/local/bin/vrrp-notify"))
 *         .timeout(Duration.ofSeconds(10))
 *         .build();
 * }</pre>
 *
 * <h2>The keepalived mapping</h2>
 *
 * <table>
 * <caption>Which command runs for which transition</caption>
 * <tr><th>keepalived</th><th>builder</th><th>runs on</th><th>arguments added</th></tr>
 * <tr><td>{@code notify_master}</td><td>{@link Builder#onMaster}</td><td>{@link FailoverListener#onActive}</td><td>none</td></tr>
 * <tr><td>{@code notify_backup}</td><td>{@link Builder#onBackup}</td><td>{@link FailoverListener#onBackup}</td><td>none</td></tr>
 * <tr><td>{@code notify_fault}</td><td>{@link Builder#onFault}</td><td>{@link FailoverListener#onFault}</td><td>none</td></tr>
 * <tr><td>{@code notify_stop}</td><td>{@link Builder#onStop}</td><td>{@link FailoverListener#onStopped}</td><td>none</td></tr>
 * <tr><td>{@code notify}</td><td>{@link Builder#notify(List)}</td><td>every transition, after the specific command</td>
 *     <td>{@code INSTANCE|GROUP <name> <MASTER|BACKUP|FAULT|STOP> <priority>}</td></tr>
 * </table>
 *
 * <p>As in keepalived 2.x ({@code vrrp_notify.c}, {@code man keepalived.conf}): the specific
 * {@code notify_*} commands get only the arguments written in their configuration; the generic
 * {@code notify} command gets four more after its configured ones: {@code INSTANCE} for a router's
 * transition ({@link RouterEvent}) or {@code GROUP} for a sync group's ({@link GroupEvent}, when
 * this listener is registered for a {@code vrrp_sync_group}), the router's or group's name, the
 * target state in upper case as keepalived spells it ({@code MASTER} for Active, {@code BACKUP},
 * {@code FAULT}, or {@code STOP} when the node closes) and the priority: the router's effective
 * priority at the transition ({@link RouterEvent#priority()}), or 0 for a group, as keepalived
 * passes. A script written for keepalived's {@code notify} therefore reads {@code $1..$4} (or
 * {@code $(n-3)..$n}) exactly as before. A group's specific commands run on the group's
 * transitions, after the members' own.
 *
 * <h2>Differences from keepalived, on purpose</h2>
 *
 * <ul>
 * <li><b>No shell.</b> Each command is an argv list executed directly: no word splitting, quoting,
 *     globbing, {@code $(...)} or variable expansion, neither in the configured arguments nor in
 *     the router name passed to {@code notify}. Write {@code List.of("/bin/sh", "-c", "...")} if a
 *     shell is really wanted.</li>
 * <li><b>In order, one at a time, waited for.</b> keepalived forks notify scripts and does not wait
 *     for them (except {@code notify_stop}, which it waits for one second and then kills), so two
 *     quick transitions can run {@code notify_master} and {@code notify_backup} concurrently. Here
 *     the commands for one router run in transition order, each to completion: the specific one,
 *     then {@code notify}. A command still running after {@link Builder#timeout} is killed with
 *     its descendants (SIGKILL, {@link Process#destroyForcibly()}), like keepalived's kill of the
 *     script's process group, and logged.</li>
 * <li><b>Same user as the JVM.</b> keepalived runs scripts as {@code keepalived_script} or a
 *     configured {@code script_user}; here they run as the JVM's user, with its environment and
 *     working directory.</li>
 * </ul>
 *
 * <p>Output: each line a command writes to stdout or stderr is logged at INFO, prefixed with the
 * router name, the keepalived option and the program's file name. A non-zero exit is logged at
 * WARN; a command that times out or cannot be started at ERROR. None of these throws: a failed
 * script never affects the protocol, and the generic {@code notify} still runs after a failed
 * specific one. {@link #failures()} counts them.
 *
 * <p>Mind {@link VrrpNode#close()}: it waits up to 10 s for the listener, so a {@code notify_stop}
 * that may run longer should have a timeout below that.
 */
public final class NotifyScripts implements FailoverListener {
    private static final Logger LOG = LoggerFactory.getLogger(NotifyScripts.class);
    /** How long the output readers may lag behind the process's exit before we stop waiting for them. */
    private static final long OUTPUT_DRAIN_MILLIS = 1_000;
    private static final File DEV_NULL = new File("/dev/null");
    private static final java.util.Map<State, String> OPTION_BY_STATE = java.util.Map.of(State.ACTIVE, "notify_master",
            State.BACKUP, "notify_backup", State.FAULT, "notify_fault", State.INITIALIZE, "notify_stop");

    private final List<String> onMaster;
    private final List<String> onBackup;
    private final List<String> onFault;
    private final List<String> onStop;
    private final List<String> notify;
    private final Duration timeout;
    private final AtomicLong failures = new AtomicLong();

    private NotifyScripts(Builder builder) {
        this.onMaster = builder.onMaster;
        this.onBackup = builder.onBackup;
        this.onFault = builder.onFault;
        this.onStop = builder.onStop;
        this.notify = builder.notify;
        this.timeout = builder.timeout;
    }

    /** A builder with no commands and a 10 s timeout. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void onActive(RouterEvent event) {
        runFor(event.routerName(), "INSTANCE", event.to(), event.priority());
    }

    @Override
    public void onBackup(RouterEvent event) {
        runFor(event.routerName(), "INSTANCE", event.to(), event.priority());
    }

    @Override
    public void onFault(RouterEvent event) {
        runFor(event.routerName(), "INSTANCE", event.to(), event.priority());
    }

    @Override
    public void onStopped(RouterEvent event) {
        runFor(event.routerName(), "INSTANCE", event.to(), event.priority());
    }

    /** A sync group's transition: the same commands, with {@code GROUP} and priority 0 for {@code notify}. */
    @Override
    public void onGroupChange(GroupEvent event) {
        runFor(event.groupName(), "GROUP", event.to(), 0);
    }

    /** Commands that exited non-zero, timed out or could not be started, since this listener was built. */
    public long failures() {
        return failures.get();
    }

    /** The state word keepalived passes to {@code notify}; the stop event is {@code STOP}, not {@code INIT}. */
    static String keepalivedState(State state) {
        return switch (state) {
            case ACTIVE -> "MASTER";
            case BACKUP -> "BACKUP";
            case FAULT -> "FAULT";
            case INITIALIZE -> "STOP";
        };
    }

    private void runFor(String name, String type, State to, int priority) {
        List<String> specific = switch (to) {
            case ACTIVE -> onMaster;
            case BACKUP -> onBackup;
            case FAULT -> onFault;
            case INITIALIZE -> onStop;
        };
        if (specific != null) {
            run(name, OPTION_BY_STATE.get(to), specific);
        }
        if (notify != null) {
            List<String> argv = new ArrayList<>(notify.size() + 4);
            argv.addAll(notify);
            // as keepalived: <configured args> INSTANCE|GROUP <name> <STATE> <priority>
            argv.add(type);
            argv.add(name);
            argv.add(keepalivedState(to));
            argv.add(Integer.toString(priority));
            run(name, "notify", argv);
        }
    }

    private void run(String router, String option, List<String> argv) {
        String label = router + ": " + option + " " + programName(argv.getFirst());
        long startNanos = System.nanoTime();
        Process process;
        try {
            process = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(DEV_NULL)).start();
        } catch (IOException | RuntimeException e) {
            failures.incrementAndGet();
            LOG.error("{}: cannot start {}: {}", label, argv, e.getMessage());
            return;
        }
        Thread stdout = pump(process.getInputStream(), label, "");
        Thread stderr = pump(process.getErrorStream(), label, " [stderr]");
        try {
            if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                kill(process);
                failures.incrementAndGet();
                LOG.error("{}: still running after {} ms, killed (pid {})", label, timeout.toMillis(), process.pid());
            } else if (process.exitValue() != 0) {
                failures.incrementAndGet();
                LOG.warn("{}: exited with {} after {} ms", label, process.exitValue(), millisSince(startNanos));
            } else {
                LOG.debug("{}: exited with 0 after {} ms", label, millisSince(startNanos));
            }
            // A background child that inherited the pipes can keep them open; don't wait for it.
            stdout.join(OUTPUT_DRAIN_MILLIS);
            stderr.join(OUTPUT_DRAIN_MILLIS);
        } catch (InterruptedException e) {
            kill(process);
            failures.incrementAndGet();
            LOG.error("{}: interrupted while waiting, killed (pid {})", label, process.pid());
            Thread.currentThread().interrupt();
        }
    }

    /**
     * SIGKILL to the process and everything it started. The descendants are listed before the
     * parent dies: once it has, they are re-parented and no longer found from it.
     */
    private static void kill(Process process) {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
        try {
            process.waitFor(OUTPUT_DRAIN_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Thread pump(InputStream stream, String label, String suffix) {
        return Thread.ofVirtual().name("vrrp4j-notify-output").start(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    LOG.info("{}{}: {}", label, suffix, line);
                }
            } catch (IOException e) {
                // The process was killed or its pipe closed; what it wrote so far is logged.
            }
        });
    }

    private static String programName(String path) {
        int slash = path.lastIndexOf('/');
        return slash >= 0 ? path.substring(slash + 1) : path;
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    @Override
    public String toString() {
        return "NotifyScripts[notify_master=" + onMaster + ", notify_backup=" + onBackup + ", notify_fault=" + onFault
                + ", notify_stop=" + onStop + ", notify=" + notify + ", timeout=" + timeout + "]";
    }

    /**
     * Builds {@link NotifyScripts}. Each command is an argv list: the program (an absolute path, or
     * a name looked up on the JVM's {@code PATH}) followed by its arguments, passed as they are.
     */
    public static final class Builder {
        private static final Duration MAX_TIMEOUT = Duration.ofHours(1);

        private List<String> onMaster;
        private List<String> onBackup;
        private List<String> onFault;
        private List<String> onStop;
        private List<String> notify;
        private Duration timeout = Duration.ofSeconds(10);

        private Builder() {}

        /** keepalived {@code notify_master}: run on becoming Active, with only these arguments. */
        public Builder onMaster(List<String> command) {
            this.onMaster = checkCommand("onMaster", command);
            return this;
        }

        /** keepalived {@code notify_backup}: run on becoming Backup, with only these arguments. */
        public Builder onBackup(List<String> command) {
            this.onBackup = checkCommand("onBackup", command);
            return this;
        }

        /** keepalived {@code notify_fault}: run on entering Fault, with only these arguments. */
        public Builder onFault(List<String> command) {
            this.onFault = checkCommand("onFault", command);
            return this;
        }

        /** keepalived {@code notify_stop}: run when the router stops (node closed), with only these arguments. */
        public Builder onStop(List<String> command) {
            this.onStop = checkCommand("onStop", command);
            return this;
        }

        /**
         * keepalived {@code notify}: run on every transition after the specific command, with
         * {@code INSTANCE|GROUP <name> <MASTER|BACKUP|FAULT|STOP> <priority>} appended to these arguments.
         */
        public Builder notify(List<String> command) {
            this.notify = checkCommand("notify", command);
            return this;
        }

        /** How long one command may run before it is killed, 1 ms..1 h; 10 s unless set. */
        public Builder timeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.compareTo(Duration.ofMillis(1)) < 0 || timeout.compareTo(MAX_TIMEOUT) > 0) {
                throw new IllegalArgumentException("timeout " + timeout + " out of range 1ms..1h");
            }
            this.timeout = timeout;
            return this;
        }

        public NotifyScripts build() {
            return new NotifyScripts(this);
        }

        private static List<String> checkCommand(String field, List<String> command) {
            Objects.requireNonNull(command, field);
            if (command.isEmpty()) {
                throw new IllegalArgumentException(field + ": the command is empty; give at least the program");
            }
            for (int i = 0; i < command.size(); i++) {
                if (command.get(i) == null) {
                    throw new IllegalArgumentException(field + ": argument " + i + " is null in " + command);
                }
            }
            if (command.getFirst().isBlank()) {
                throw new IllegalArgumentException(field + ": the program (argument 0) is blank in " + command);
            }
            return List.copyOf(command);
        }
    }
}
