package dev.vrrp4j.netty;

import org.junit.jupiter.api.Test;

import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the module descriptors let a user reach: every package of vrrp-core, and of vrrp-netty only
 * the API, the keepalived layer and the Micrometer binder. The driver, the syscalls and the bridge
 * between them stay inside: exporting or opening them would hand out {@code RouterCounters.drop}
 * and the socket handles.
 */
class ModuleBoundaryTest {

    @Test
    void vrrpNettyExportsOnlyItsApiPackages() {
        ModuleDescriptor netty = descriptor("dev.vrrp4j.netty");

        assertThat(netty.exports()).as("qualified exports too").allMatch(e -> e.targets().isEmpty());
        assertThat(exported(netty)).containsExactlyInAnyOrder("dev.vrrp4j.netty", "dev.vrrp4j.netty.keepalived",
                "dev.vrrp4j.netty.micrometer");
        assertThat(netty.packages()).contains("dev.vrrp4j.netty.driver", "dev.vrrp4j.netty.transport",
                "dev.vrrp4j.netty.internal");
        assertThat(netty.opens()).isEmpty();
        assertThat(netty.isOpen()).isFalse();
        assertThat(netty.requires()).as("vrrp-core comes with it")
                .anyMatch(r -> r.name().equals("dev.vrrp4j.core")
                        && r.modifiers().contains(ModuleDescriptor.Requires.Modifier.TRANSITIVE));
        assertThat(netty.requires()).as("Micrometer stays optional")
                .anyMatch(r -> r.name().equals("micrometer.core")
                        && r.modifiers().contains(ModuleDescriptor.Requires.Modifier.STATIC));
    }

    @Test
    void vrrpCoreExportsEveryPackage() {
        ModuleDescriptor core = descriptor("dev.vrrp4j.core");

        assertThat(exported(core)).isEqualTo(core.packages()).contains("dev.vrrp4j.core.node");
    }

    private static Set<String> exported(ModuleDescriptor descriptor) {
        return descriptor.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());
    }

    /** The descriptor as compiled into target/classes, found the way {@code java --module-path} finds it. */
    private static ModuleDescriptor descriptor(String name) {
        Path module = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
        Path root = module.getParent();
        ModuleFinder finder = ModuleFinder.of(root.resolve("vrrp-core/target/classes"),
                root.resolve("vrrp-netty/target/classes"));
        return finder.find(name).orElseThrow(() -> new AssertionError("no module " + name + " in " + root))
                .descriptor();
    }
}
