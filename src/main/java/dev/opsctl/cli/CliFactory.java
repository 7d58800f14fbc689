package dev.opsctl.cli;

import java.lang.reflect.Constructor;
import picocli.CommandLine;

/** Builds commands, mixins and converters, handing a {@link CliEnv} to those whose constructor takes one. */
final class CliFactory implements CommandLine.IFactory {
    private final CliEnv env;
    private final CommandLine.IFactory fallback = CommandLine.defaultFactory();

    CliFactory(CliEnv env) {
        this.env = env;
    }

    @Override
    public <K> K create(Class<K> cls) throws Exception {
        for (Constructor<?> c : cls.getDeclaredConstructors()) {
            if (c.getParameterCount() == 1 && c.getParameterTypes()[0] == CliEnv.class) {
                c.setAccessible(true);
                return cls.cast(c.newInstance(env));
            }
        }
        return fallback.create(cls);
    }
}
