package dev.opsctl.app;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code checklist run NAME [-i INV] [-l LIMIT] [-e K=V]... [--confirm ID]... [--answers FILE] [--operator NAME]}
 * as values; {@code env} is the process environment (for params with {@code env:}).
 */
public record ChecklistRequest(String name, Optional<Path> inventory, Optional<String> limit, Map<String, String> params,
        List<String> confirms, Optional<Path> answers, String operator, Map<String, String> env) {
    public ChecklistRequest {
        params = Map.copyOf(params);
        confirms = List.copyOf(confirms);
        env = Map.copyOf(env);
    }
}
