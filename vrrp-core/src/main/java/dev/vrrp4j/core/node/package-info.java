/**
 * The node layer, sans-I/O: all virtual routers of one node, the way quinn-proto's {@code Endpoint}
 * sits above its {@code Connection} (here {@link dev.vrrp4j.core.router.VirtualRouter}).
 *
 * <p>A {@link dev.vrrp4j.core.node.Node} decides everything that needs no socket: which router a
 * received packet belongs to (interface, family, VRID; RFC 9568 §1: the families are independent),
 * whether it is our own looped-back advertisement or from a sender the unicast peer list does not
 * allow, what is dropped and counted, how tracked checks and links change a router's priority or put
 * it in Fault, and how sync groups move together. Inputs are {@code handle…} calls carrying
 * {@code now}; outputs are {@link dev.vrrp4j.core.node.NodeEffect} values the driver performs, and
 * the earliest deadline. {@link dev.vrrp4j.core.node.NodeConfig} is the node's configuration and
 * holds its one validation.
 */
package dev.vrrp4j.core.node;
