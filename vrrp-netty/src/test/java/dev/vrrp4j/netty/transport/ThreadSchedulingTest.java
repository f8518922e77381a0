package dev.vrrp4j.netty.transport;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class ThreadSchedulingTest {

    /** Fields of /proc/thread-self/stat after the command name: nice is field 19, policy field 41. */
    private static String[] statFields() throws Exception {
        String stat = Files.readString(Path.of("/proc/thread-self/stat"));
        return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    }

    private static String[] inNewThread(ThrowingRunnable change) throws Exception {
        AtomicReference<Object> result = new AtomicReference<>();
        Thread thread = Thread.ofPlatform().start(() -> {
            try {
                change.run();
                result.set(statFields());
            } catch (Exception e) {
                result.set(e);
            }
        });
        thread.join();
        if (result.get() instanceof Exception e) {
            throw e;
        }
        return (String[]) result.get();
    }

    @Test
    void niceChangesOnlyTheCallingThread() throws Exception {
        String before = statFields()[19 - 3];
        String[] changed = inNewThread(() -> ThreadScheduling.setCurrentThreadNice(7));
        assertThat(changed[19 - 3]).isEqualTo("7");
        assertThat(statFields()[19 - 3]).isEqualTo(before);
    }

    @Test
    void realtimeSetsSchedRoundRobinWithThePriority() throws Exception {
        String[] changed = inNewThread(() -> ThreadScheduling.setCurrentThreadRealtime(10));
        assertThat(changed[41 - 3]).as("policy (2 = SCHED_RR)").isEqualTo("2");
        assertThat(changed[18 - 3]).as("priority field: -1 - rt_priority").isEqualTo("-11");
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }
}
