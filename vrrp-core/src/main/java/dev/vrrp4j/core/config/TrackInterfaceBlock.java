package dev.vrrp4j.core.config;

import java.util.ArrayList;
import java.util.List;

/**
 * The lines of an instance's {@code track_interface} blocks: {@code IF [weight N [noreverse]]},
 * one interface per line. An unweighted interface (or weight 0) puts the instance in Fault while
 * it is down; a weight in -253..253 adjusts the priority instead, as in keepalived.
 * {@code reverse} is refused (not implemented).
 */
final class TrackInterfaceBlock {
    /** One tracked interface, its weight (0: Fault) and its line. */
    record Line(String name, int weight, SourceLocation where) {}

    private final Diagnostics diagnostics;
    private final Values values;
    private final List<Line> lines = new ArrayList<>();

    TrackInterfaceBlock(Diagnostics diagnostics) {
        this.diagnostics = diagnostics;
        this.values = new Values(diagnostics);
    }

    /** The accepted lines, in order (duplicates and the instance's own interface are dropped later). */
    List<Line> lines() {
        return lines;
    }

    void readLine(Statement line) {
        if (!values.noBlock(line)) {
            return;
        }
        String name = line.name();
        List<Token> words = line.args();
        int value = 0;
        int i = 0;
        if (i < words.size() && words.get(i).text().equals("weight")) {
            if (i + 1 >= words.size()) {
                diagnostics.error(line.where(), "track_interface " + name + ": weight needs a value");
                return;
            }
            Long weight = values.integer(line, "track_interface " + name + " weight", words.get(i + 1).text(), -253, 253);
            if (weight == null) {
                return;
            }
            value = weight.intValue();
            i += 2;
            if (i < words.size() && !values.notReverse(line, words.get(i), "track_interface " + name)) {
                return;
            }
            i++;
        }
        if (i < words.size()) {
            diagnostics.error(line.where(), "track_interface " + name + ": unexpected '" + words.get(i).text()
                    + "' (write one interface per line)");
            return;
        }
        lines.add(new Line(name, value, line.where()));
    }
}
