package dev.vrrp4j.examples;

import dev.vrrp4j.netty.VrrpNode;
import dev.vrrp4j.netty.VrrpStartException;

import java.io.PrintStream;

/**
 * Starts a node for a main program and makes SIGTERM / Ctrl-C a graceful leave: the node closes
 * (priority 0 from an Active router, addresses removed, listeners told), then the process exits 0,
 * not the JVM's 143, because a planned leave is a success.
 */
public final class GracefulExit {
    /** Exit code of a start that failed (capability, interface, address). */
    public static final int START_FAILED = 3;

    private GracefulExit() {}

    /**
     * Registers the shutdown hook and starts {@code node}. Returns 0 once running, or
     * {@link #START_FAILED} after printing {@code "<program>: start failed: <reason>"} to {@code err}.
     *
     * @param afterClose runs in the hook after the node closed (a last log line, flushing output)
     */
    public static int start(VrrpNode node, String program, PrintStream err, Runnable afterClose) {
        Thread hook = new Thread(() -> {
            node.close();
            afterClose.run();
            Runtime.getRuntime().halt(0);
        }, program + "-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            node.start();
            return 0;
        } catch (VrrpStartException | RuntimeException e) {
            Runtime.getRuntime().removeShutdownHook(hook);
            node.close();
            err.println(program + ": start failed: " + e.getMessage());
            return START_FAILED;
        }
    }
}
