package dev.vrrp4j.core.router;

/**
 * How an Active router learned that someone else acts as Active for the same virtual router: two
 * Actives at once, the "split brain" RFC 9568 resolves but does not report.
 */
public enum SplitBrainKind {
    /**
     * An advertisement with a non-zero priority for our VRID from another address while we are
     * Active: that router believes it is Active too. RFC 9568 §6.4.3 decides who yields.
     */
    ADVERTISEMENT,
    /**
     * An ARP packet whose sender IP is one of our IPv4 virtual addresses and whose sender MAC is not
     * our interface's while we are Active: another host answers for the address. VRRP does not
     * resolve this; we keep the address.
     */
    ADDRESS_CONFLICT
}
