package dev.vrrp4j.netty;

import java.time.Instant;

/**
 * Everything a {@link VrrpNode} tells a {@link FailoverListener}: a router's state change
 * ({@link RouterEvent}), a sync group's ({@link GroupEvent}), or the start of a split-brain episode
 * ({@link SplitBrainEvent}). Sealed, so a listener written as one {@code switch} over the three
 * ({@link FailoverListener#of}) is checked for completeness by the compiler.
 */
public sealed interface VrrpEvent permits RouterEvent, GroupEvent, SplitBrainEvent {
    /** The name of the router ({@code VI_1}) or of the sync group ({@code VG_1}) the event is about. */
    String name();

    /** Wall-clock time of what the event reports. */
    Instant at();
}
