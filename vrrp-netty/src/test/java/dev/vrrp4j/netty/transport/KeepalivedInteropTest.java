package dev.vrrp4j.netty.transport;

import dev.vrrp4j.core.packet.AddressFamily;
import dev.vrrp4j.core.packet.Advertisement;
import dev.vrrp4j.core.packet.AdvertisementCodec;
import dev.vrrp4j.core.packet.ChecksumForm;
import dev.vrrp4j.netty.testing.NetnsLan;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Advertisements from a real keepalived arrive through the receive sockets in the form the codec
 * decodes: the wire format is the point of interoperability.
 */
class KeepalivedInteropTest {
    private static NetnsLan lan;

    @TempDir
    Path directory;

    @BeforeAll
    static void createLan() {
        assumeThat(Path.of("/usr/sbin/keepalived")).as("keepalived is not installed").exists();
        lan = NetnsLan.create(2);
    }

    @AfterAll
    static void closeLan() {
        if (lan != null) {
            lan.close();
        }
    }

    /** Starts keepalived in host 0 as the Active router of VRID 51 with priority 200, advertising every 100 ms. */
    private Process keepalived(String virtualAddresses) throws Exception {
        Path config = directory.resolve("keepalived.conf");
        Files.writeString(config, """
                global_defs {
                    vrrp_version 3
                    vrrp_garp_master_delay 0
                }
                vrrp_instance VI_1 {
                    state MASTER
                    interface eth0
                    virtual_router_id 51
                    priority 200
                    advert_int 0.1
                    virtual_ipaddress {
                %s
                    }
                }
                """.formatted(virtualAddresses));
        return lan.startProcess(lan.host(0), "keepalived", "--dont-fork", "--log-console", "--vrrp",
                "-f", config.toString(), "-p", directory.resolve("keepalived.pid").toString(),
                "-r", directory.resolve("vrrp.pid").toString());
    }

    @Test
    void ipv4AdvertisementFromKeepalivedDecodes() throws Exception {
        try (VrrpReceiveSocket receiver = lan.runIn(lan.host(1), () -> VrrpReceiveSocket.openIpv4("eth0"))) {
            Process keepalived = keepalived("        192.0.2.100/24");
            try {
                ReceivedPacketInfo info = new ReceivedPacketInfo();
                byte[] packet = VrrpSocketTest.receiveOne(receiver, info, Duration.ofSeconds(10));
                assertThat(packet).as("an advertisement from keepalived").isNotNull();

                Advertisement advertisement = new Advertisement();
                AdvertisementCodec.decodeIpv4Packet(ByteBuffer.wrap(packet), advertisement);

                assertThat(advertisement.vrid()).isEqualTo(51);
                assertThat(advertisement.priority()).isEqualTo(200);
                assertThat(advertisement.maxAdvertIntervalCentis()).isEqualTo(10);
                assertThat(advertisement.addressList()).containsExactly(InetAddress.getByName("192.0.2.100"));
                assertThat(advertisement.checksumForm()).isEqualTo(ChecksumForm.PSEUDO_HEADER);
                assertThat(info.ttl()).isEqualTo(255);
                assertThat(info.source()).isEqualTo(NetnsLan.ipv4(0));
                assertThat(info.destination()).isEqualTo(InetAddress.getByName("224.0.0.18"));
            } finally {
                keepalived.destroy();
                keepalived.waitFor();
            }
        }
    }

    @Test
    void ipv6AdvertisementFromKeepalivedDecodes() throws Exception {
        try (VrrpReceiveSocket receiver = lan.runIn(lan.host(1), () -> VrrpReceiveSocket.openIpv6("eth0"))) {
            Process keepalived = keepalived("        fe80::100/64\n        2001:db8::100/64");
            try {
                ReceivedPacketInfo info = new ReceivedPacketInfo();
                byte[] message = VrrpSocketTest.receiveOne(receiver, info, Duration.ofSeconds(10));
                assertThat(message).as("an advertisement from keepalived").isNotNull();

                Advertisement advertisement = new Advertisement();
                AdvertisementCodec.decodeMessage(ByteBuffer.wrap(message), AddressFamily.IPV6, info.sourceBytes(),
                        info.destinationBytes(), info.ttl(), advertisement);

                assertThat(advertisement.vrid()).isEqualTo(51);
                assertThat(advertisement.priority()).isEqualTo(200);
                assertThat(advertisement.addressList())
                        .containsExactly(InetAddress.getByName("fe80::100"), InetAddress.getByName("2001:db8::100"));
                assertThat(info.ttl()).isEqualTo(255);
                assertThat(info.source().getHostAddress()).startsWith("fe80:");
                assertThat(info.destination()).isEqualTo(InetAddress.getByName("ff02::12"));
            } finally {
                keepalived.destroy();
                keepalived.waitFor();
            }
        }
    }
}
