package dev.opsctl.checklist;

import dev.opsctl.source.SourcePos;
import java.time.Duration;
import java.util.List;

/** Items evaluated together, starting no earlier than {@code after} from the start of the checklist run. */
public record ItemGroup(String name, Duration after, List<Item> items, SourcePos pos) {
    public ItemGroup {
        items = List.copyOf(items);
    }
}
