package dev.vrrp4j.netty.transport;

/** Scheduling of the calling thread only (not its process), through the kernel's thread id. */
public final class ThreadScheduling {
    private ThreadScheduling() {}

    /** Gives the calling thread nice value {@code nice} (-20..19). Raising it needs CAP_SYS_NICE. */
    public static void setCurrentThreadNice(int nice) throws NativeException {
        LinuxSyscalls.setThreadNice(LinuxSyscalls.gettid(), nice);
    }

    /** Puts the calling thread under SCHED_RR at {@code priority} (1..99). Needs CAP_SYS_NICE. */
    public static void setCurrentThreadRealtime(int priority) throws NativeException {
        LinuxSyscalls.setThreadRealtime(LinuxSyscalls.gettid(), priority);
    }
}
