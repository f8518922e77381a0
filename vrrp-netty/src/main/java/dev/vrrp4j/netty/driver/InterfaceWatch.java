package dev.vrrp4j.netty.driver;

import dev.vrrp4j.netty.transport.LinkMonitor;

import java.util.ArrayList;
import java.util.List;

/** A tracked interface (keepalived {@code track_interface}) and the routers that fault while it is down. */
final class InterfaceWatch {
    final String name;
    LinkMonitor monitor;
    boolean up;
    final List<RouterSlot> routers = new ArrayList<>();

    InterfaceWatch(String name) {
        this.name = name;
    }
}
