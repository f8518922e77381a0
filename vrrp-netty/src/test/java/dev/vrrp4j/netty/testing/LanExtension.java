package dev.vrrp4j.netty.testing;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The per-test set-up the namespace ITs share: a {@link NetnsLan} of N hosts with a {@link WireLog}
 * on its bridge, and everything the test starts on it, all closed after the test (also when it
 * fails): the test's processes first, newest first, then the capture, then the namespaces.
 *
 * <pre>{@code
 * @RegisterExtension
 * final LanExtension bed = new LanExtension(3);
 * ...
 * NodeProcess active = bed.startNode(0, "name=VI_1,vrid=51,interval=10,priority=200");
 * }</pre>
 *
 * The LAN is built on first use, so a test (or a {@code @BeforeEach}) may abort on a missing tool
 * before any namespace exists.
 */
public final class LanExtension implements AfterEachCallback {
    private final int hostCount;
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private NetnsLan lan;
    private WireLog wire;

    public LanExtension(int hostCount) {
        this.hostCount = hostCount;
    }

    /** The LAN, built (with tcpdump already capturing on its bridge) on the first call. */
    public synchronized NetnsLan lan() {
        if (lan == null) {
            lan = NetnsLan.create(hostCount);
            wire = WireLog.start(lan);
        }
        return lan;
    }

    /** What crossed the bridge since the LAN was built. */
    public synchronized WireLog wire() {
        lan();
        return wire;
    }

    /** The namespace of host {@code index}. */
    public String host(int index) {
        return lan().host(index);
    }

    /** Closes {@code resource} after the test, before the LAN goes; returns it. */
    public synchronized <T extends AutoCloseable> T track(T resource) {
        resources.push(resource);
        return resource;
    }

    /** Starts a vrrp4j node in host {@code index} (see {@link NodeMain} for the router arguments), waits until it runs. */
    public NodeProcess startNode(int index, String... routers) {
        return track(NodeProcess.start(lan(), host(index), routers));
    }

    /**
     * Starts keepalived in host {@code index} on {@code instances} (see {@link KeepalivedProcess#start}),
     * keeping its files in {@code directory}; waits until its VRRP child runs.
     */
    public KeepalivedProcess startKeepalived(int index, Path directory, KeepalivedInstance... instances) {
        return startKeepalived(KeepalivedProcess.BINARY, index, directory, instances);
    }

    /** {@link #startKeepalived(int, Path, KeepalivedInstance...)} with the keepalived at {@code binary}. */
    public KeepalivedProcess startKeepalived(Path binary, int index, Path directory, KeepalivedInstance... instances) {
        StringBuilder blocks = new StringBuilder();
        for (KeepalivedInstance instance : instances) {
            blocks.append(instance.render());
        }
        return track(KeepalivedProcess.start(lan(), host(index), directory, blocks.toString(), binary));
    }

    @Override
    public synchronized void afterEach(ExtensionContext context) throws Exception {
        Exception failure = null;
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        try (NetnsLan closing = lan; WireLog capture = wire) {
            lan = null;
            wire = null;
        }
        if (failure != null) {
            throw failure;
        }
    }
}
