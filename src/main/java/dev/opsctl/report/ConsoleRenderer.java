package dev.opsctl.report;

import dev.opsctl.event.EventSink;
import dev.opsctl.event.RunEvent;
import dev.opsctl.source.TerminalText;
import java.io.PrintStream;
import java.time.Clock;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The human view of a run. Progress and failures go to stderr as timestamped lines
 * ({@code [12:01:03] host web1: step 'restart-docker' ok (1.2s)}); on a live terminal a board of
 * the current batch is redrawn under them at most four times a second. The final summary goes to
 * stdout. Thread-safe: events and redraws are serialised on this object.
 */
public final class ConsoleRenderer implements EventSink, AutoCloseable {
    private static final DateTimeFormatter HMS = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final long REDRAW_MS = 250;

    private final PrintStream out;
    private final PrintStream err;
    private final Ansi ansi;
    private final Clock clock;
    private final Optional<LiveBoard> board;
    private final Map<String, String> summaries = new HashMap<>();
    private final Map<String, String> lastStderr = new HashMap<>();
    /** Hosts between rollback-started and rollback-finished: their steps are rollback steps. */
    private final java.util.Set<String> rollingBack = new java.util.HashSet<>();
    private ScheduledExecutorService ticker;

    public ConsoleRenderer(PrintStream out, PrintStream err, ConsoleMode mode) {
        this(out, err, mode, Clock.systemDefaultZone());
    }

    public ConsoleRenderer(PrintStream out, PrintStream err, ConsoleMode mode, Clock clock) {
        this.out = out;
        this.err = err;
        this.ansi = new Ansi(mode.color());
        this.clock = clock;
        this.board = mode.live() ? Optional.of(new LiveBoard(ansi, mode.width())) : Optional.empty();
    }

    @Override
    public synchronized void accept(RunEvent e) {
        board.ifPresent(b -> b.accept(e));
        if (e instanceof RunEvent.RunStarted s) {
            line(s, "run " + s.runId() + (s.resumed() ? " resumed" : " started") + ": runbook '" + s.runbook() + "' on "
                    + s.hosts().size() + (s.hosts().size() == 1 ? " host" : " hosts") + " as " + s.operator());
            startTicker();
        } else if (e instanceof RunEvent.BatchStarted b) {
            line(b, ansi.bold("batch " + b.batch() + "/" + b.batches()) + ": " + String.join(", ", b.hosts()));
        } else if (e instanceof RunEvent.StepStarted s) {
            summaries.put(key(s.host(), s.step()), s.summary() == null ? "" : s.summary());
            lastStderr.remove(key(s.host(), s.step()));
            if (s.attempt() > 1) {
                line(s, "host " + s.host() + ": step '" + s.step() + "' attempt " + s.attempt());
            }
        } else if (e instanceof RunEvent.StepOutput o) {
            if ("stderr".equals(o.stream()) && o.line() != null && !o.line().isBlank()) {
                lastStderr.put(key(o.host(), o.step()), o.line().strip());
            }
        } else if (e instanceof RunEvent.StepFinished f) {
            stepFinished(f);
        } else if (e instanceof RunEvent.HostFinished h) {
            line(h, "host " + h.host() + ": " + ansi.status(h.status()) + suffix(h.message()));
        } else if (e instanceof RunEvent.GateEvaluated g) {
            line(g, (g.host() == null || g.host().isEmpty() ? "" : "host " + g.host() + ": ") + "gate '" + g.checklist()
                    + "' (" + g.phase() + ") " + ansi.status(g.passed() ? "passed" : "not passed"));
        } else if (e instanceof RunEvent.TriggerFired t) {
            line(t, "host " + t.host() + ": " + ansi.red("trigger '" + t.trigger() + "' fired") + suffix(t.evidence())
                    + " -> " + t.action());
        } else if (e instanceof RunEvent.RollbackStarted r) {
            rollingBack.add(r.host());
            line(r, "host " + r.host() + ": rolling back" + suffix(r.reason()));
        } else if (e instanceof RunEvent.RollbackFinished r) {
            rollingBack.remove(r.host());
            line(r, "host " + r.host() + ": rollback " + (r.succeeded() ? ansi.green("succeeded") : ansi.red("failed"))
                    + suffix(r.message()));
        } else if (e instanceof RunEvent.Notice n) {
            String who = n.host() == null || n.host().isEmpty() ? "" : "host " + n.host() + ": ";
            String level = "warning".equals(n.level()) ? ansi.yellow("warning") : "error".equals(n.level()) ? ansi.red("error") : "note";
            line(n, who + level + ": " + TerminalText.visible(n.message()));
        } else if (e instanceof RunEvent.RunFinished f) {
            stopTicker();
            board.ifPresent(b -> err.print(b.clear()));
            err.flush();
            RunSummary.lines(f, ansi).forEach(out::println);
            out.flush();
        }
    }

    private void stepFinished(RunEvent.StepFinished f) {
        String k = key(f.host(), f.step());
        boolean bad = switch (f.outcome()) {
            case "failed", "timed_out", "unreachable", "connection_lost" -> true;
            default -> false;
        };
        if (bad && !f.ignored()) {
            print(FailureBlock.lines(f, summaries.getOrDefault(k, ""), Optional.ofNullable(lastStderr.get(k)),
                    rollingBack.contains(f.host()))
                    .stream().map(l -> l.startsWith("host ") ? ansi.red(l) : l).toList());
        } else {
            line(f, "host " + f.host() + ": step '" + f.step() + "' " + ansi.status(f.outcome())
                    + (f.ignored() ? " (ignored)" : "") + " (" + Elapsed.format(f.elapsedMs()) + ")");
        }
        summaries.remove(k);
        lastStderr.remove(k);
    }

    private void line(RunEvent e, String text) {
        print(java.util.List.of(ansi.dim("[" + HMS.format(e.time().atZone(zone())) + "]") + " " + text));
    }

    private void print(java.util.List<String> lines) {
        board.ifPresent(b -> err.print(b.clear()));
        lines.forEach(err::println);
        board.ifPresent(b -> err.print(b.redraw(clock.instant())));
        err.flush();
    }

    private ZoneId zone() {
        return clock.getZone();
    }

    /** Redraws the live board now; the ticker calls this four times a second. */
    synchronized void tick() {
        board.ifPresent(b -> {
            err.print(b.redraw(clock.instant()));
            err.flush();
        });
    }

    private void startTicker() {
        if (board.isPresent() && ticker == null) {
            ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "opsctl-console");
                t.setDaemon(true);
                return t;
            });
            ticker.scheduleAtFixedRate(this::tick, REDRAW_MS, REDRAW_MS, TimeUnit.MILLISECONDS);
        }
    }

    private void stopTicker() {
        if (ticker != null) {
            ticker.shutdownNow();
            ticker = null;
        }
    }

    @Override
    public synchronized void close() {
        stopTicker();
        board.ifPresent(b -> err.print(b.clear()));
        err.flush();
    }

    private static String key(String host, String step) {
        return host + "\u0000" + step;
    }

    /** A message, evidence or reason, which may quote a host. */
    private static String suffix(String s) {
        return s == null || s.isBlank() ? "" : ": " + TerminalText.visible(s.strip());
    }
}
