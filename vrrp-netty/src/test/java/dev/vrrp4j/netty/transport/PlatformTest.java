package dev.vrrp4j.netty.transport;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.util.List;
import java.util.Map;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;

/** The platform check, for this JVM and for the C type sizes of others (arm64 runs here as data). */
class PlatformTest {
    /** Linux on x86-64 and on arm64 (AAPCS64) alike: int 4, long, size_t and pointers 8. */
    private static final Map<String, MemoryLayout> LP64 = Map.of("int", JAVA_INT, "long", JAVA_LONG,
            "size_t", JAVA_LONG, "void*", ADDRESS);
    /** 32-bit ARM or i386: long, size_t and pointers are 4 bytes. */
    private static final Map<String, MemoryLayout> ILP32 = Map.of("int", JAVA_INT, "long", JAVA_INT,
            "size_t", JAVA_INT, "void*", JAVA_INT);

    @Test
    void thisJvmIsSupportedAndItsCTypesAreTheLp64Ones() {
        assertThat(Platform.unsupported()).isEmpty();
        Map<String, MemoryLayout> here = Linker.nativeLinker().canonicalLayouts();
        for (String type : LP64.keySet()) {
            assertThat(here.get(type).byteSize()).as(type).isEqualTo(LP64.get(type).byteSize());
        }
    }

    @Test
    void arm64LinuxPassesWithTheSameStructSizes() {
        assertThat(Platform.problem("Linux", "aarch64", LP64)).isEmpty();
        assertThat(Platform.problem("Linux", "amd64", LP64)).isEmpty();
    }

    @Test
    void anotherArchitectureOrOperatingSystemOrAbiIsRefusedSayingWhat() {
        assertThat(Platform.problem("Linux", "arm", ILP32)).hasValue(
                "vrrp4j's native layer supports x86-64 and arm64 (aarch64); this JVM runs on Linux/arm");
        assertThat(Platform.problem("Mac OS X", "aarch64", LP64)).hasValue(
                "vrrp4j's native layer needs Linux; this JVM runs on Mac OS X/aarch64");
        assertThat(Platform.problem("Linux", "aarch64", ILP32)).hasValue(
                "vrrp4j's native layer needs an LP64 C ABI (int 4, long, size_t and pointers 8 bytes); "
                        + "Linux/aarch64 has int 4, long 4, size_t 4, pointers 4");
    }

    @Test
    void structSizesFollowCAlignment() {
        assertThat(Platform.structSize(List.of(8L, 4L, 8L, 8L, 8L, 8L, 4L))).as("msghdr on LP64").isEqualTo(56);
        assertThat(Platform.structSize(List.of(4L, 4L, 4L, 4L, 4L, 4L, 4L))).as("msghdr on ILP32").isEqualTo(28);
        assertThat(Platform.structSize(List.of(8L, 4L, 4L))).as("cmsghdr").isEqualTo(16);
        assertThat(Platform.structSize(List.of(8L, 4L))).as("tail padding").isEqualTo(16);
    }
}
