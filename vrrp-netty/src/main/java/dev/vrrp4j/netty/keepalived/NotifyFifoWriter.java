package dev.vrrp4j.netty.keepalived;

import dev.vrrp4j.core.config.NotifyFifo;
import dev.vrrp4j.netty.FailoverListener;
import dev.vrrp4j.netty.GroupEvent;
import dev.vrrp4j.netty.RouterEvent;
import dev.vrrp4j.netty.transport.NotifyFifoFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * keepalived's {@code notify_fifo} / {@code vrrp_notify_fifo}: one line per transition, in order,
 * {@code INSTANCE "VI_1" MASTER 100} (the router's effective priority) or
 * {@code GROUP "G1" BACKUP 0}, the states spelled as for the generic {@code notify} script
 * ({@code MASTER}, {@code BACKUP}, {@code FAULT}, {@code STOP}).
 *
 * <p>A FIFO is opened at the first line it gets (so {@code --check} and building a node create
 * nothing), as keepalived opens it ({@link NotifyFifoFile}); its {@code *_script}, if any, is
 * started then with the FIFO's path as last argument. FIFOs are kept per path for the life of the
 * JVM: a reload whose file names the same FIFO and script keeps writing to it (keepalived closes
 * and reopens it, restarting the script); one the file no longer names is closed
 * ({@link #retainOnly}). When the node closes (after its STOP lines), {@link #close()} closes the
 * FIFO and removes it if this process created it; a script that has not ended at the end-of-file
 * within a second gets SIGTERM, as keepalived sends it. A line that does not fit (no reader has read for 64 KiB) is
 * dropped, as keepalived drops it, and counted in the log.
 */
final class NotifyFifoWriter implements FailoverListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NotifyFifoWriter.class);
    private static final File DEV_NULL = new File("/dev/null");
    /** Open FIFOs by path, shared by the writers of successive reloads. */
    private static final Map<String, Opened> OPEN = new HashMap<>();

    private final List<NotifyFifo> fifos;

    NotifyFifoWriter(List<NotifyFifo> fifos) {
        this.fifos = List.copyOf(fifos);
    }

    /** An open FIFO, what it was opened for, and its script. */
    private record Opened(NotifyFifo definition, NotifyFifoFile file, Process script) {
        void close() {
            // Writer first: a reader that reads to the end (cat, while read) gets the last lines and
            // then end-of-file, and exits on its own; one that does not gets keepalived's SIGTERM.
            file.close();
            if (script == null) {
                return;
            }
            try {
                if (!script.waitFor(1, TimeUnit.SECONDS)) {
                    script.destroy();
                    if (!script.waitFor(1, TimeUnit.SECONDS)) {
                        script.destroyForcibly();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void onActive(RouterEvent event) {
        instance(event);
    }

    @Override
    public void onBackup(RouterEvent event) {
        instance(event);
    }

    @Override
    public void onFault(RouterEvent event) {
        instance(event);
    }

    @Override
    public void onStopped(RouterEvent event) {
        instance(event);
    }

    @Override
    public void onGroupChange(GroupEvent event) {
        write(line("GROUP", event.groupName(), NotifyScripts.keepalivedState(event.to()), 0));
    }

    private void instance(RouterEvent event) {
        write(line("INSTANCE", event.routerName(), NotifyScripts.keepalivedState(event.to()), event.priority()));
    }

    /** keepalived's format: {@code TYPE "NAME" STATE PRIORITY} and a newline. */
    static String line(String type, String name, String state, int priority) {
        return type + " \"" + name + "\" " + state + " " + priority + "\n";
    }

    private void write(String line) {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        for (NotifyFifo fifo : fifos) {
            Opened opened = open(fifo);
            if (opened != null && !opened.file().write(bytes)) {
                LOG.warn("{} {}: line dropped, no reader is reading ({})", fifo.keyword(), fifo.path(), line.strip());
            }
        }
    }

    private static synchronized Opened open(NotifyFifo fifo) {
        Opened opened = OPEN.get(fifo.path());
        if (opened != null && opened.definition().script().equals(fifo.script())) {
            return opened;
        }
        if (opened != null) {
            opened.close(); // same FIFO, another script: start over as keepalived would
            OPEN.remove(fifo.path());
        }
        NotifyFifoFile file;
        try {
            file = NotifyFifoFile.open(Path.of(fifo.path()));
        } catch (IOException e) { // NativeException (mkfifo, open) is one
            LOG.error("{} {} ({}): cannot open it: {}; no lines are written there", fifo.keyword(), fifo.path(),
                    fifo.where(), e.getMessage());
            return null;
        }
        Process script = null;
        if (!fifo.script().isEmpty()) {
            List<String> argv = new ArrayList<>(fifo.script());
            argv.add(fifo.path());
            try {
                script = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(DEV_NULL))
                        .redirectOutput(ProcessBuilder.Redirect.INHERIT).redirectError(ProcessBuilder.Redirect.INHERIT)
                        .start();
            } catch (IOException e) {
                LOG.error("{}_script {}: cannot start it: {}", fifo.keyword(), argv, e.getMessage());
            }
        }
        opened = new Opened(fifo, file, script);
        OPEN.put(fifo.path(), opened);
        LOG.info("{} {}: open{}", fifo.keyword(), fifo.path(), script == null ? "" : ", script pid " + script.pid());
        return opened;
    }

    /** The node closed: its FIFOs close, their scripts end. */
    @Override
    public void close() {
        synchronized (NotifyFifoWriter.class) {
            for (NotifyFifo fifo : fifos) {
                Opened opened = OPEN.remove(fifo.path());
                if (opened != null) {
                    opened.close();
                }
            }
        }
    }

    /** Closes every open FIFO whose path is not in {@code paths} (a reload's file no longer names it). */
    static synchronized void retainOnly(Set<String> paths) {
        OPEN.entrySet().removeIf(entry -> {
            if (paths.contains(entry.getKey())) {
                return false;
            }
            entry.getValue().close();
            return true;
        });
    }
}
