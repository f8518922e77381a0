package dev.vrrp4j.core.config;

import java.util.ArrayList;
import java.util.List;

/**
 * The lines of an instance's {@code track_script} blocks: {@code NAME [weight N] [noreverse]}, one
 * script per line as in keepalived. The names are resolved once every {@code vrrp_script} is read.
 */
final class TrackScriptBlock {
    /**
     * One tracked script as written.
     *
     * @param weight the line's weight, or {@code null} for the script's own
     */
    record Line(String name, Integer weight, SourceLocation where) {}

    private final Diagnostics diagnostics;
    private final Values values;
    private final List<Line> lines = new ArrayList<>();

    TrackScriptBlock(Diagnostics diagnostics) {
        this.diagnostics = diagnostics;
        this.values = new Values(diagnostics);
    }

    List<Line> lines() {
        return lines;
    }

    void readLine(Statement line) {
        if (!values.noBlock(line)) {
            return;
        }
        String name = line.name();
        Integer weight = null;
        List<Token> words = line.args();
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i).text();
            if (word.equals("weight") && weight == null) {
                if (i + 1 >= words.size()) {
                    diagnostics.error(line.where(), "track_script " + name + ": weight needs a value");
                    return;
                }
                Long v = values.integer(line, "track_script " + name + " weight", words.get(++i).text(), -253, 253);
                if (v == null) {
                    return;
                }
                weight = v.intValue();
            } else if (word.equals("reverse") || word.equals("noreverse") || word.equals("no_reverse")) {
                if (!values.notReverse(line, words.get(i), "track_script " + name)) {
                    return;
                }
            } else {
                diagnostics.error(line.where(), "track_script " + name + ": unexpected '" + word
                        + "' (write one script per line; keepalived ignores the whole line)");
                return;
            }
        }
        lines.add(new Line(name, weight, line.where()));
    }
}
