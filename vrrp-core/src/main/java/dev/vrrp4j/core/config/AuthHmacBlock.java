package dev.vrrp4j.core.config;

import dev.vrrp4j.core.packet.HmacKey;
import dev.vrrp4j.core.packet.HmacKeyFile;
import dev.vrrp4j.core.packet.HmacSettings;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An instance's {@code auth_hmac { key ID VALUE; active_key ID; anti_replay time|monotonic;
 * time_window SECONDS; mode enforce|permissive|receive-only }} block (keepalived 2.4,
 * draft-cassen-vrrp-auth-hmac). {@code VALUE} is {@code hex:DIGITS}, {@code file:PATH} or a
 * passphrase used byte for byte; keys are 32..64 bytes, ids 1..255.
 *
 * <p>Where keepalived reports a configuration error and runs on without the extension (no
 * {@code active_key}, or one no key defines) or with a key it warned is readable by others, vrrp4j
 * refuses the configuration: an instance meant to be authenticated must not silently run without it.
 * The window defaults to keepalived's {@code max(3 x advert_int, 5)}, known once the instance is read.
 */
final class AuthHmacBlock {
    static final KeywordTable<AuthHmacBlock> KEYWORDS = KeywordTable.<AuthHmacBlock>closedBlock("auth_hmac")
            .supported("key", AuthHmacBlock::key)
            .supported("active_key", AuthHmacBlock::activeKey)
            .supported("anti_replay", AuthHmacBlock::antiReplay)
            .supported("time_window", AuthHmacBlock::timeWindow)
            .supported("mode", AuthHmacBlock::mode);

    private final String owner;
    private final Diagnostics diagnostics;
    private final Values values;
    private final Map<String, SourceLocation> seen = new HashMap<>();
    private final List<HmacKey> keys = new ArrayList<>();
    private final Map<Integer, SourceLocation> keyLines = new HashMap<>();
    private SourceLocation where;
    private Integer activeKey;
    private SourceLocation activeKeyWhere;
    private HmacSettings.AntiReplay antiReplay = HmacSettings.AntiReplay.TIME;
    private Integer timeWindowSeconds;
    private HmacSettings.Mode mode = HmacSettings.Mode.ENFORCE;
    private boolean broken;

    /** @param instanceOwner the instance, as the messages name it ({@code vrrp_instance VI_1}) */
    AuthHmacBlock(String instanceOwner, Diagnostics diagnostics) {
        this.owner = "auth_hmac in " + instanceOwner;
        this.diagnostics = diagnostics;
        this.values = new Values(diagnostics);
    }

    /** Reads the block; keepalived merges a second one into the first, and so does vrrp4j. */
    void read(Statement s) {
        if (where == null) {
            where = s.where();
        }
        int errorsBefore = diagnostics.errorCount();
        for (Statement line : s.block()) {
            KEYWORDS.read(this, line, owner, diagnostics);
        }
        broken |= diagnostics.errorCount() > errorsBefore;
    }

    /** Whether the instance has the block. */
    boolean present() {
        return where != null;
    }

    SourceLocation where() {
        return where;
    }

    private void key(Statement line) {
        if (!values.noBlock(line)) {
            return;
        }
        if (line.args().size() != 2) {
            diagnostics.error(line.where(), "key in " + owner + " needs an id 1..255 and a value (hex:DIGITS,"
                    + " file:PATH or a 32..64 byte passphrase), got " + line.args().size() + " words");
            return;
        }
        Long id = values.integer(line, "key id", line.args().getFirst().text(), 1, HmacKey.MAX_ID);
        if (id == null) {
            return;
        }
        SourceLocation first = keyLines.putIfAbsent(id.intValue(), line.where());
        if (first != null) {
            diagnostics.error(line.where(), "key id " + id + " is defined twice in " + owner + " (first at " + first + ")");
            return;
        }
        String value = line.args().get(1).text();
        try {
            keys.add(value.startsWith("file:")
                    ? HmacKeyFile.read(id.intValue(), Path.of(value.substring("file:".length())))
                    : HmacKey.parse(id.intValue(), value));
        } catch (IllegalArgumentException e) {
            diagnostics.error(line.where(), e.getMessage() + " in " + owner);
        } catch (IOException e) {
            diagnostics.error(line.where(), "auth_hmac key " + id + " file " + value.substring("file:".length())
                    + " cannot be read in " + owner + ": " + e);
        }
    }

    private void activeKey(Statement line) {
        Long id = values.integerArgOnce(line, 1, HmacKey.MAX_ID, seen, owner);
        if (id != null) {
            activeKey = id.intValue();
            activeKeyWhere = line.where();
        }
    }

    private void antiReplay(Statement line) {
        String v = values.oneArg(line);
        if (v == null || !values.once(seen, line, owner)) {
            return;
        }
        switch (v) {
            case "time" -> antiReplay = HmacSettings.AntiReplay.TIME;
            case "monotonic" -> antiReplay = HmacSettings.AntiReplay.MONOTONIC;
            default -> diagnostics.error(line.where(), "anti_replay '" + v + "' in " + owner
                    + " is not one of time, monotonic");
        }
    }

    private void timeWindow(Statement line) {
        Long v = values.integerArgOnce(line, HmacSettings.MIN_TIME_WINDOW_SECONDS, HmacSettings.MAX_TIME_WINDOW_SECONDS,
                seen, owner);
        if (v != null) {
            timeWindowSeconds = v.intValue();
        }
    }

    private void mode(Statement line) {
        String v = values.oneArg(line);
        if (v == null || !values.once(seen, line, owner)) {
            return;
        }
        switch (v) {
            case "enforce" -> mode = HmacSettings.Mode.ENFORCE;
            case "permissive" -> mode = HmacSettings.Mode.PERMISSIVE;
            case "receive-only" -> mode = HmacSettings.Mode.RECEIVE_ONLY;
            default -> diagnostics.error(line.where(), "mode '" + v + "' in " + owner
                    + " is not one of enforce, permissive, receive-only");
        }
    }

    /**
     * The settings, or null without the block or when it has errors (they are reported).
     *
     * @param advertIntervalCentis the instance's interval, from which the default window derives
     */
    HmacSettings settings(int advertIntervalCentis) {
        if (where == null || broken) {
            return null;
        }
        if (keys.isEmpty()) {
            diagnostics.error(where, owner + " has no key; add `key 1 hex:...` (32..64 bytes), the same on every node");
            return null;
        }
        if (activeKey == null) {
            diagnostics.error(where, owner + " has no active_key; keepalived then runs without auth_hmac, vrrp4j"
                    + " refuses to: add `active_key ID` naming one of the keys " + keyIds());
            return null;
        }
        if (!keyLines.containsKey(activeKey)) {
            diagnostics.error(activeKeyWhere, "active_key " + activeKey + " in " + owner + " is not a defined key"
                    + " (have " + keyIds() + "); keepalived then runs without auth_hmac, vrrp4j refuses to");
            return null;
        }
        int window = timeWindowSeconds != null ? timeWindowSeconds
                : HmacSettings.defaultTimeWindowSeconds(advertIntervalCentis);
        return new HmacSettings(keys, activeKey, antiReplay, window, mode);
    }

    private List<Integer> keyIds() {
        return keyLines.keySet().stream().sorted().toList();
    }
}
