package dev.opsctl.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opsctl.engine.journal.PrivateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Sign-offs of a run by operators (four eyes: {@code gates.approvals: 2}), kept beside its journal in
 * {@code approvals.jsonl} so that {@code opsctl runs approve} from another terminal never writes the
 * journal a running opsctl holds open.
 */
public final class Approvals {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;

    public Approvals(Path runDir) {
        this.file = runDir.resolve("approvals.jsonl");
    }

    /** Records {@code operator}'s approval; one line, appended and forced to disk. */
    public void add(String operator, String note, Instant at) throws IOException {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("operator", operator);
        line.put("at", at.toString());
        line.put("note", note);
        PrivateFiles.file(file);
        Files.writeString(file, JSON.writeValueAsString(line) + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND,
                StandardOpenOption.SYNC);
    }

    /** The distinct operators who approved, in the order they did. */
    public Set<String> operators() {
        Set<String> out = new LinkedHashSet<>();
        if (!Files.exists(file)) {
            return out;
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    try {
                        out.add(JSON.readTree(line).path("operator").asText());
                    } catch (IOException torn) {
                        // a torn last line from a killed 'runs approve' is not an approval
                    }
                }
            }
        } catch (IOException e) {
            return out;
        }
        return out;
    }
}
