package dev.vrrp4j.benchmarks;

import dev.vrrp4j.core.packet.Checksum;

import java.nio.ByteBuffer;

/** Builds the IPv4 packets a raw socket would deliver, for the benchmarks' inputs. */
final class Packets {
    private Packets() {}

    static ByteBuffer ipv4Packet(byte[] source, byte[] destination, ByteBuffer message) {
        ByteBuffer packet = ByteBuffer.allocate(20 + message.remaining());
        packet.put((byte) 0x45).put((byte) 0xc0).putShort((short) packet.capacity())
                .putShort((short) 0).putShort((short) 0x4000)
                .put((byte) 255).put((byte) 112).putShort((short) 0)
                .put(source).put(destination);
        packet.putShort(10, (short) Checksum.finish(Checksum.sum(packet, 0, 20, 0)));
        packet.put(message.duplicate());
        return packet.flip();
    }
}
