package dev.opsctl.cli;

import java.lang.reflect.Constructor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import picocli.CommandLine;

/**
 * Builds commands, mixins, converters and the collections picocli fills, handing a {@link CliEnv}
 * to those whose constructor takes one. picocli's own default factory is not used: its class
 * initialisation looks for Groovy on the class path, a failed class lookup in a 70 MB jar that
 * cost every start ~8 ms.
 */
final class CliFactory implements CommandLine.IFactory {
    private final CliEnv env;

    CliFactory(CliEnv env) {
        this.env = env;
    }

    @Override
    public <K> K create(Class<K> cls) throws Exception {
        if (cls.isInterface()) {
            Object collection = collection(cls);
            if (collection != null) {
                return cls.cast(collection);
            }
        }
        Constructor<?> noArgs = null;
        for (Constructor<?> c : cls.getDeclaredConstructors()) {
            if (c.getParameterCount() == 1 && c.getParameterTypes()[0] == CliEnv.class) {
                c.setAccessible(true);
                return cls.cast(c.newInstance(env));
            }
            if (c.getParameterCount() == 0) {
                noArgs = c;
            }
        }
        if (noArgs == null) {
            throw new NoSuchMethodException(cls.getName() + " has neither a no-argument constructor nor one taking a CliEnv");
        }
        noArgs.setAccessible(true);
        return cls.cast(noArgs.newInstance());
    }

    private static Object collection(Class<?> cls) {
        if (SortedSet.class.isAssignableFrom(cls)) {
            return new TreeSet<>();
        }
        if (Set.class.isAssignableFrom(cls)) {
            return new LinkedHashSet<>();
        }
        if (Queue.class.isAssignableFrom(cls)) {
            return new LinkedList<>();
        }
        if (Collection.class.isAssignableFrom(cls)) {
            return new ArrayList<>();
        }
        if (SortedMap.class.isAssignableFrom(cls)) {
            return new TreeMap<>();
        }
        if (Map.class.isAssignableFrom(cls)) {
            return new LinkedHashMap<>();
        }
        return null;
    }
}
