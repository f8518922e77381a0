package dev.vrrp4j.core.router;

/** Why a virtual router changed state; the text is what the transition log line says in brackets. */
public enum TransitionReason {
    /** Started as a non-owner: waits in Backup (RFC 9568 §6.4.1). */
    STARTUP("startup"),
    /** Started as the address owner (priority 255): Active at once (RFC 9568 §6.4.1). */
    ADDRESS_OWNER("address owner"),
    /** No advertisement within Active_Down_Interval (RFC 9568 §6.4.2). */
    ADVERT_TIMEOUT("advert timeout"),
    /** The Active router left with priority 0 and Skew_Time passed (RFC 9568 §6.4.2). */
    ACTIVE_LEFT("active sent priority 0"),
    /** Preempt mode: the Active router's priority is lower, so its adverts were ignored (RFC 9568 §6.4.2). */
    PREEMPT("preempting lower priority"),
    /** Active and heard a higher priority, or an equal one from a higher address (RFC 9568 §6.4.3). */
    HIGHER_PRIORITY("higher priority advert"),
    /** Asked to stop (RFC 9568 §6.4.2, §6.4.3 Shutdown event). */
    SHUTDOWN("shutdown"),
    /** A fault was reported (link down, failed check). */
    FAULT("fault"),
    /** The fault cleared; back to the startup path. */
    FAULT_CLEARED("fault cleared"),
    /** Another router of its sync group changed state, and the group moves together (keepalived {@code vrrp_sync_group}). */
    SYNC_GROUP("sync group");

    private final String text;

    TransitionReason(String text) {
        this.text = text;
    }

    /** Short text for the transition log line. */
    public String text() {
        return text;
    }
}
