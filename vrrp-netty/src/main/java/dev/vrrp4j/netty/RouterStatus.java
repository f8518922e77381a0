package dev.vrrp4j.netty;

import dev.vrrp4j.core.packet.AddressFamily;
import dev.vrrp4j.core.packet.PacketDropReason;
import dev.vrrp4j.core.router.State;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;

/**
 * A consistent snapshot of one virtual router, taken on the event loop.
 *
 * @param name               the router's name ({@code VI_1})
 * @param vrid               its VRID
 * @param family             IPv4 or IPv6
 * @param interfaceName      the interface it runs on
 * @param state              its state
 * @param priority           the priority in effect (the configured one adjusted by health-check weights)
 * @param configuredPriority the configured priority
 * @param activeAddress      the current Active router's address (ours when Active), null if unknown
 * @param timeInState        how long it has been in {@code state}
 * @param advertsSent        advertisements sent, priority 0 included
 * @param advertsReceived    well-formed advertisements received for its VRID
 * @param transitions        state changes
 * @param drops              dropped packets by reason (only the non-zero ones)
 * @param splitBrainEpisodes  split-brain episodes: another router claimed Active while we were
 *                            ({@link dev.vrrp4j.core.router.SplitBrainKind#ADVERTISEMENT})
 * @param addressConflictEpisodes episodes of another MAC claiming our virtual address in ARP
 *                            ({@link dev.vrrp4j.core.router.SplitBrainKind#ADDRESS_CONFLICT})
 * @param splitBrainOngoing   whether an episode of either kind is going on now
 * @param lastSplitBrain      the start of the latest episode of either kind, with the other party's
 *                            address or MAC; null if there was none
 * @param addressesRestored   virtual addresses another process removed while Active, put back
 * @param unsignedAdvertsAccepted advertisements without an auth_hmac trailer accepted in a
 *                            receive-only or permissive {@code auth_hmac} mode (0 without auth_hmac)
 */
public record RouterStatus(String name, int vrid, AddressFamily family, String interfaceName, State state,
                           int priority, int configuredPriority, InetAddress activeAddress, Duration timeInState,
                           long advertsSent, long advertsReceived, long transitions,
                           Map<PacketDropReason, Long> drops, long splitBrainEpisodes,
                           long addressConflictEpisodes, boolean splitBrainOngoing, SplitBrainEvent lastSplitBrain,
                           long addressesRestored, long unsignedAdvertsAccepted) {
    public RouterStatus {
        drops = Map.copyOf(drops);
    }
}
