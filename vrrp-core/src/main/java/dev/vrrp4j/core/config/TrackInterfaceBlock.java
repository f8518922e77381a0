package dev.vrrp4j.core.config;

import java.util.ArrayList;
import java.util.List;

/**
 * The lines of an instance's {@code track_interface} blocks: {@code IF [weight 0 [noreverse]]},
 * one interface per line. An unweighted interface puts the instance in Fault while it is down;
 * keepalived's weighted form adjusts the priority instead, which vrrp4j does not implement, so a
 * non-zero weight is refused rather than silently turned into Fault.
 */
final class TrackInterfaceBlock {
    /** One tracked interface and its line. */
    record Line(String name, SourceLocation where) {}

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
            if (weight != 0) {
                diagnostics.error(line.where(), "track_interface " + name + " weight " + weight + ": weighted interface"
                        + " tracking is not supported by vrrp4j; remove the weight to put the instance in FAULT while "
                        + name + " is down, or remove the line");
                return;
            }
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
        lines.add(new Line(name, line.where()));
    }
}
