package dev.vrrp4j.core.router;

/**
 * The states of a virtual router: the three of RFC 9568 §6.4, plus {@link #FAULT}, which keepalived
 * users know: the router cannot take part (link down, failed health check), holds no addresses and
 * sends nothing until the fault clears.
 */
public enum State {
    /** Not running: before start, after shutdown (RFC 9568 §6.4.1). */
    INITIALIZE("INIT"),
    /** Monitoring the Active router, ready to take over (RFC 9568 §6.4.2). */
    BACKUP("BACKUP"),
    /** Holding the virtual addresses and advertising (RFC 9568 §6.4.3); keepalived calls it MASTER. */
    ACTIVE("MASTER"),
    /** Unable to take part; not in RFC 9568, the state keepalived enters on link or check failure. */
    FAULT("FAULT");

    private final String keepalivedName;

    State(String keepalivedName) {
        this.keepalivedName = keepalivedName;
    }

    /** The name keepalived logs and passes to notify scripts: INIT, BACKUP, MASTER, FAULT. */
    public String keepalivedName() {
        return keepalivedName;
    }
}
