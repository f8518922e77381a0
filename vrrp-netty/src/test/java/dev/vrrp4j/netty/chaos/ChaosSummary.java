package dev.vrrp4j.netty.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chaos suite's results, one row per measured quantity: scenario, the bound it is held to,
 * the worst value measured, and whether it passed. Rows from every chaos IT class of one failsafe
 * JVM accumulate; {@link #write()} prints the table and (re)writes {@code target/chaos-summary.md}.
 * A row is recorded before it is asserted, so a failing run still shows its table.
 */
final class ChaosSummary {
    private static final Path FILE = Path.of("target", "chaos-summary.md");
    private static final List<String> ROWS = new CopyOnWriteArrayList<>();

    private ChaosSummary() {}

    /** Records a measurement held to {@code boundMs} (which includes the stated tolerance) and asserts it. */
    static void check(String scenario, String bound, double boundMs, double measuredMs) {
        boolean pass = measuredMs <= boundMs;
        add(scenario, String.format(Locale.ROOT, "%s ≤ %.0f ms", bound, boundMs),
                String.format(Locale.ROOT, "%.1f ms", measuredMs), pass ? "yes" : "**NO**");
        assertThat(measuredMs).as("%s: %s", scenario, bound).isLessThanOrEqualTo(boundMs);
    }

    /** Records a count held to {@code bound} and asserts it. */
    static void checkCount(String scenario, String bound, long limit, long measured) {
        boolean pass = measured <= limit;
        add(scenario, bound + " ≤ " + limit, Long.toString(measured), pass ? "yes" : "**NO**");
        assertThat(measured).as("%s: %s", scenario, bound).isLessThanOrEqualTo(limit);
    }

    /** Records a value that is reported, not asserted (the RFC sets no bound on it). */
    static void record(String scenario, String what, String measured) {
        add(scenario, what, measured, "recorded");
    }

    private static void add(String scenario, String bound, String measured, String pass) {
        String row = "| " + scenario + " | " + bound + " | " + measured + " | " + pass + " |";
        ROWS.add(row);
        System.out.println("chaos: " + row);
    }

    /** Prints the table and writes it to target/chaos-summary.md. */
    static synchronized void write() {
        StringBuilder table = new StringBuilder()
                .append("| scenario | bound (RFC 9568 §6.1 + tolerance) | measured worst case | pass |\n")
                .append("|---|---|---|---|\n");
        ROWS.forEach(row -> table.append(row).append('\n'));
        System.out.println("\nChaos suite summary (tolerance: " + ChaosBounds.describeTolerance() + ")\n" + table);
        try {
            Files.createDirectories(FILE.getParent());
            Files.writeString(FILE, "Tolerance: " + ChaosBounds.describeTolerance() + "\n\n" + table,
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + FILE, e);
        }
    }
}
