package dev.vrrp4j.core.packet;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A router's auth_hmac configuration (draft-cassen-vrrp-auth-hmac; keepalived 2.4's
 * {@code auth_hmac} block inside {@code vrrp_instance}): the keys it verifies with, the one it signs
 * with, how it guards against replay, and how strictly it requires a trailer.
 *
 * @param keys              1..255 keys with distinct ids; a receiver verifies with whichever the
 *                          trailer's key id names, so two ids make a rotation hitless
 * @param activeKeyId       the id signed with; it must be one of {@code keys} (keepalived disables
 *                          the whole extension otherwise, vrrp4j refuses the configuration)
 * @param antiReplay        {@link AntiReplay#TIME} (keepalived's default) or {@link AntiReplay#MONOTONIC}
 * @param timeWindowSeconds the freshness window of {@link AntiReplay#TIME}, 1..300 seconds; see
 *                          {@link #defaultTimeWindowSeconds(int)} for keepalived's default
 * @param mode              {@link Mode#ENFORCE} (keepalived's default), {@link Mode#PERMISSIVE} or
 *                          {@link Mode#RECEIVE_ONLY}
 */
public record HmacSettings(List<HmacKey> keys, int activeKeyId, AntiReplay antiReplay, int timeWindowSeconds,
                           Mode mode) {
    /** keepalived's VRRP_AUTH_HMAC_WINDOW_MIN. */
    public static final int MIN_TIME_WINDOW_SECONDS = 1;
    /** keepalived's VRRP_AUTH_HMAC_WINDOW_MAX. */
    public static final int MAX_TIME_WINDOW_SECONDS = 300;
    /** keepalived's VRRP_AUTH_HMAC_WINDOW_FLOOR: the least window derived from the interval. */
    public static final int DERIVED_TIME_WINDOW_FLOOR_SECONDS = 5;

    /** How a receiver orders the sequence numbers of one sender. */
    public enum AntiReplay {
        /**
         * The trailer's timestamp must be within the window of this node's UTC clock and each
         * sender's sequence must grow: needs clocks in sync (NTP) within the window.
         */
        TIME,
        /** Each sender's sequence must grow; no clock agreement, and no freshness guarantee. */
        MONOTONIC
    }

    /** How strictly a trailer is required, the three steps of keepalived's hitless roll-out. */
    public enum Mode {
        /** Sign every advertisement; drop any without a valid trailer ({@link PacketDropReason#HMAC_MISSING}). */
        ENFORCE,
        /** Sign; verify a trailer that is present, accept an advertisement without one. */
        PERMISSIVE,
        /** Send no trailer; verify one that is present, accept an advertisement without one. */
        RECEIVE_ONLY;

        /** Whether advertisements go out with a trailer. */
        public boolean signs() {
            return this != RECEIVE_ONLY;
        }

        /** The keyword keepalived spells it with. */
        public String keyword() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    public HmacSettings {
        keys = List.copyOf(Objects.requireNonNull(keys, "keys"));
        Objects.requireNonNull(antiReplay, "antiReplay");
        Objects.requireNonNull(mode, "mode");
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("auth_hmac keys: none configured, expected 1..255 keys");
        }
        Set<Integer> ids = new HashSet<>();
        for (HmacKey key : keys) {
            if (!ids.add(key.id())) {
                throw new IllegalArgumentException("auth_hmac key id " + key.id() + " is defined twice");
            }
        }
        HmacKey.checkId(activeKeyId);
        if (!ids.contains(activeKeyId)) {
            throw new IllegalArgumentException("auth_hmac active_key " + activeKeyId + " is not a defined key (have "
                    + keys.stream().map(HmacKey::id).sorted().toList() + ")");
        }
        if (timeWindowSeconds < MIN_TIME_WINDOW_SECONDS || timeWindowSeconds > MAX_TIME_WINDOW_SECONDS) {
            throw new IllegalArgumentException("auth_hmac time_window " + timeWindowSeconds + " out of range "
                    + MIN_TIME_WINDOW_SECONDS + ".." + MAX_TIME_WINDOW_SECONDS + " seconds");
        }
    }

    /**
     * keepalived's default window for an advertisement interval: three intervals in whole seconds,
     * at least 5 and at most 300 ({@code max(3 x advert_int, 5)}).
     */
    public static int defaultTimeWindowSeconds(int advertIntervalCentis) {
        return Math.clamp(3L * (advertIntervalCentis / 100), DERIVED_TIME_WINDOW_FLOOR_SECONDS, MAX_TIME_WINDOW_SECONDS);
    }

    /** Settings with keepalived's defaults: time-based anti-replay, the derived window, enforce. */
    public static HmacSettings of(List<HmacKey> keys, int activeKeyId, int advertIntervalCentis) {
        return new HmacSettings(keys, activeKeyId, AntiReplay.TIME, defaultTimeWindowSeconds(advertIntervalCentis),
                Mode.ENFORCE);
    }

    /** The key with {@code id}, or null. */
    public HmacKey key(int id) {
        for (HmacKey key : keys) {
            if (key.id() == id) {
                return key;
            }
        }
        return null;
    }

    /** The same settings in another mode. */
    public HmacSettings withMode(Mode next) {
        return new HmacSettings(keys, activeKeyId, antiReplay, timeWindowSeconds, next);
    }

    /** The same settings signing with another key. */
    public HmacSettings withActiveKey(int id) {
        return new HmacSettings(keys, id, antiReplay, timeWindowSeconds, mode);
    }

    @Override
    public String toString() { // the keys' own toString never shows the material
        return "HmacSettings[keys=" + keys + ", activeKeyId=" + activeKeyId + ", antiReplay=" + antiReplay
                + ", timeWindowSeconds=" + timeWindowSeconds + ", mode=" + mode + "]";
    }
}
