package dev.opsctl.runbook.load;

import dev.opsctl.runbook.model.BatchSize;
import dev.opsctl.runbook.model.Strategy;
import dev.opsctl.source.MapReader;
import dev.opsctl.source.Node;
import dev.opsctl.source.ScalarNode;
import dev.opsctl.source.SeqNode;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code strategy:}: batch sizes, failure limits and the maintenance window. */
final class StrategyReader {
    private static final Pattern WINDOW = Pattern.compile("(\\d\\d):(\\d\\d)-(\\d\\d):(\\d\\d) (\\S+)");
    private static final Pattern PERCENT = Pattern.compile("(\\d{1,9})%");
    private final LoadContext lc;

    StrategyReader(LoadContext lc) {
        this.lc = lc;
    }

    Strategy read(Node node) {
        Optional<MapReader> reader = MapReader.of(node, "'strategy'", lc.problems);
        if (reader.isEmpty()) {
            return Strategy.DEFAULT;
        }
        MapReader r = reader.get();
        List<BatchSize> serial = r.node("serial").map(this::serial).orElse(Strategy.DEFAULT.serial());
        int maxFailures = r.integer("max_failures").orElse(0);
        if (maxFailures < 0) {
            lc.problems.error(r.node("max_failures").orElseThrow().pos(), "'max_failures' must be 0 or more, not " + maxFailures);
        }
        boolean continueOnFailure = r.bool("continue_on_failure").orElse(false);
        Optional<String> window = r.node("window").flatMap(this::window);
        Optional<Integer> maxOutOfService = r.integer("max_out_of_service");
        maxOutOfService.filter(n -> n < 1).ifPresent(n ->
                lc.problems.error(r.node("max_out_of_service").orElseThrow().pos(), "'max_out_of_service' must be at least 1, not " + n));
        Duration buffer = r.duration("buffer_per_host").orElse(Duration.ZERO);
        r.finish();
        return new Strategy(serial.isEmpty() ? Strategy.DEFAULT.serial() : serial, Math.max(0, maxFailures), continueOnFailure, window,
                maxOutOfService, buffer, r.pos());
    }

    private List<BatchSize> serial(Node node) {
        List<BatchSize> out = new ArrayList<>();
        if (node instanceof SeqNode seq) {
            if (seq.items().isEmpty()) {
                lc.problems.error(seq.pos(), "'serial' needs at least one batch size", "write serial: 1, serial: \"25%\" or serial: [1, \"50%\"]");
            }
            seq.items().forEach(i -> batch(i).ifPresent(out::add));
        } else {
            batch(node).ifPresent(out::add);
        }
        return out;
    }

    private Optional<BatchSize> batch(Node node) {
        String hint = "write a host count like 2 or a percentage like \"25%\"";
        if (node instanceof ScalarNode s && s.kind() == ScalarNode.Kind.INT) {
            Optional<Integer> n = number(s.text());
            if (n.isEmpty() || n.get() < 1) {
                lc.problems.error(s.pos(), "'serial' must be at least 1 host, not " + s.text(), hint);
                return Optional.empty();
            }
            return Optional.of(new BatchSize(n.get(), false));
        }
        if (node instanceof ScalarNode s && s.kind() == ScalarNode.Kind.STRING) {
            Matcher m = PERCENT.matcher(s.text().strip());
            if (m.matches()) {
                int p = Integer.parseInt(m.group(1));
                if (p < 1 || p > 100) {
                    lc.problems.error(s.pos(), "'serial' percentage must be between 1% and 100%, not '" + s.text() + "'");
                    return Optional.empty();
                }
                return Optional.of(new BatchSize(p, true));
            }
            lc.problems.error(s.pos(), "'serial' must be a host count or a percentage, not '" + s.text() + "'", hint);
            return Optional.empty();
        }
        lc.problems.error(node.pos(), "'serial' must be a host count or a percentage, not " + node.describe(), hint);
        return Optional.empty();
    }

    private static Optional<Integer> number(String text) {
        try {
            return Optional.of(Integer.parseInt(text));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** "HH:MM-HH:MM Zone/Id", both times valid and different, the zone known to the JVM. */
    private Optional<String> window(Node node) {
        String hint = "write it like \"02:00-05:00 Asia/Tokyo\"";
        if (!(node instanceof ScalarNode s) || s.kind() != ScalarNode.Kind.STRING) {
            lc.problems.error(node.pos(), "'window' must be a string like \"02:00-05:00 Asia/Tokyo\", not " + node.describe());
            return Optional.empty();
        }
        Matcher m = WINDOW.matcher(s.text());
        if (!m.matches()) {
            lc.problems.error(s.pos(), "'window' must be 'HH:MM-HH:MM Zone', not '" + s.text() + "'", hint);
            return Optional.empty();
        }
        int fromH = Integer.parseInt(m.group(1));
        int fromM = Integer.parseInt(m.group(2));
        int toH = Integer.parseInt(m.group(3));
        int toM = Integer.parseInt(m.group(4));
        if (fromH > 23 || toH > 23 || fromM > 59 || toM > 59) {
            lc.problems.error(s.pos(), "'window' has a time that does not exist: '" + s.text() + "'", "times run from 00:00 to 23:59");
            return Optional.empty();
        }
        if (fromH == toH && fromM == toM) {
            lc.problems.error(s.pos(), "'window' starts and ends at the same time: '" + s.text() + "'", hint);
            return Optional.empty();
        }
        String zone = m.group(5);
        try {
            ZoneId.of(zone);
        } catch (DateTimeException e) {
            lc.problems.error(lc.lines.at(s.pos(), s.text(), m.start(5)), "unknown time zone '" + zone + "' in 'window'",
                    VarScope.hint(zone, ZoneId.getAvailableZoneIds(), "use a zone id like 'UTC' or 'Europe/Berlin'"));
            return Optional.empty();
        }
        return Optional.of(s.text());
    }
}
