package dev.opsctl.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where {@code checklist run NAME} and gates look for {@code NAME.yaml}, first match wins:
 * {@code ./checklists}, {@code $OPSCTL_HOME/checklists}, then the repo's own {@code checklists/}.
 */
public record ChecklistPath(List<Path> dirs) {
    public ChecklistPath {
        dirs = dirs.stream().map(Path::normalize).distinct().toList();
    }

    /** The standard path for a working directory, an {@code OPSCTL_HOME} (if set) and the repo directory (if known). */
    public static ChecklistPath standard(Path workingDir, Optional<String> opsctlHome, Optional<Path> repoDir) {
        List<Path> dirs = new ArrayList<>();
        dirs.add(workingDir.resolve("checklists"));
        opsctlHome.filter(h -> !h.isEmpty()).ifPresent(h -> dirs.add(Path.of(h, "checklists")));
        repoDir.ifPresent(r -> dirs.add(r.resolve("checklists")));
        return new ChecklistPath(dirs);
    }

    public Optional<Path> find(String name) {
        if (!name.matches("[a-z0-9][a-z0-9-]*")) {
            return Optional.empty();
        }
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

    /** Every checklist by name, sorted; a name found twice is the first directory's. */
    public Map<String, Path> all() {
        Map<String, Path> found = new LinkedHashMap<>();
        for (Path dir : dirs) {
            for (Path p : listYaml(dir)) {
                found.putIfAbsent(p.getFileName().toString().replaceFirst("\\.ya?ml$", ""), p);
            }
        }
        Map<String, Path> sorted = new LinkedHashMap<>();
        found.keySet().stream().sorted().forEach(k -> sorted.put(k, found.get(k)));
        return sorted;
    }

    public String describe() {
        return String.join(", ", dirs.stream().map(Path::toString).toList());
    }

    private static List<Path> listYaml(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().matches(".*\\.ya?ml")).filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
