package dev.vrrp4j.examples.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class LineLoggingTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    @AfterEach
    void clearProperties() {
        System.clearProperty("vrrp4j.log.level");
        System.clearProperty("vrrp4j.log.level.dev.vrrp4j.core");
    }

    @Test
    void theTimeIsWhatSimpleDateFormatWroteWithMillisAndTheOffset() {
        Instant instant = Instant.parse("2026-12-04T18:06:12.376123Z");
        StringBuilder utc = new StringBuilder();
        LineLogging.appendTime(utc, instant, ZoneOffset.UTC.getRules());
        assertThat(utc).hasToString("2026-12-04T18:06:12.376Z");

        StringBuilder paris = new StringBuilder();
        LineLogging.appendTime(paris, instant, ZoneId.of("Europe/Paris").getRules());
        assertThat(paris).hasToString("2026-12-04T19:06:12.376+01:00");

        StringBuilder newfoundland = new StringBuilder();
        LineLogging.appendTime(newfoundland, Instant.parse("2026-01-02T03:04:05.006Z"),
                ZoneId.of("America/St_Johns").getRules());
        assertThat(newfoundland).hasToString("2026-01-01T23:34:05.006-03:30");
    }

    @Test
    void oneLinePerEventWithTheLevelThenTheStackTrace() {
        Logger logger = new LineLogging.Factory(out, ZoneOffset.UTC.getRules()).getLogger("dev.vrrp4j.test");
        logger.info("{}: {} -> {} ({})", "VI_1", "BACKUP", "MASTER", "advert timeout");
        logger.debug("not shown at the default level");
        logger.error("listener failed", new IllegalStateException("boom"));

        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines[0]).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z INFO VI_1: BACKUP -> MASTER \\(advert timeout\\)");
        assertThat(lines[1]).endsWith(" ERROR listener failed");
        assertThat(lines[2]).isEqualTo("java.lang.IllegalStateException: boom");
        assertThat(lines).hasSizeGreaterThan(3).noneMatch(line -> line.contains("not shown"));
    }

    @Test
    void levelsComeFromTheDefaultPropertyAndTheLongestPrefix() {
        LineLogging.Factory factory = new LineLogging.Factory(out, ZoneOffset.UTC.getRules());
        assertThat(factory.getLogger("dev.vrrp4j.a").isInfoEnabled()).isTrue();
        assertThat(factory.getLogger("dev.vrrp4j.a").isDebugEnabled()).isFalse();
        assertThat(factory.getLogger("io.netty.channel").isInfoEnabled()).as("Netty is quiet").isFalse();
        assertThat(factory.getLogger("io.netty.channel").isWarnEnabled()).isTrue();

        System.setProperty("vrrp4j.log.level", "warn");
        System.setProperty("vrrp4j.log.level.dev.vrrp4j.core", "debug");
        LineLogging.Factory configured = new LineLogging.Factory(out, ZoneOffset.UTC.getRules());
        assertThat(configured.getLogger("dev.vrrp4j.core.node.Node").isDebugEnabled()).isTrue();
        assertThat(configured.getLogger("dev.vrrp4j.netty.VrrpNode").isInfoEnabled()).isFalse();
        assertThat(configured.getLogger("dev.vrrp4j.netty.VrrpNode").isWarnEnabled()).isTrue();
    }

    @Test
    void slf4jFindsThisProvider() {
        assertThat(LoggerFactory.getILoggerFactory()).isInstanceOf(LineLogging.Factory.class);
    }
}
