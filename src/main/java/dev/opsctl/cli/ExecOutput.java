package dev.opsctl.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opsctl.app.ExecService;
import dev.opsctl.app.HostOutcome;
import dev.opsctl.source.Durations;
import dev.opsctl.source.HostBytes;
import dev.opsctl.source.TerminalText;
import dev.opsctl.target.ExecResult;
import dev.opsctl.target.OutputListener;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code opsctl exec} prints: each host's result grouped under a header line (text) or one
 * object per host (JSON), then a summary; with {@code --stream}, each line as it arrives instead of
 * the captured output. A host's output is data and printed as it came, bytes that are not UTF-8
 * included (they are {@link HostBytes} escapes, which opsctl's writers give back as the bytes);
 * opsctl's own lines show a host's words escaped; JSON, which must be text, has U+FFFD for them.
 */
final class ExecOutput {
    private final PrintWriter out;
    private final boolean asJson;
    private final boolean streamed;
    private final int capture;
    /** Built only for {@code -o json}: databind costs ~40 ms CPU to set up, which text output never needs. */
    private ObjectMapper json;

    /** {@code capture}: the bytes of each stream a host's result kept, for the line that says output was cut. */
    ExecOutput(PrintWriter out, boolean asJson, boolean streamed, int capture) {
        this.out = out;
        this.asJson = asJson;
        this.streamed = streamed;
        this.capture = capture;
    }

    /** The live lines of {@code --stream}; none without it. */
    ExecService.Listener live() {
        if (!streamed) {
            return ExecService.Listener.NONE;
        }
        return new ExecService.Listener() {
            @Override
            public void line(String host, OutputListener.Stream s, String line) {
                printLine(host, s, line);
            }
        };
    }

    private void printLine(String host, OutputListener.Stream s, String line) {
        synchronized (out) {
            if (asJson) {
                Map<String, Object> event = new LinkedHashMap<>();
                event.put("host", host);
                event.put("stream", s == OutputListener.Stream.STDOUT ? "stdout" : "stderr");
                event.put("line", HostBytes.replaced(line));
                out.println(toJson(event));
            } else {
                out.println(host + (s == OutputListener.Stream.STDOUT ? " | " : " ! ") + line);
            }
            out.flush();
        }
    }

    void results(List<HostOutcome> results) {
        for (HostOutcome r : results) {
            if (asJson) {
                out.println(toJson(asObject(r)));
            } else {
                grouped(r);
            }
        }
        long ok = count(results, HostOutcome.Status.OK);
        long failed = count(results, HostOutcome.Status.FAILED);
        long unreachable = count(results, HostOutcome.Status.UNREACHABLE);
        long lost = count(results, HostOutcome.Status.LOST);
        if (asJson) {
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("hosts", results.size());
            summary.put("ok", ok);
            summary.put("failed", failed);
            summary.put("unreachable", unreachable);
            summary.put("lost", lost);
            summary.put("may_still_run", results.stream().filter(HostOutcome::mayStillRun).count());
            out.println(toJson(Map.of("summary", summary)));
        } else {
            out.println();
            // lost only when there is one: it is rare, and the line stays as scripts have read it
            out.println(results.size() + (results.size() == 1 ? " host: " : " hosts: ") + ok + " ok, " + failed + " failed, "
                    + unreachable + " unreachable" + (lost == 0 ? "" : ", " + lost + " lost (the connection broke while the command ran)"));
        }
        out.flush();
    }

    private Map<String, Object> asObject(HostOutcome r) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("host", r.host());
        o.put("status", r.status().name().toLowerCase(Locale.ROOT));
        o.put("exit_code", r.exitCode());
        o.put("elapsed_ms", r.elapsed().toMillis());
        if (!streamed) {
            o.put("stdout", HostBytes.replaced(r.stdout()));
            o.put("stderr", HostBytes.replaced(r.stderr()));
        }
        o.put("message", HostBytes.replaced(r.message()));
        o.put("may_still_run", r.mayStillRun());
        if (!streamed) {
            o.put("truncated", r.truncated());
        }
        return o;
    }

    /**
     * The header, stdout, then stderr under a header of its own ({@code host | stderr >>}), so that
     * what the command wrote on which stream stays told apart on one page.
     */
    private void grouped(HostOutcome r) {
        boolean ran = r.status() == HostOutcome.Status.OK || r.status() == HostOutcome.Status.FAILED;
        String head = r.host() + " | " + r.status() + (ran ? " | rc=" + r.exitCode() : "")
                + " | " + Durations.format(r.elapsed().withNanos(r.elapsed().toMillisPart() * 1_000_000));
        out.println(head + (streamed ? "" : " >>"));
        if (!streamed) {
            out.print(withNewline(r.stdout()));
            if (!r.stderr().isEmpty()) {
                out.println(r.host() + " | stderr >>");
                out.print(withNewline(r.stderr()));
            }
        }
        if (!r.message().isEmpty()) {
            out.println("  " + TerminalText.visible(r.message())); // opsctl's line, with the host's words shown, not sent
        }
        if (r.truncated() && !streamed) {
            String share = capture < ExecResult.MAX_CAPTURE ? ", this many hosts' share of its memory" : "";
            out.println("  (output cut: the command wrote more than the " + size(capture) + " of a stream opsctl keeps per host"
                    + share + "; what is shown is its beginning)");
        }
    }

    /** 16 MiB, 2.5 MiB, 64 KiB. */
    static String size(int bytes) {
        if (bytes < 1 << 20) {
            return (bytes >> 10) + " KiB";
        }
        double mib = bytes / (double) (1 << 20);
        return (mib == Math.rint(mib) ? String.valueOf((long) mib) : String.format(Locale.ROOT, "%.1f", mib)) + " MiB";
    }

    private static long count(List<HostOutcome> results, HostOutcome.Status status) {
        return results.stream().filter(r -> r.status() == status).count();
    }

    private static String withNewline(String s) {
        return s.isEmpty() || s.endsWith("\n") ? s : s + "\n";
    }

    private String toJson(Object o) {
        try {
            if (json == null) {
                json = new ObjectMapper();
            }
            return json.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}
