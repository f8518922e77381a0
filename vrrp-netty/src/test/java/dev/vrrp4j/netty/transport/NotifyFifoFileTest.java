package dev.vrrp4j.netty.transport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The notify FIFO as keepalived opens it: a real FIFO in a temporary directory, no root needed. */
class NotifyFifoFileTest {
    @TempDir
    Path dir;

    @Test
    void itIsCreatedWithoutAReaderWrittenLineByLineAndRemovedAtClose() throws Exception {
        Path path = dir.resolve("vrrp.fifo");
        try (NotifyFifoFile fifo = NotifyFifoFile.open(path)) { // no reader yet: opening must not wait
            assertThat(fifo.created()).isTrue();
            assertThat(Files.getAttribute(path, "unix:mode")).satisfies(mode ->
                    assertThat(Integer.toOctalString((Integer) mode)).isEqualTo("10644"));
            try (FileInputStream reader = new FileInputStream(path.toFile())) {
                assertThat(fifo.write("INSTANCE \"VI_1\" BACKUP 100\n".getBytes(StandardCharsets.UTF_8))).isTrue();
                assertThat(fifo.write("INSTANCE \"VI_1\" MASTER 100\n".getBytes(StandardCharsets.UTF_8))).isTrue();
                byte[] read = reader.readNBytes(54);
                assertThat(new String(read, StandardCharsets.UTF_8))
                        .isEqualTo("INSTANCE \"VI_1\" BACKUP 100\nINSTANCE \"VI_1\" MASTER 100\n");
            }
        }
        assertThat(path).doesNotExist();
    }

    @Test
    void aFullFifoDropsTheLineInsteadOfBlocking() throws Exception {
        try (NotifyFifoFile fifo = NotifyFifoFile.open(dir.resolve("full.fifo"))) {
            byte[] line = new byte[4096];
            Arrays.fill(line, (byte) 'x');
            int written = 0;
            while (fifo.write(line)) {
                written++;
                assertThat(written).as("a pipe holds 64 KiB by default").isLessThan(1000);
            }
            assertThat(written).isPositive();
        }
    }

    @Test
    void anExistingFifoIsUsedAndLeftInPlace() throws Exception {
        Path path = dir.resolve("existing.fifo");
        try (NotifyFifoFile first = NotifyFifoFile.open(path)) {
            try (NotifyFifoFile second = NotifyFifoFile.open(path)) {
                assertThat(second.created()).isFalse();
            }
            assertThat(path).exists();
        }
        assertThat(path).doesNotExist();
    }

    @Test
    void aRegularFileOrASymbolicLinkOfThatNameIsNotWrittenTo() throws Exception {
        Path planted = Files.writeString(dir.resolve("planted"), "keep me");
        assertThatThrownBy(() -> NotifyFifoFile.open(planted)).isInstanceOf(IOException.class)
                .hasMessageStartingWith(planted + " is not a FIFO owned by uid ");
        assertThat(planted).hasContent("keep me");

        Path link = Files.createSymbolicLink(dir.resolve("link.fifo"), planted);
        assertThatThrownBy(() -> NotifyFifoFile.open(link)).isInstanceOf(NativeException.class)
                .hasMessageContaining("ELOOP");
        assertThat(planted).hasContent("keep me");
    }
}
