/**
 * Micrometer metrics for a {@link dev.vrrp4j.netty.VrrpNode}: {@link dev.vrrp4j.netty.micrometer.VrrpMeterBinder}.
 * The only package of vrrp-netty that refers to Micrometer, an optional dependency.
 */
package dev.vrrp4j.netty.micrometer;
