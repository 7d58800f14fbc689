package dev.opsctl.cli;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where {@code rollout NAME} and {@code runbooks} look for {@code NAME.yaml}, first match wins:
 * {@code ./runbooks}, {@code $OPSCTL_HOME/runbooks}, and the {@code runbooks/} shipped in the repo
 * the jar was built in ({@code <jar>/../../runbooks}).
 */
record RunbookPath(List<Path> dirs) {
    RunbookPath {
        dirs = List.copyOf(dirs);
    }

    static RunbookPath of(CliEnv env) {
        List<Path> dirs = new ArrayList<>();
        dirs.add(env.workingDir().resolve("runbooks"));
        env.var("OPSCTL_HOME").ifPresent(home -> dirs.add(Path.of(home, "runbooks")));
        shipped().ifPresent(dirs::add);
        return new RunbookPath(dirs.stream().map(Path::normalize).distinct().toList());
    }

    /** The repo's own {@code runbooks/}: next to {@code target/} holding the jar or the classes. */
    static Optional<Path> shipped() {
        try {
            var source = RunbookPath.class.getProtectionDomain().getCodeSource();
            if (source == null) {
                return Optional.empty();
            }
            Path code = Path.of(source.getLocation().toURI()).toAbsolutePath();
            Path parent = code.getParent() == null ? null : code.getParent().getParent();
            return Optional.ofNullable(parent).map(p -> p.resolve("runbooks").normalize());
        } catch (URISyntaxException | IllegalArgumentException | SecurityException e) {
            return Optional.empty();
        }
    }

    Optional<Path> find(String name) {
        for (Path dir : dirs) {
            for (String ext : List.of(".yaml", ".yml")) {
                Path p = dir.resolve(name + ext);
                if (Files.isRegularFile(p)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }

    /** Every runbook by name, in name order; a name found twice is the first directory's. */
    Map<String, Path> all() {
        Map<String, Path> found = new LinkedHashMap<>();
        for (Path dir : dirs) {
            listYaml(dir).forEach(p -> found.putIfAbsent(nameOf(p), p));
        }
        Map<String, Path> sorted = new LinkedHashMap<>();
        found.keySet().stream().sorted().forEach(k -> sorted.put(k, found.get(k)));
        return sorted;
    }

    static List<Path> listYaml(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(RunbookPath::isYaml).filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    static boolean isYaml(Path p) {
        String n = p.getFileName().toString();
        return n.endsWith(".yaml") || n.endsWith(".yml");
    }

    static String nameOf(Path p) {
        return p.getFileName().toString().replaceFirst("\\.ya?ml$", "");
    }

    String describe() {
        return String.join(", ", dirs.stream().map(Path::toString).toList());
    }
}
