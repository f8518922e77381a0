package dev.vrrp4j.core.packet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static dev.vrrp4j.core.packet.AddressFamily.IPV4;
import static dev.vrrp4j.core.packet.AddressFamily.IPV6;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The reusable {@link Advertisement} holder: validation on the send side and the allocation-free lookups. */
class AdvertisementTest {

    // --- set(...) and priority(...) ---

    @ParameterizedTest(name = "{3}")
    @CsvSource(delimiter = '|', value = {
            "0   | 100 | 100  | vrid 0 out of range 1..255",
            "256 | 100 | 100  | vrid 256 out of range 1..255",
            "51  | -1  | 100  | priority -1 out of range 0..255",
            "51  | 256 | 100  | priority 256 out of range 0..255",
            "51  | 100 | 0    | maxAdvertIntervalCentis 0 out of range 1..4095",
            "51  | 100 | 4096 | maxAdvertIntervalCentis 4096 out of range 1..4095"})
    void setRejectsWhatTheWireCannotCarryNamingFieldValueAndRange(int vrid, int priority, int interval, String message) {
        assertThatThrownBy(() -> new Advertisement().set(IPV4, vrid, priority, interval))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void setAcceptsBothEndsOfEveryRange() {
        Advertisement low = new Advertisement().set(IPV4, 1, 0, 1);
        Advertisement high = new Advertisement().set(IPV6, 255, 255, 4095);

        assertThat(List.of(low.family(), low.vrid(), low.priority(), low.maxAdvertIntervalCentis()))
                .containsExactly(IPV4, 1, 0, 1);
        assertThat(List.of(high.family(), high.vrid(), high.priority(), high.maxAdvertIntervalCentis()))
                .containsExactly(IPV6, 255, 255, 4095);
    }

    @Test
    void setRejectsANullFamily() {
        assertThatThrownBy(() -> new Advertisement().set(null, 51, 100, 100))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("family");
    }

    @Test
    void aRejectedSetLeavesTheHolderAsItWas() {
        Advertisement ad = new Advertisement().set(IPV4, 51, 100, 100);

        assertThatThrownBy(() -> ad.set(IPV6, 52, 100, 0)).isInstanceOf(IllegalArgumentException.class);

        assertThat(ad.family()).isEqualTo(IPV4);
        assertThat(ad.vrid()).isEqualTo(51);
        assertThat(ad.maxAdvertIntervalCentis()).isEqualTo(100);
    }

    @Test
    void priorityAloneIsValidatedToo() {
        Advertisement ad = new Advertisement().set(IPV4, 51, 100, 100);

        assertThatThrownBy(() -> ad.priority(256)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("priority 256 out of range 0..255");
        assertThat(ad.priority(0).priority()).isZero();
        assertThat(ad.priority(255).priority()).isEqualTo(255);
    }

    // --- addresses(...) and route(...) ---

    @Test
    void addressesWantsOneTo255() {
        Advertisement ad = new Advertisement().set(IPV4, 51, 100, 100);
        List<InetAddress> all = IntStream.range(0, 256).mapToObj(i -> ip("192.0.2." + i)).toList();

        assertThatThrownBy(() -> ad.addresses(List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("address count 0 out of range 1..255");
        assertThatThrownBy(() -> ad.addresses(all)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("address count 256 out of range 1..255");
        assertThat(ad.addresses(all.subList(0, 255)).addressCount()).isEqualTo(255);
        assertThat(ad.address(254)).isEqualTo(ip("192.0.2.254"));
    }

    @Test
    void addressesOfTheOtherFamilyAreRejectedByName() {
        Advertisement v4 = new Advertisement().set(IPV4, 51, 100, 100);
        Advertisement v6 = new Advertisement().set(IPV6, 61, 100, 100);

        assertThatThrownBy(() -> v4.addresses(List.of(ip("192.0.2.100"), ip("2001:db8::1"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContainingAll("2001:db8:0:0:0:0:0:1", "IPV4");
        assertThatThrownBy(() -> v6.addresses(List.of(ip("192.0.2.100"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContainingAll("192.0.2.100", "IPV6");
    }

    @Test
    void aRejectedAddressListLeavesTheAnnouncedAddressesAsTheyWere() {
        Advertisement ad = new Advertisement().set(IPV4, 51, 100, 100)
                .addresses(List.of(ip("192.0.2.100"), ip("192.0.2.101")));

        assertThatThrownBy(() -> ad.addresses(List.of(ip("198.51.100.1"), ip("198.51.100.2"), ip("2001:db8::1"))))
                .isInstanceOf(IllegalArgumentException.class);

        assertThat(ad.addressList()).containsExactly(ip("192.0.2.100"), ip("192.0.2.101"));
    }

    @Test
    void routeWantsAddressesOfTheHoldersFamily() {
        Advertisement ad = new Advertisement().set(IPV4, 51, 100, 100);

        assertThatThrownBy(() -> ad.route(TestPackets.IPV6_SOURCE, TestPackets.IPV4_GROUP))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("source/destination must be 4 bytes for IPV4");
        ad.route(TestPackets.IPV4_SOURCE, TestPackets.IPV4_GROUP);
        byte[] copy = new byte[4];
        ad.copySource(copy);
        assertThat(copy).isEqualTo(TestPackets.IPV4_SOURCE);
        assertThat(ad.sourceAddress()).isEqualTo(ip("192.0.2.1"));
        assertThat(ad.destinationAddress()).isEqualTo(ip("224.0.0.18"));
    }

    @Test
    void addressIndexIsChecked() {
        Advertisement ad = new Advertisement().set(IPV4, 51, 100, 100).addresses(List.of(ip("192.0.2.100")));

        assertThatThrownBy(() -> ad.address(1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> ad.address(-1)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    // --- addressIn: binary search over unsigned, sorted addresses ---

    /** Sorted as unsigned numbers: a signed comparison would put 192.0.2.200 (0xc8) before 192.0.2.10. */
    private static final List<String> SORTED_IPV4 = List.of(
            "192.0.2.10", "192.0.2.127", "192.0.2.128", "192.0.2.200", "198.51.100.1", "203.0.113.254");

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "192.0.2.10, true",      // first
            "203.0.113.254, true",   // last
            "192.0.2.127, true",
            "192.0.2.128, true",
            "192.0.2.200, true",
            "198.51.100.1, true",
            "192.0.2.9, false",      // below the first
            "203.0.113.255, false",  // above the last
            "192.0.2.129, false",    // between two
            "198.51.100.0, false"})
    void addressInFindsIpv4AddressesByUnsignedBinarySearch(String address, boolean expected) {
        Advertisement ad = new Advertisement().set(IPV4, 51, 100, 100)
                .addresses(List.of(ip("198.51.100.99"), ip(address))); // look up the second one

        assertThat(ad.addressIn(1, packed(SORTED_IPV4), SORTED_IPV4.size())).isEqualTo(expected);
        assertThat(ad.addressIn(0, packed(SORTED_IPV4), SORTED_IPV4.size())).isFalse();
    }

    private static final List<String> SORTED_IPV6 = List.of(
            "2001:db8::1", "2001:db8::7f", "2001:db8::80", "2001:db8:1::", "fe80::1", "fe80::8000");

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "2001:db8::1, true",     // first
            "fe80::8000, true",      // last
            "2001:db8::80, true",
            "2001:db8:1::, true",
            "fe80::1, true",
            "2001:db8::, false",     // below the first
            "febf::1, false",        // above the last
            "2001:db8::81, false",   // between two
            "fe80::2, false"})
    void addressInFindsIpv6AddressesByUnsignedBinarySearch(String address, boolean expected) {
        Advertisement ad = new Advertisement().set(IPV6, 61, 100, 100)
                .addresses(List.of(ip("fe80::99"), ip(address)));

        assertThat(ad.addressIn(1, packed(SORTED_IPV6), SORTED_IPV6.size())).isEqualTo(expected);
    }

    @Test
    void addressInSearchesOnlyTheFirstCountAddresses() {
        Advertisement ad = new Advertisement().set(IPV4, 51, 100, 100).addresses(List.of(ip("203.0.113.254")));
        byte[] sorted = packed(SORTED_IPV4);

        assertThat(ad.addressIn(0, sorted, 6)).isTrue();
        assertThat(ad.addressIn(0, sorted, 5)).isFalse();
        assertThat(ad.addressIn(0, sorted, 0)).isFalse();
    }

    // --- compareSourceTo: RFC 9568 §6.4.3 tie-break on the primary address ---

    @ParameterizedTest(name = "{0} vs {1}: {2}")
    @CsvSource({
            "192.0.2.200, 192.0.2.10, 1",
            "192.0.2.10, 192.0.2.200, -1",
            "192.0.2.128, 192.0.2.127, 1",   // 0x80 > 0x7f, though (byte) 0x80 is negative
            "203.0.113.1, 198.51.100.1, 1",
            "198.51.100.1, 203.0.113.1, -1",
            "192.0.2.7, 192.0.2.7, 0",
            "fe80::1, 2001:db8::1, 1",         // first byte 0xfe > 0x20, though (byte) 0xfe is negative
            "2001:db8::1, fe80::1, -1",
            "2001:db8::80, 2001:db8::7f, 1",
            "fe80::1, fe80::1, 0"})
    void compareSourceToIsAnUnsignedComparison(String source, String other, int expectedSign) {
        byte[] sourceBytes = ip(source).getAddress();
        AddressFamily family = AddressFamily.ofAddressLength(sourceBytes.length);
        Advertisement ad = new Advertisement().set(family, 51, 100, 100).route(sourceBytes, TestPackets.group(family));

        assertThat(Integer.signum(ad.compareSourceTo(ip(other).getAddress()))).isEqualTo(expectedSign);
    }

    private static byte[] packed(List<String> addresses) {
        List<byte[]> bytes = new ArrayList<>();
        addresses.forEach(a -> bytes.add(ip(a).getAddress()));
        return TestPackets.concat(bytes.toArray(byte[][]::new));
    }

    private static InetAddress ip(String literal) {
        return InetAddress.ofLiteral(literal);
    }
}
