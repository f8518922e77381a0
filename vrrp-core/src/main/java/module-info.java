/**
 * vrrp4j's protocol core: the VRRPv3/v2 codec, the RFC 9568 state machine, the node layer above the
 * routers and the keepalived.conf parser. Pure Java: no I/O, no threads, no clock; every package is
 * API.
 */
module dev.vrrp4j.core {
    requires org.slf4j;

    exports dev.vrrp4j.core.packet;
    exports dev.vrrp4j.core.router;
    exports dev.vrrp4j.core.health;
    exports dev.vrrp4j.core.node;
    exports dev.vrrp4j.core.config;
}
