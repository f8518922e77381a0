package dev.vrrp4j.netty.keepalived;

import dev.vrrp4j.core.packet.AddressFamily;
import dev.vrrp4j.core.router.State;
import dev.vrrp4j.core.router.TransitionReason;
import dev.vrrp4j.netty.FailoverListener;
import dev.vrrp4j.netty.GroupEvent;
import dev.vrrp4j.netty.RouterEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Runs real (tiny, /bin/sh) scripts; what is under test is that vrrp4j itself passes argv lists
 * directly, in keepalived's argument layout, in order, and kills what overruns.
 */
class NotifyScriptsTest {
    @TempDir
    Path dir;

    /** Appends one line per call to the file in $1: each further argument in brackets. */
    private static final String RECORD = """
            #!/bin/sh
            out="$1"; shift
            for a in "$@"; do printf '[%s]' "$a"; done >> "$out"
            echo >> "$out"
            """;

    @Test
    void specificScriptsGetOnlyTheirArgumentsAndNotifyGetsKeepalivedsFourAfterIt() throws IOException {
        Path record = script("record.sh", RECORD);
        Path log = dir.resolve("calls.log");
        NotifyScripts scripts = NotifyScripts.builder()
                .onMaster(List.of(record.toString(), log.toString(), "master"))
                .onBackup(List.of(record.toString(), log.toString(), "backup", "two words"))
                .onFault(List.of(record.toString(), log.toString(), "fault"))
                .onStop(List.of(record.toString(), log.toString(), "stop"))
                .notify(List.of(record.toString(), log.toString(), "generic"))
                .build();

        deliver(scripts, event("VI_1", State.INITIALIZE, State.BACKUP, TransitionReason.STARTUP, 100));
        deliver(scripts, event("VI_1", State.BACKUP, State.ACTIVE, TransitionReason.ADVERT_TIMEOUT, 100));
        deliver(scripts, event("VI_1", State.ACTIVE, State.FAULT, TransitionReason.FAULT, 80));
        deliver(scripts, event("VI_1", State.FAULT, State.BACKUP, TransitionReason.FAULT_CLEARED, 100));
        deliver(scripts, event("VI_1", State.BACKUP, State.INITIALIZE, TransitionReason.SHUTDOWN, 100));

        assertThat(Files.readAllLines(log)).containsExactly(
                "[backup][two words]",
                "[generic][INSTANCE][VI_1][BACKUP][100]",
                "[master]",
                "[generic][INSTANCE][VI_1][MASTER][100]",
                "[fault]",
                "[generic][INSTANCE][VI_1][FAULT][80]",
                "[backup][two words]",
                "[generic][INSTANCE][VI_1][BACKUP][100]",
                "[stop]",
                "[generic][INSTANCE][VI_1][STOP][100]");
        assertThat(scripts.failures()).isZero();
    }

    @Test
    void onlyTheGenericNotifyRunsWhenNoSpecificScriptIsConfigured() throws IOException {
        Path record = script("record.sh", RECORD);
        Path log = dir.resolve("calls.log");
        NotifyScripts scripts = NotifyScripts.builder().notify(List.of(record.toString(), log.toString())).build();

        deliver(scripts, event("VI_6", State.BACKUP, State.ACTIVE, TransitionReason.PREEMPT, 255));

        assertThat(Files.readAllLines(log)).containsExactly("[INSTANCE][VI_6][MASTER][255]");
    }

    @Test
    void aSyncGroupsTransitionRunsItsSpecificScriptAndNotifyWithGroupAndPriorityZero() throws IOException {
        Path record = script("record.sh", RECORD);
        Path log = dir.resolve("calls.log");
        NotifyScripts scripts = NotifyScripts.builder()
                .onMaster(List.of(record.toString(), log.toString(), "group-master"))
                .notify(List.of(record.toString(), log.toString()))
                .build();

        FailoverListener.dispatch(scripts, new GroupEvent("VG_1", List.of("VI_1", "VI_2"), State.BACKUP, State.ACTIVE,
                TransitionReason.ADVERT_TIMEOUT, Instant.now(), () -> State.ACTIVE));

        assertThat(Files.readAllLines(log)).containsExactly("[group-master]", "[GROUP][VG_1][MASTER][0]");
    }

