package dev.opsctl.checklist;

import dev.opsctl.param.Param;
import dev.opsctl.source.SourcePos;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A loaded checklist: items an operator confirms or a probe checks, in groups evaluated in order,
 * each group no earlier than its {@code after} delay. Without {@code groups:} in the file there is one
 * group named {@code items}. Immutable.
 */
public record Checklist(
        Path file,
        String name,
        String title,
        String description,
        Map<String, String> labels,
        List<Param> params,
        Placement scope,
        List<ItemGroup> groups,
        SourcePos pos) {

    public Checklist {
        labels = Map.copyOf(labels);
        params = List.copyOf(params);
        groups = List.copyOf(groups);
    }

    public Stream<Item> items() {
        return groups.stream().flatMap(g -> g.items().stream());
    }

    public Optional<Item> item(String id) {
        return items().filter(i -> i.id().equals(id)).findFirst();
    }

    public Optional<Param> param(String paramName) {
        return params.stream().filter(p -> p.name().equals(paramName)).findFirst();
    }

    /** The title, or the name when the file gives none. */
    public String displayTitle() {
        return title.isEmpty() ? name : title;
    }
}
