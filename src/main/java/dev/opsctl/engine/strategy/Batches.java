package dev.opsctl.engine.strategy;

import dev.opsctl.runbook.model.BatchSize;
import java.util.ArrayList;
import java.util.List;

/** Splits hosts into batches by {@code serial}: entries are consumed in order and the last one repeats. */
public final class Batches {
    private Batches() {}

    public static <T> List<List<T>> split(List<T> hosts, List<BatchSize> serial) {
        List<BatchSize> sizes = serial.isEmpty() ? List.of(new BatchSize(100, true)) : serial;
        List<List<T>> out = new ArrayList<>();
        int at = 0;
        int entry = 0;
        while (at < hosts.size()) {
            BatchSize size = sizes.get(Math.min(entry, sizes.size() - 1));
            int n = Math.min(size.hostsOf(hosts.size()), hosts.size() - at);
            out.add(List.copyOf(hosts.subList(at, at + n)));
            at += n;
            entry++;
        }
        return out;
    }
}
