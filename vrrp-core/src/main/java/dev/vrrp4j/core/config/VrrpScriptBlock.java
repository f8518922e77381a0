package dev.vrrp4j.core.config;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static dev.vrrp4j.core.config.Values.MAX_TIMER_SECONDS;

/**
 * {@code vrrp_script NAME { ... }}: a health check command, how often it runs, how long it may
 * take, and how many results in a row change its state. Builds a {@link VrrpScript}, or nothing
 * when the block has errors.
 */
final class VrrpScriptBlock {
    static final KeywordTable<VrrpScriptBlock> KEYWORDS = KeywordTable.<VrrpScriptBlock>block("vrrp_script",
                    ConfigInterpreter.KEYWORDS)
            .supported("script", VrrpScriptBlock::script)
            .supported("interval", VrrpScriptBlock::interval)
            .supported("timeout", VrrpScriptBlock::timeout)
            .supported("weight", VrrpScriptBlock::weight)
            .supported("rise", VrrpScriptBlock::rise)
            .supported("fall", VrrpScriptBlock::fall)
            .ignored("vrrp4j runs scripts as its own user", "user")
            // vrrp4j's checks start healthy (CheckState); keepalived's start unchecked unless init_fail says failed
            .ignored("the check starts healthy, until fall failures in a row", "init_fail");

    private final String name;
    private final SourceLocation where;
    private final String owner;
    private final Diagnostics diagnostics;
    private final Values values;
    private final Map<String, SourceLocation> seen = new HashMap<>();
    private List<String> command;
    private boolean broken;
    private Duration interval = Duration.ofSeconds(1);
    private Duration timeout;
    private int weight;
    private int rise = 1;
    private int fall = 1;

    VrrpScriptBlock(String name, SourceLocation where, Diagnostics diagnostics) {
        this.name = name;
        this.where = where;
        this.owner = "vrrp_script " + name;
        this.diagnostics = diagnostics;
        this.values = new Values(diagnostics);
    }

    void read(Statement s) {
        int errorsBefore = diagnostics.errorCount();
        for (Statement line : s.block()) {
            KEYWORDS.read(this, line, owner, diagnostics);
        }
        if (command == null && !seen.containsKey("script")) {
            diagnostics.error(s.where(), owner + " has no script");
        }
        broken = diagnostics.errorCount() > errorsBefore;
    }

    SourceLocation where() {
        return where;
    }

    /** The script's own weight, which a {@code track_script} line may override. */
    int weight() {
        return weight;
    }

    /** The script, or {@code null} when its block has errors. */
    VrrpScript build() {
        if (command == null || broken) {
            return null;
        }
        // keepalived waits `interval` for a script that has no timeout (vrrp_scheduler.c)
        return new VrrpScript(name, command, interval, timeout != null ? timeout : interval, weight, rise, fall, where);
    }

    /**
     * keepalived 2.x takes the first word after {@code script} (quotes removed) and splits it again
     * at unquoted whitespace; further words are dropped. Dropping them silently would leave a check
     * that always fails (for example {@code script killall -0 nginx} runs {@code killall} alone), so
     * they are an error here.
     */
    private void script(Statement line) {
        if (!values.once(seen, line, owner) || !values.noBlock(line) || !values.args(line, 1, Integer.MAX_VALUE)) {
            return;
        }
        String first = line.args().getFirst().text();
        if (line.args().size() > 1) {
            String all = line.args().stream().map(Token::text).collect(Collectors.joining(" "));
            diagnostics.error(line.where(), "script: keepalived runs only the first word ('" + first
                    + "') and drops the rest ('" + all.substring(first.length() + 1)
                    + "'); quote the whole command: script \"" + all + "\"");
            return;
        }
        command = values.argv(line, first);
    }

    private void interval(Statement line) {
        Long seconds = values.integerArgOnce(line, 1, MAX_TIMER_SECONDS, seen, owner);
        if (seconds != null) {
            interval = Duration.ofSeconds(seconds);
        }
    }

    private void timeout(Statement line) {
        Long seconds = values.integerArgOnce(line, 1, MAX_TIMER_SECONDS, seen, owner);
        if (seconds != null) {
            timeout = Duration.ofSeconds(seconds);
        }
    }

    /** {@code weight N [noreverse]}: what the check adds to the priority of the instances that track it. */
    private void weight(Statement line) {
        if (!values.noBlock(line) || !values.args(line, 1, 2) || !values.once(seen, line, owner)) {
            return;
        }
        Long v = values.integer(line, line.name(), line.args().getFirst().text(), -253, 253);
        if (v != null) {
            weight = v.intValue();
        }
        if (line.args().size() == 2) {
            values.notReverse(line, line.args().get(1), owner + " weight");
        }
    }

    private void rise(Statement line) {
        Long v = values.integerArgOnce(line, 1, Integer.MAX_VALUE, seen, owner);
        if (v != null) {
            rise = v.intValue();
        }
    }

    private void fall(Statement line) {
        Long v = values.integerArgOnce(line, 1, Integer.MAX_VALUE, seen, owner);
        if (v != null) {
            fall = v.intValue();
        }
    }
}
