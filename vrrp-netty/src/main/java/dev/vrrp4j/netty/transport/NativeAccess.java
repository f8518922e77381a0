package dev.vrrp4j.netty.transport;

import java.util.Optional;

/**
 * Whether the JVM lets this module call native code. Under {@code --illegal-native-access=deny}
 * (the default of a future JDK) a module not named in {@code --enable-native-access} gets an
 * {@link IllegalCallerException} from its first downcall, which here would surface as an
 * {@link ExceptionInInitializerError} from deep inside the first socket opened; a node asks this
 * first so it can refuse to start with the flag to add instead.
 */
public final class NativeAccess {
    private static final IllegalCallerException REFUSAL = probe();

    private NativeAccess() {}

    /** Empty when native calls work (allowed, or allowed with the JVM's warning); else why not. */
    public static Optional<IllegalCallerException> refusal() {
        return Optional.ofNullable(REFUSAL);
    }

    /** The option that grants it: this module and Netty's by name on the module path, else ALL-UNNAMED. */
    public static String enablingOption() {
        Module module = NativeAccess.class.getModule();
        return "--enable-native-access=" + (module.isNamed() ? module.getName() + ",io.netty.common" : "ALL-UNNAMED");
    }

    private static IllegalCallerException probe() {
        try {
            LinuxSyscalls.load();
            return null;
        } catch (ExceptionInInitializerError e) {
            if (e.getCause() instanceof IllegalCallerException refused) {
                return refused;
            }
            throw e;
        }
    }
}
