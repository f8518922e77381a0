package dev.vrrp4j.core.router;

import dev.vrrp4j.core.packet.ChecksumForm;
import dev.vrrp4j.core.packet.PacketDropReason;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The counters of one virtual router. Written by one thread (the node's event loop) without
 * allocation or atomic read-modify-write; readable from any thread (status, metrics) with
 * up-to-date values.
 */
public final class RouterCounters {
    private static final int ADVERTS_SENT = 0;
    private static final int ADVERTS_RECEIVED = 1;
    private static final int PRIORITY_ZERO_SENT = 2;
    private static final int PRIORITY_ZERO_RECEIVED = 3;
    private static final int TRANSITIONS = 4;
    private static final int ADDRESS_LIST_MISMATCHES = 5;
    private static final int ADDRESSES_RESTORED = 6;
    private static final int CHECKSUM_FORMS = 7;
    private static final int DROPS = CHECKSUM_FORMS + ChecksumForm.values().length;
    private static final PacketDropReason[] REASONS = PacketDropReason.values();

    /** Per {@link SplitBrainKind}: episodes, then the evidence within them. */
    private static final int SPLIT_BRAIN = DROPS + REASONS.length;
    private static final int SPLIT_BRAIN_KINDS = SplitBrainKind.values().length;

    /** auth_hmac permissive and receive-only modes: advertisements accepted without a trailer. */
    private static final int UNSIGNED_ACCEPTED = SPLIT_BRAIN + 2 * SPLIT_BRAIN_KINDS;

    private final AtomicLongArray values = new AtomicLongArray(UNSIGNED_ACCEPTED + 1);

    private void increment(int index) {
        // Single writer: a plain read plus an ordered write is enough and costs no lock prefix.
        values.lazySet(index, values.get(index) + 1);
    }

    void advertSent(int priority) {
        increment(ADVERTS_SENT);
        if (priority == 0) {
            increment(PRIORITY_ZERO_SENT);
        }
    }

    void advertReceived(int priority, ChecksumForm form) {
        increment(ADVERTS_RECEIVED);
        increment(CHECKSUM_FORMS + form.ordinal());
        if (priority == 0) {
            increment(PRIORITY_ZERO_RECEIVED);
        }
    }

    void transition() {
        increment(TRANSITIONS);
    }

    void addressListMismatch() {
        increment(ADDRESS_LIST_MISMATCHES);
    }

    /**
     * Counts a virtual address someone else removed from the interface while the router was
     * Active, which the driver put back; called on the event loop.
     */
    public void addressRestored() {
        increment(ADDRESSES_RESTORED);
    }

    void splitBrainEvidence(SplitBrainKind kind, boolean newEpisode) {
        if (newEpisode) {
            increment(SPLIT_BRAIN + kind.ordinal());
        }
        increment(SPLIT_BRAIN + SPLIT_BRAIN_KINDS + kind.ordinal());
    }

    /**
     * Counts an advertisement without an auth_hmac trailer that the router's mode (permissive or
     * receive-only) let through; the node calls this before the router sees it.
     */
    public void unsignedAccepted() {
        increment(UNSIGNED_ACCEPTED);
    }

    /** Advertisements without an auth_hmac trailer accepted in permissive or receive-only mode. */
    public long unsignedAdvertsAccepted() {
        return values.get(UNSIGNED_ACCEPTED);
    }

    /** Counts a dropped packet; the transport calls this for codec drops it could attribute to this router. */
    public void drop(PacketDropReason reason) {
        increment(DROPS + reason.ordinal());
    }

    /** Advertisements this router asked to send, priority 0 included. */
    public long advertsSent() {
        return values.get(ADVERTS_SENT);
    }

    /** Well-formed advertisements for this router's VRID and family, whatever was then decided. */
    public long advertsReceived() {
        return values.get(ADVERTS_RECEIVED);
    }

    public long priorityZeroSent() {
        return values.get(PRIORITY_ZERO_SENT);
    }

    public long priorityZeroReceived() {
        return values.get(PRIORITY_ZERO_RECEIVED);
    }

    /** State changes, all of them. */
    /** Virtual addresses removed by someone else while Active and put back ({@link #addressRestored()}). */
    public long addressesRestored() {
        return values.get(ADDRESSES_RESTORED);
    }

    public long transitions() {
        return values.get(TRANSITIONS);
    }

    /** Advertisements whose address list differed from ours (RFC 9568 §7.1: logged, not dropped). */
    public long addressListMismatches() {
        return values.get(ADDRESS_LIST_MISMATCHES);
    }

    /** Received advertisements whose checksum verified in {@code form}. */
    public long checksumForm(ChecksumForm form) {
        return values.get(CHECKSUM_FORMS + form.ordinal());
    }

    /** Split-brain episodes of {@code kind} (see {@link VirtualRouter}): each counted once, however long. */
    public long splitBrainEpisodes(SplitBrainKind kind) {
        return values.get(SPLIT_BRAIN + kind.ordinal());
    }

    /** The evidence within those episodes: other Actives' advertisements, or conflicting ARP packets. */
    public long splitBrainEvidence(SplitBrainKind kind) {
        return values.get(SPLIT_BRAIN + SPLIT_BRAIN_KINDS + kind.ordinal());
    }

    public long drops(PacketDropReason reason) {
        return values.get(DROPS + reason.ordinal());
    }

    /** All drop counters that are not zero; allocates. */
    public Map<PacketDropReason, Long> dropsByReason() {
        Map<PacketDropReason, Long> map = new EnumMap<>(PacketDropReason.class);
        for (PacketDropReason reason : REASONS) {
            long count = drops(reason);
            if (count != 0) {
                map.put(reason, count);
            }
        }
        return map;
    }

    @Override
    public String toString() {
        return "sent=" + advertsSent() + " received=" + advertsReceived() + " transitions=" + transitions()
                + " splitBrain=" + splitBrainEpisodes(SplitBrainKind.ADVERTISEMENT)
                + " addressConflicts=" + splitBrainEpisodes(SplitBrainKind.ADDRESS_CONFLICT)
                + " drops=" + dropsByReason();
    }
}
