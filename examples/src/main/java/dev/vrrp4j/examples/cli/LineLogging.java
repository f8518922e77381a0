package dev.vrrp4j.examples.cli;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

import java.io.PrintStream;
import java.io.Serial;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneRules;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * bin/vrrp4j's log: one line per event on stderr, {@code 2026-12-04T18:06:12.376Z INFO message},
 * then the stack trace if there is one.
 *
 * <p>slf4j-simple wrote the same line, but its date format goes through {@code SimpleDateFormat},
 * whose calendar loads the JDK's locale data: 50–70 ms of every start-up on a 2-core machine
 * (benchmarks/README.md, "Footprint"). This formats the time itself.
 *
 * <p>Levels: INFO by default, WARN for {@code io.netty}; {@code -Dvrrp4j.log.level=debug} sets
 * the default and {@code -Dvrrp4j.log.level.PREFIX=LEVEL} the level of loggers whose name starts
 * with PREFIX (the longest prefix wins).
 */
public final class LineLogging implements SLF4JServiceProvider {
    private static final String LEVEL_PROPERTY = "vrrp4j.log.level";

    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final MDCAdapter mdc = new NOPMDCAdapter();
    private ILoggerFactory loggers;

    @Override
    public ILoggerFactory getLoggerFactory() {
        return loggers;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    @Override
    public void initialize() {
        loggers = new Factory(System.err, systemZone());
    }

    /** The machine's time zone, as SimpleDateFormat used it. */
    private static ZoneRules systemZone() {
        try {
            return ZoneId.systemDefault().getRules();
        } catch (RuntimeException e) {
            return ZoneOffset.UTC.getRules(); // an unreadable /etc/localtime is not worth a crash
        }
    }

    static final class Factory implements ILoggerFactory {
        private final ConcurrentMap<String, Logger> byName = new ConcurrentHashMap<>();
        private final PrintStream out;
        private final ZoneRules zone;
        /** The {@code vrrp4j.log.level.PREFIX} settings, read once: prefix to level. */
        private final Map<String, String> prefixLevels = new HashMap<>();

        Factory(PrintStream out, ZoneRules zone) {
            this.out = out;
            this.zone = zone;
            for (String key : System.getProperties().stringPropertyNames()) {
                if (key.startsWith(LEVEL_PROPERTY + ".")) {
                    prefixLevels.put(key.substring(LEVEL_PROPERTY.length() + 1), System.getProperty(key));
                }
            }
        }

        @Override
        public Logger getLogger(String name) {
            return byName.computeIfAbsent(name, n -> new LineLogger(n, threshold(n), out, zone));
        }

        /** The level for {@code name}: the longest matching {@code vrrp4j.log.level.PREFIX}, else the default. */
        private int threshold(String name) {
            String best = null;
            int bestLength = -1;
            for (Map.Entry<String, String> setting : prefixLevels.entrySet()) {
                String prefix = setting.getKey();
                if (name.startsWith(prefix) && prefix.length() > bestLength) {
                    best = setting.getValue();
                    bestLength = prefix.length();
                }
            }
            if (best == null && name.startsWith("io.netty")) {
                best = "warn";
            }
            if (best == null) {
                best = System.getProperty(LEVEL_PROPERTY, "info");
            }
            return switch (best.trim().toLowerCase(Locale.ROOT)) {
                case "trace" -> Level.TRACE.toInt();
                case "debug" -> Level.DEBUG.toInt();
                case "warn" -> Level.WARN.toInt();
                case "error" -> Level.ERROR.toInt();
                case "off" -> Integer.MAX_VALUE;
                default -> Level.INFO.toInt();
            };
        }
    }

    static final class LineLogger extends LegacyAbstractLogger {
        @Serial
        private static final long serialVersionUID = 1L;

        private final int threshold;
        private final transient PrintStream out;
        private final transient ZoneRules zone;

        LineLogger(String name, int threshold, PrintStream out, ZoneRules zone) {
            this.name = name;
            this.threshold = threshold;
            this.out = out;
            this.zone = zone;
        }

        private boolean enabled(Level level) {
            return level.toInt() >= threshold;
        }

        @Override
        public boolean isTraceEnabled() {
            return enabled(Level.TRACE);
        }

        @Override
        public boolean isDebugEnabled() {
            return enabled(Level.DEBUG);
        }

        @Override
        public boolean isInfoEnabled() {
            return enabled(Level.INFO);
        }

        @Override
        public boolean isWarnEnabled() {
            return enabled(Level.WARN);
        }

        @Override
        public boolean isErrorEnabled() {
            return enabled(Level.ERROR);
        }

        @Override
        protected String getFullyQualifiedCallerName() {
            return null;
        }

        @Override
        protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments,
                                                   Throwable throwable) {
            StringBuilder line = new StringBuilder(96);
            appendTime(line, Instant.now(), zone);
            line.append(' ').append(level.name()).append(' ')
                    .append(MessageFormatter.basicArrayFormat(pattern, arguments));
            synchronized (out) { // the line and its stack trace stay together
                out.println(line);
                if (throwable != null) {
                    throwable.printStackTrace(out);
                }
            }
        }
    }

    /** {@code yyyy-MM-dd'T'HH:mm:ss.SSSXXX}: what the log has always shown, without the JDK's locale data. */
    static void appendTime(StringBuilder line, Instant now, ZoneRules zone) {
        ZoneOffset offset = zone.getOffset(now);
        LocalDateTime time = LocalDateTime.ofEpochSecond(now.getEpochSecond(), now.getNano(), offset);
        pad(line, time.getYear(), 4).append('-');
        pad(line, time.getMonthValue(), 2).append('-');
        pad(line, time.getDayOfMonth(), 2).append('T');
        pad(line, time.getHour(), 2).append(':');
        pad(line, time.getMinute(), 2).append(':');
        pad(line, time.getSecond(), 2).append('.');
        pad(line, time.getNano() / 1_000_000, 3);
        int seconds = offset.getTotalSeconds();
        if (seconds == 0) {
            line.append('Z');
        } else {
            line.append(seconds < 0 ? '-' : '+');
            int minutes = Math.abs(seconds) / 60;
            pad(line, minutes / 60, 2).append(':');
            pad(line, minutes % 60, 2);
        }
    }

    private static StringBuilder pad(StringBuilder line, int value, int width) {
        String digits = Integer.toString(value);
        for (int i = digits.length(); i < width; i++) {
            line.append('0');
        }
        return line.append(digits);
    }
}