    @Test
    void aScriptThatOverrunsTheTimeoutIsKilledWithItsChildren() throws Exception {
        Path slow = script("slow.sh", """
                #!/bin/sh
                echo $$ > "$1"
                sleep 60 &
                echo $! > "$2"
                wait
                """);
        Path shellPid = dir.resolve("shell.pid");
        Path sleepPid = dir.resolve("sleep.pid");
        Path record = script("record.sh", RECORD);
        Path log = dir.resolve("calls.log");
        NotifyScripts scripts = NotifyScripts.builder()
                .onMaster(List.of(slow.toString(), shellPid.toString(), sleepPid.toString()))
                .notify(List.of(record.toString(), log.toString()))
                .timeout(Duration.ofMillis(500))
                .build();

        long start = System.nanoTime();
        scripts.onActive(event("VI_1", State.BACKUP, State.ACTIVE, TransitionReason.ADVERT_TIMEOUT, 100));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        // The generic notify ran too (after the kill), so the whole call is bounded by timeout + 1 s.
        assertThat(took).isLessThan(Duration.ofMillis(1_500));
        assertThat(Files.readAllLines(log)).containsExactly("[INSTANCE][VI_1][MASTER][100]");
        assertThat(scripts.failures()).isEqualTo(1);
        assertDead(Long.parseLong(Files.readString(shellPid).strip()));
        assertDead(Long.parseLong(Files.readString(sleepPid).strip()));
    }

    @Test
    void shellMetacharactersInTheRouterNameArePassedLiterallyAndRunNothing() throws IOException {
        Path record = script("record.sh", RECORD);
        Path log = dir.resolve("calls.log");
        Path touched = dir.resolve("x");
        Path canary = Files.createDirectory(dir.resolve("canary"));
        String name = "VI_1$(touch " + touched + "); rm -rf " + canary + " `touch " + touched + "` && echo $HOME *";
        NotifyScripts scripts = NotifyScripts.builder()
                .onMaster(List.of(record.toString(), log.toString(), "$(touch " + touched + ")", "; rm -rf " + canary))
                .notify(List.of(record.toString(), log.toString()))
                .build();

        deliver(scripts, event(name, State.BACKUP, State.ACTIVE, TransitionReason.ADVERT_TIMEOUT, 100));

        assertThat(Files.readAllLines(log)).containsExactly(
                "[$(touch " + touched + ")][; rm -rf " + canary + "]",
                "[INSTANCE][" + name + "][MASTER][100]");
        assertThat(touched).doesNotExist();
        assertThat(canary).isDirectory();
    }

    @Test
    void aFailingOrMissingScriptIsCountedAndTheGenericNotifyStillRuns() throws IOException {
        Path fails = script("fails.sh", """
                #!/bin/sh
                echo "about to fail" >&2
                exit 3
                """);
        Path record = script("record.sh", RECORD);
        Path log = dir.resolve("calls.log");
        NotifyScripts scripts = NotifyScripts.builder()
                .onBackup(List.of(fails.toString()))
                .onFault(List.of(dir.resolve("no-such-script").toString()))
                .notify(List.of(record.toString(), log.toString()))
                .build();

        deliver(scripts, event("VI_1", State.INITIALIZE, State.BACKUP, TransitionReason.STARTUP, 100));
        deliver(scripts, event("VI_1", State.BACKUP, State.FAULT, TransitionReason.FAULT, 100));

        assertThat(scripts.failures()).isEqualTo(2);
        assertThat(Files.readAllLines(log)).containsExactly(
                "[INSTANCE][VI_1][BACKUP][100]",
                "[INSTANCE][VI_1][FAULT][100]");
    }

    @Test
    void theBuilderRejectsEmptyCommandsAndSillyTimeouts() {
        assertThatThrownBy(() -> NotifyScripts.builder().onMaster(List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("onMaster");
        assertThatThrownBy(() -> NotifyScripts.builder().notify(List.of(" ", "x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("notify");
        assertThatThrownBy(() -> NotifyScripts.builder().timeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout PT0S out of range");
        assertThatThrownBy(() -> NotifyScripts.builder().timeout(Duration.ofHours(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1ms..1h");
    }

    private Path script(String name, String text) throws IOException {
        Path path = dir.resolve(name);
        Files.writeString(path, text);
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwx------"));
        return path;
    }

    /** What VrrpNode does with one event: the call matching its target state. */
    private static void deliver(FailoverListener listener, RouterEvent event) {
        FailoverListener.dispatch(listener, event);
    }

    private static RouterEvent event(String name, State from, State to, TransitionReason reason, int priority) {
        return new RouterEvent(name, 1, AddressFamily.IPV4, from, to, reason, priority, Instant.now(), () -> to);
    }

    /** Gone, or a zombie: killed, waiting for init (which here may be slow) to reap it. */
    private static void assertDead(long pid) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (isRunning(pid) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(isRunning(pid)).as("pid %d still running", pid).isFalse();
    }

    private static boolean isRunning(long pid) throws IOException {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        String text;
        try {
            text = Files.readString(stat);
        } catch (java.nio.file.NoSuchFileException e) {
            return false;
        }
        // "pid (comm) S ...": the state letter follows the last ')'; Z is a zombie, X dead.
        char state = text.charAt(text.lastIndexOf(')') + 2);
        return state != 'Z' && state != 'X';
    }
}
