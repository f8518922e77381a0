/**
 * Reads the VRRP part of keepalived's configuration language (keepalived.conf(5), keepalived 2.2)
 * so that keepalived users can run their existing {@code keepalived.conf} with vrrp4j. Entry point:
 * {@link dev.vrrp4j.core.config.KeepalivedConfigParser}; result:
 * {@link dev.vrrp4j.core.config.KeepalivedConfig}; each instance maps to the router core with
 * {@link dev.vrrp4j.core.config.VrrpInstance#toRouterConfig()}.
 *
 * <h2>Syntax</h2>
 * As keepalived reads it: words separated by whitespace; {@code #} and {@code !} start a comment
 * anywhere outside quotes; braces open and close blocks, also glued to words or on the next line;
 * {@code "} and {@code '} quote, with backslash escapes; {@code include PATTERN} (and the checking
 * variants {@code includer/m/w/b/a}) at any level, relative to the including file, with
 * {@code * ? [...] {a,b}}, matches in sorted order. A pattern matching nothing is a warning (an
 * error for the checking variants); an include cycle is an error. IPv4 addresses are dotted quads
 * only (keepalived refuses {@code 192.168.4}; {@code InetAddress} would read it as 192.168.0.4).
 *
 * <h2>Conditional configuration, parameters, sequences</h2>
 * Applied to each line first, as keepalived's reader does ({@link dev.vrrp4j.core.config.Preprocessor}):
 * {@code @ID} / {@code @^ID} lines against the config id (default: the host name's first label, as
 * keepalived's; {@code bin/vrrp4j --config-id ID} like keepalived's {@code -i}); {@code $NAME=value}
 * (multi-line with trailing backslashes) and {@code $NAME} / {@code ${NAME}} at the time of use,
 * with {@code ${_PWD}}, {@code ${_INSTANCE}}, {@code ${_HASH}}, {@code ${_BANG}} predefined;
 * {@code ~SEQ(var, start, step, end)}, {@code ~SEQx(...)}, {@code ~LST(...)}. Every line they produce
 * is reported at the line that produced it. An undefined {@code $NAME} stays as written with a
 * warning (as keepalived leaves it); an undefined {@code ${NAME}}, {@code ${_RANDOM}} and a
 * malformed {@code ~SEQ}/{@code ~LST} are errors.
 *
 * <h2>Scripts</h2>
 * {@code script}, {@code notify*}: the first word after the keyword (quoted when it has arguments)
 * is split again at whitespace outside quotes into an argument vector, as keepalived 2.x does; no
 * shell. Unquoted extra words after {@code script} (which keepalived silently drops, so
 * {@code script killall -0 nginx} runs {@code killall} alone) are an error; after {@code notify*}
 * they are keepalived's user and group, reported as ignored.
 *
 * <h2>Keywords</h2>
 * <table class="striped">
 * <caption>What vrrp4j does with keepalived's keywords</caption>
 * <thead>
 * <tr><th scope="col">Block</th><th scope="col">Supported</th><th scope="col">Refused (error)</th>
 *     <th scope="col">Ignored, one warning per keyword</th></tr>
 * </thead>
 * <tbody>
 * <tr><td>top level</td>
 *     <td>global_defs, vrrp_script, vrrp_instance, vrrp_sync_group, include*; @ID and @^ID lines,
 *         $NAME=value and $NAME / ${NAME}, ~SEQ, ~SEQx, ~LST; static_routes, static_rules (as
 *         virtual_routes, virtual_rules)</td>
 *     <td>an undefined ${NAME}, ${_RANDOM}, a malformed ~SEQ/~LST, an include cycle</td>
 *     <td>virtual_server, virtual_server_group, SSL, static_ipaddress,
 *         track_group, vrrp_track_process, track_file, bfd_instance, garp_group, linkbeat_interfaces,
 *         interface_up_down_delays, net_namespace and other daemon settings (whole block skipped)</td></tr>
 * <tr><td>global_defs</td>
 *     <td>router_id, enable_script_security, script_user, vrrp_version, vrrp_garp_master_delay,
 *         vrrp_garp_master_repeat, vrrp_garp_master_refresh, vrrp_min_garp, v3_checksum_as_v2,
 *         notify_fifo, vrrp_notify_fifo and their *_script, max_auto_priority, min_auto_priority_delay;
 *         vrrp_mcast_group4/6 (any multicast group of the family), vrrp_down_timer_adverts with the RFC
 *         value</td>
 *     <td>vrrp_mcast_group4/6 that is not multicast of its family, vrrp_down_timer_adverts other than 3</td>
 *     <td>vrrp_strict, notification_email*, smtp_*, enable_snmp_*, enable_traps, enable_dbus, lvs_*,
 *         checker_*, vrrp_notify_priority_changes, fifo_write_vrrp_states_on_reload, vrrp_iptables, vrrp_ipsets, nftables*, other
 *         vrrp_garp_*, vrrp_gna_interval, vrrp_skip_check_adv_addr, vrrp_check_unicast_src,
 *         vrrp_lower_prio_no_advert, vrrp_higher_prio_send_advert, vrrp_startup_delay, vmac_prefix,
 *         process and scheduling settings</td></tr>
 * <tr><td>vrrp_instance</td>
 *     <td>state, interface, virtual_router_id, priority, advert_int, version, nopreempt, preempt,
 *         preempt_delay, accept, no_accept, virtual_ipaddress (dev of any interface, label, brd/broadcast,
 *         scope, no_track), virtual_ipaddress_excluded
 *         (the same options, either family), no_virtual_ipaddress (VRRPv2 only), unicast_src_ip,
 *         mcast_src_ip (the same setting in keepalived), unicast_peer, track_interface (name [weight N]),
 *         track_script (name [weight N]), notify_master, notify_backup, notify_fault, notify_stop,
 *         notify, garp_master_delay, garp_master_repeat, garp_master_refresh,
 *         garp_master_refresh_repeat, garp_lower_prio_repeat, garp_lower_prio_delay, dont_track_primary,
 *         v3_checksum_as_v2,
 *         native_ipv6, authentication (VRRPv2 auth_type PASS and auth_pass, truncated to 8 bytes with
 *         a warning as keepalived does), mcast_dst_ip (IPv4 multicast, IPv6 link-local multicast);
 *         down_timer_adverts with the RFC value; virtual_routes (src, via/gw, dev/oif, table, metric,
 *         scope, protocol, blackhole/unreachable/prohibit) and virtual_rules (from, to, table/lookup,
 *         priority/preference/order, iif/dev, oif, fwmark, blackhole/unreachable/prohibit), either
 *         family, any device</td>
 *     <td>auth_type AH, a VRRPv3 instance without virtual_ipaddress, a VRRPv2 advert_int that is not
 *         whole seconds 1..255, a track_interface weight outside -253..253,
 *         {@code reverse}, several entries on one line of a list block, an mcast_dst_ip that is not
 *         such a group, virtual_ipaddress options keepalived reports and drops (dev twice, a label
 *         over 15 characters, brd/scope/label on IPv6, a scope outside 0..255, brd +/- over /30), other
 *         down_timer_adverts values; another route or rule option (onlink, nexthop, mtu, not, ...), a
 *         route destination with host bits set (the kernel refuses it), a table name other than
 *         main/local/default</td>
 *     <td>use_vmac, use_vmac_addr, vmac_xmit_base, use_ipvlan, garp_extra_if, authentication in a
 *         VRRPv3 instance,
 *         track_file, track_process,
 *         track_bfd, track_src_ip, vrf, unicast_ttl, check_unicast_src,
 *         unicast_fault_no_peer, old_unicast_checksum, lower_prio_no_advert, higher_prio_send_advert, skip_check_adv_addr,
 *         strict_mode, promote_secondaries, notify_deleted, notify_master_rx_lower_pri,
 *         notify_priority_changes, smtp_alert, debug, kernel_rx_buf_size, timer_expired_backup;
 *         virtual_ipaddress options peer, preferred_lft, home, -nodad and the like;
 *         unicast_peer min_ttl, max_ttl</td></tr>
 * <tr><td>vrrp_script</td>
 *     <td>script, interval, timeout, weight, rise, fall</td>
 *     <td>unquoted words after the script, {@code weight N reverse}</td>
 *     <td>user, init_fail</td></tr>
 * <tr><td>vrrp_sync_group</td>
 *     <td>group, notify_master, notify_backup, notify_fault, notify_stop, notify,
 *         sync_group_tracking_weight, global_tracking</td>
 *     <td></td>
 *     <td>track_interface, track_script, track_file, track_process, track_bfd, notify_deleted,
 *         notify_priority_changes, smtp_alert</td></tr>
 * </tbody>
 * </table>
 * An unknown keyword is a warning (once), unless it is within two typing errors of a supported
 * keyword of its block ({@code priorty}, {@code no_preempt}, {@code virtual_ipadress}): then it is
 * an error naming the likely keyword, since ignoring it would silently change the router.
 *
 * <h2>keepalived's own adjustments, repeated with a warning</h2>
 * {@code nopreempt} is ignored with {@code state MASTER}; the {@code MASTER} instances of a sync group
 * whose instances are not all {@code MASTER} start as {@code BACKUP}; {@code preempt_delay} is cleared with
 * {@code state MASTER} or {@code nopreempt}; weighted {@code track_script}s are ignored on an
 * address owner (priority 255) and on sync group members (unless the group has
 * {@code sync_group_tracking_weight}); {@code track_interface} of the instance's own interface is
 * dropped; a script's {@code timeout} defaults to its {@code interval}; a {@code vrrp_script} no
 * instance tracks is reported.
 */
package dev.vrrp4j.core.config;
