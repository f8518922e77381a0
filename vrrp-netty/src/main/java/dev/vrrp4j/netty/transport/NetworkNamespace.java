package dev.vrrp4j.netty.transport;

import java.nio.file.Path;

/**
 * Moves the calling thread into another network namespace, so that the sockets it opens afterwards
 * (which stay in the namespace they were created in, whatever thread uses them later) belong to it.
 * Network namespaces are per thread on Linux. Used by tests to run several routers in one JVM, and
 * by applications that run a node in a namespace other than the JVM's. Needs CAP_SYS_ADMIN.
 */
public final class NetworkNamespace {
    private NetworkNamespace() {}

    /** Enters the namespace named {@code name} by {@code ip netns add}, i.e. {@code /var/run/netns/NAME}. */
    public static void enterOnCurrentThread(String name) throws NativeException {
        enterOnCurrentThread(Path.of("/var/run/netns", name));
    }

    /** Enters the network namespace that {@code namespaceFile} (a bind mount or {@code /proc/PID/ns/net}) refers to. */
    public static void enterOnCurrentThread(Path namespaceFile) throws NativeException {
        int fd = LinuxSyscalls.open(namespaceFile.toString(), LinuxSyscalls.O_RDONLY | LinuxSyscalls.O_CLOEXEC);
        try {
            LinuxSyscalls.setns(fd, LinuxSyscalls.CLONE_NEWNET, namespaceFile + ", CLONE_NEWNET");
        } finally {
            LinuxSyscalls.close(fd);
        }
    }
}
