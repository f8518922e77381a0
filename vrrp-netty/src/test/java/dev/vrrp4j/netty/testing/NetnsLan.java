package dev.vrrp4j.netty.testing;

import dev.vrrp4j.netty.transport.NetworkNamespace;
import org.junit.jupiter.api.Assumptions;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * A throw-away Ethernet LAN of network namespaces for tests that need the real kernel: a bridge
 * namespace with bridge {@code br0}, and N host namespaces, each with an {@code eth0} whose veth
 * peer {@code p<i>} is a port of {@code br0}. Host i has 192.0.2.(10+i)/24 and 2001:db8::(10+i)/64
 * (documentation prefixes, RFC 5737 / RFC 3849), DAD off so every address (including the link-local
 * one) is usable at once, all links up. Traffic never leaves the namespaces.
 *
 * <p>Namespace names are {@code v4jt-<pid>-<random>-...}, unique per run; {@link #close()} kills the
 * processes started here (by their handles, never by name) and deletes the namespaces, and a
 * shutdown hook does the same if the JVM exits first. Namespaces left by a JVM that died are
 * removed by the next run. If the kernel refuses to create namespaces, {@link #create} aborts the
 * test (JUnit assumption) with a loud message.
 *
 * <p>Use with try-with-resources, or create in {@code @BeforeAll} and close in {@code @AfterAll}.
 */
public final class NetnsLan implements AutoCloseable {
    /** The host-side interface name in every host namespace. */
    public static final String INTERFACE = "eth0";
    /** The bridge in the bridge namespace. */
    public static final String BRIDGE = "br0";

    private static final String PREFIX = "v4jt-";
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(20);

    private final String id;
    private final String bridgeNamespace;
    private final List<String> hosts = new ArrayList<>();
    private final List<String> namespaces = new CopyOnWriteArrayList<>();
    private final List<Process> processes = new CopyOnWriteArrayList<>();
    private final Thread shutdownHook;
    private volatile boolean closed;

    private NetnsLan(String id) {
        this.id = id;
        this.bridgeNamespace = id + "-br";
        this.shutdownHook = new Thread(this::cleanUp, "netns-lan-cleanup-" + id);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Builds a LAN of {@code hostCount} hosts (1..50). */
    public static NetnsLan create(int hostCount) {
        if (hostCount < 1 || hostCount > 50) {
            throw new IllegalArgumentException("host count " + hostCount + " out of range 1..50");
        }
        removeStale();
        String id = PREFIX + ProcessHandle.current().pid() + "-"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
        NetnsLan lan = new NetnsLan(id);
        try {
            lan.build(hostCount);
            return lan;
        } catch (RuntimeException | Error e) {
            lan.close();
            throw e;
        }
    }

    private void build(int hostCount) {
        addNamespace(bridgeNamespace);
        exec(bridgeNamespace, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1");
        // Multicast snooping off: every port must see 224.0.0.18 and ff02::12 without MLD/IGMP state.
        run("ip", "-n", bridgeNamespace, "link", "add", BRIDGE, "type", "bridge", "mcast_snooping", "0");
        run("ip", "-n", bridgeNamespace, "link", "set", BRIDGE, "up");
        for (int i = 0; i < hostCount; i++) {
            String host = id + "-h" + i;
            addNamespace(host);
            hosts.add(host);
            // DAD off before eth0 exists, so its link-local address is never tentative.
            exec(host, "sysctl", "-qw", "net.ipv6.conf.all.accept_dad=0", "net.ipv6.conf.default.accept_dad=0");
            String port = bridgePort(i);
            run("ip", "-n", host, "link", "add", INTERFACE, "type", "veth", "peer", "name", port, "netns", bridgeNamespace);
            run("ip", "-n", bridgeNamespace, "link", "set", port, "master", BRIDGE, "up");
            run("ip", "-n", host, "addr", "add", ipv4(i).getHostAddress() + "/24", "dev", INTERFACE);
            run("ip", "-n", host, "addr", "add", ipv6(i).getHostAddress() + "/64", "dev", INTERFACE, "nodad");
            run("ip", "-n", host, "link", "set", "lo", "up");
            run("ip", "-n", host, "link", "set", INTERFACE, "up");
        }
        awaitOperational(hostCount);
    }

    /**
     * Waits until every eth0 and bridge port is operationally up. The kernel activates a device's
     * queue only when its link watch runs (up to a second after carrier comes on); until then
     * frames are dropped silently, and a test's first packet would vanish.
     */
    private void awaitOperational(int hostCount) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (int i = 0; i < hostCount; i++) {
            awaitStateUp(hosts.get(i), INTERFACE, deadline);
            awaitStateUp(bridgeNamespace, bridgePort(i), deadline);
        }
        awaitStateUp(bridgeNamespace, BRIDGE, deadline);
    }

    private void awaitStateUp(String namespace, String interfaceName, long deadline) {
        while (true) {
            String link = run("ip", "-n", namespace, "-o", "link", "show", "dev", interfaceName);
            if (link.contains(" state UP ")) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(interfaceName + " in " + namespace + " did not come up: " + link);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for " + interfaceName, e);
            }
        }
    }

    private void addNamespace(String name) {
        Result result = execute(List.of("ip", "netns", "add", name));
        if (result.exitCode != 0) {
            if (result.output.contains("Operation not permitted") || result.output.contains("Permission denied")) {
                String message = "\n*** NETWORK NAMESPACE TESTS SKIPPED: 'ip netns add' is not permitted here ("
                        + result.output.strip() + "). Run as root (or with CAP_SYS_ADMIN + CAP_NET_ADMIN). ***\n";
                System.err.println(message);
                Assumptions.abort(message);
            }
            throw new IllegalStateException("ip netns add " + name + " failed (" + result.exitCode + "): " + result.output);
        }
        namespaces.add(name);
    }

    /** Deletes namespaces whose creating JVM is gone (a run that was killed before it could clean up). */
    private static void removeStale() {
        Result list = execute(List.of("ip", "netns", "list"));
        for (String line : list.output.split("\n")) {
            String name = line.strip().split(" ")[0];
            if (!name.startsWith(PREFIX)) {
                continue;
            }
            String[] parts = name.substring(PREFIX.length()).split("-");
            try {
                long pid = Long.parseLong(parts[0]);
                if (ProcessHandle.of(pid).isEmpty()) {
                    execute(List.of("ip", "netns", "del", name));
                }
            } catch (NumberFormatException ignored) {
                // not one of ours
            }
        }
    }

    /** The namespace name of host {@code index}. */
    public String host(int index) {
        return hosts.get(index);
    }

    /** All host namespace names. */
    public List<String> hosts() {
        return List.copyOf(hosts);
    }

    /** The namespace holding {@link #BRIDGE}. */
    public String bridgeNamespace() {
        return bridgeNamespace;
    }

    /** The bridge port (in {@link #bridgeNamespace()}) that host {@code index}'s eth0 is plugged into. */
    public String bridgePort(int index) {
        return "p" + index;
    }

    /** 192.0.2.(10+index). */
    public static Inet4Address ipv4(int index) {
        return (Inet4Address) address("192.0.2." + (10 + index));
    }

    /** 2001:db8::(10+index), the last group written in decimal digits like the IPv4 one. */
    public static Inet6Address ipv6(int index) {
        return (Inet6Address) address("2001:db8::" + (10 + index));
    }

    private static InetAddress address(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    /** Runs {@code command} in {@code namespace} and returns its output; fails on a non-zero exit. */
    public String exec(String namespace, String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        full.addAll(Arrays.asList(command));
        return check(full, execute(full));
    }

    /** {@code ip -o addr show} in {@code namespace}: one line per address. */
    public String ipAddr(String namespace) {
        return run("ip", "-n", namespace, "-o", "addr", "show");
    }

    /** The MAC address of {@code interfaceName} in {@code namespace}, as {@code ip link} prints it. */
    public String macAddress(String namespace, String interfaceName) {
        String output = run("ip", "-n", namespace, "-o", "link", "show", "dev", interfaceName);
        int at = output.indexOf("link/ether ");
        if (at < 0) {
            throw new IllegalStateException("no link/ether in: " + output);
        }
        return output.substring(at + 11, at + 28);
    }

    /** The IPv6 link-local address of {@code interfaceName} in {@code namespace}, without scope. */
    public String linkLocalAddress(String namespace, String interfaceName) {
        String output = run("ip", "-n", namespace, "-o", "-6", "addr", "show", "dev", interfaceName, "scope", "link");
        int at = output.indexOf("inet6 ");
        if (at < 0) {
            throw new IllegalStateException("no link-local address in: " + output);
        }
        return output.substring(at + 6, output.indexOf('/', at));
    }

    /** Runs a host command (e.g. {@code ip -n NS ...}) and returns its output; fails on a non-zero exit. */
    public String run(String... command) {
        List<String> full = List.of(command);
        return check(full, execute(full));
    }

    /** Starts {@code command} in {@code namespace}; it is killed by {@link #close()} if still running. */
    public Process startProcess(String namespace, String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        full.addAll(Arrays.asList(command));
        try {
            Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
            processes.add(process);
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException("starting " + full, e);
        }
    }

    /**
     * Starts tcpdump on {@code interfaceName} in {@code namespace} with {@code filter} (pcap syntax),
     * printing link-level headers and full protocol detail ({@code -e -vv}), and returns once it is
     * capturing.
     */
    public Capture tcpdump(String namespace, String interfaceName, String filter) {
        Process process = startProcess(namespace, "tcpdump", "-l", "-n", "-e", "-vv", "-i", interfaceName, filter);
        Capture capture = new Capture(process);
        capture.awaitLine(line -> line.contains("listening on"), Duration.ofSeconds(10));
        return capture;
    }

    /**
     * Runs {@code task} on a new thread that has entered {@code namespace}: sockets it opens belong
     * to that namespace for their whole life, whichever thread uses them later. Rethrows what the
     * task throws.
     */
    public <T> T runIn(String namespace, Callable<T> task) throws Exception {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = Thread.ofPlatform().name("in-" + namespace).start(() -> {
            try {
                NetworkNamespace.enterOnCurrentThread(namespace);
                result.set(task.call());
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        if (!thread.join(COMMAND_TIMEOUT)) {
            thread.interrupt();
            throw new AssertionError("task in " + namespace + " still running after " + COMMAND_TIMEOUT);
        }
        Throwable t = failure.get();
        if (t instanceof Exception e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return result.get();
    }

    /** Kills the processes started here and deletes every namespace. Idempotent. */
    @Override
    public void close() {
        cleanUp();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or ran
        }
    }

    private synchronized void cleanUp() {
        if (closed) {
            return;
        }
        closed = true;
        for (Process process : processes) {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
        }
        for (Process process : processes) {
            try {
                if (!process.waitFor(2, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(2, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // Deleting the bridge namespace first removes all veth pairs at once.
        List<String> reversed = new ArrayList<>(namespaces);
        java.util.Collections.reverse(reversed);
        reversed.sort((a, b) -> Boolean.compare(!a.equals(bridgeNamespace), !b.equals(bridgeNamespace)));
        for (String namespace : reversed) {
            Result result = execute(List.of("ip", "netns", "del", namespace));
            if (result.exitCode != 0) {
                System.err.println("NetnsLan: ip netns del " + namespace + " failed: " + result.output);
            }
        }
    }

    @Override
    public String toString() {
        return "NetnsLan[" + id + ", " + hosts.size() + " hosts]";
    }

    private record Result(int exitCode, String output) {}

    private static String check(List<String> command, Result result) {
        if (result.exitCode != 0) {
            throw new AssertionError(String.join(" ", command) + " exited " + result.exitCode + ": " + result.output);
        }
        return result.output;
    }

    private static Result execute(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " timed out");
            }
            return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            if (command.getFirst().equals("ip") && e.getMessage() != null
                    && e.getMessage().toLowerCase(Locale.ROOT).contains("no such file")) {
                Assumptions.abort("\n*** NETWORK NAMESPACE TESTS SKIPPED: iproute2 ('ip') is not installed ***\n");
            }
            throw new UncheckedIOException(String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running " + command, e);
        }
    }

    /** A running tcpdump whose output lines are collected as they arrive. */
    public static final class Capture implements AutoCloseable {
        private final Process process;
        private final List<String> lines = new CopyOnWriteArrayList<>();
        private final Thread reader;

        /** Collects the output lines of any process started with {@link #startProcess}. */
        public static Capture of(Process process) {
            return new Capture(process);
        }

        private Capture(Process process) {
            this.process = process;
            this.reader = Thread.ofPlatform().daemon().name("tcpdump-reader").start(() -> {
                try (BufferedReader in = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        synchronized (lines) {
                            lines.add(line);
                            lines.notifyAll();
                        }
                    }
                } catch (IOException ignored) {
                    // process ended
                }
            });
        }

        /** Waits for a line that contains every fragment; returns it, or fails listing what was captured. */
        public String awaitLine(Duration timeout, String... fragments) {
            return awaitLine(line -> Arrays.stream(fragments).allMatch(line::contains), timeout);
        }

        /** Waits for a line matching {@code condition}; returns it, or fails listing what was captured. */
        public String awaitLine(Predicate<String> condition, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            synchronized (lines) {
                while (true) {
                    for (String line : lines) {
                        if (condition.test(line)) {
                            return line;
                        }
                    }
                    long remainingMillis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    if (remainingMillis <= 0 || (!process.isAlive() && !reader.isAlive())) {
                        throw new AssertionError("no matching tcpdump line within " + timeout + "; captured:\n"
                                + String.join("\n", lines));
                    }
                    try {
                        lines.wait(Math.min(remainingMillis, 100));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new AssertionError("interrupted", e);
                    }
                }
            }
        }

        /** Every line so far. */
        public List<String> lines() {
            return List.copyOf(lines);
        }

        /**
         * Waits until the process's output has been read to its end (the process exited on its own)
         * and returns every line. Unlike {@link #stop()} it never calls {@link Process#destroy()},
         * which closes the pipe and drops what the reader has not taken yet.
         */
        public List<String> awaitEnd(Duration timeout) {
            try {
                reader.join(timeout);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return lines();
        }

        /** Stops tcpdump and returns every line it printed. */
        public List<String> stop() {
            process.destroy();
            try {
                if (!process.waitFor(2, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
                reader.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return lines();
        }

        @Override
        public void close() {
            stop();
        }
    }
}
