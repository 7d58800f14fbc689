package dev.opsctl.engine.journal;

import dev.opsctl.event.DurableSink;
import dev.opsctl.event.RunEvent;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Appends one JSON object per line to {@code journal.jsonl} and fsyncs it before returning: the
 * engine emits {@code step-started} before a step runs and {@code step-finished} after it, so after
 * a crash (even a power cut) the journal says exactly which steps are done and which one may have
 * been half done. The fsync costs ~0.3-5 ms per record here, twice per step; that is the price of
 * never re-running a finished non-idempotent step. Records that arrive while an fsync runs share
 * the next one (group commit): through the {@link dev.opsctl.event.EventBus}, a host waits for the
 * disk after the bus has let the other hosts' records through, so N hosts emitting at once wait
 * for about two fsyncs, not N. Every string is masked before it is written. Thread-safe.
 * A write failure throws {@link UncheckedIOException}: a step must not run unjournaled.
 * Plain {@link RandomAccessFile} writes, not a FileChannel: host threads are interrupted (Ctrl-C,
 * step timeouts), and an interrupt during a channel write would close the journal for every host.
 */
public final class JournalWriter implements DurableSink, AutoCloseable {
    public static final String FILE = "journal.jsonl";

    /** Forces written records to disk; tests count the calls. */
    @FunctionalInterface
    interface Sync {
        Sync FSYNC = FileDescriptor::sync;

        void force(FileDescriptor fd) throws IOException;
    }

    private final RandomAccessFile file;
    private final UnaryOperator<String> mask;
    private final Sync sync;
    /** Records written, guarded by {@code this}; records on disk, written under {@code syncing}. */
    private long written;
    private volatile long durable;
    /** The first failed write or fsync: after it nothing is known to be on disk, so every later record fails too. */
    private volatile IOException broken;
    private final Object syncing = new Object();
    private Consumer<Map<String, Object>> observer = record -> {};

    private JournalWriter(RandomAccessFile file, UnaryOperator<String> mask, Sync sync) {
        this.file = file;
        this.mask = mask;
        this.sync = sync;
    }

    /** Opens (creating with mode 0600) the run directory's journal for appending; a torn last line is cut off. */
    public static JournalWriter open(Path runDir, UnaryOperator<String> mask) throws IOException {
        return open(runDir, mask, Sync.FSYNC);
    }

    static JournalWriter open(Path runDir, UnaryOperator<String> mask, Sync sync) throws IOException {
        Path path = PrivateFiles.file(runDir.resolve(FILE));
        RandomAccessFile raf = new RandomAccessFile(path.toFile(), "rw");
        try {
            raf.setLength(lastCompleteLine(raf));
            raf.seek(raf.length());
            raf.getFD().sync();
        } catch (IOException e) {
            raf.close();
            throw e;
        }
        return new JournalWriter(raf, mask, sync);
    }

    /** Where the last newline-terminated line ends: a SIGKILL mid-write leaves a fragment after it. */
    private static long lastCompleteLine(RandomAccessFile raf) throws IOException {
        for (long at = raf.length() - 1; at >= 0; at--) {
            raf.seek(at);
            if (raf.read() == '\n') {
                return at + 1;
            }
        }
        return 0;
    }

    /**
     * Hands {@code observer} every record written from now on, in order, once it is in the file:
     * the record as journaled (masked, plain JSON values). Called on the writing thread while it
     * holds the writer, so it must be quick; what it throws is its own business.
     */
    public synchronized void observe(Consumer<Map<String, Object>> observer) {
        this.observer = observer;
    }

    public void started(RunHeader header) {
        awaitDurable(write(record("run-started", header.started(), header.toMap())));
    }

    public void resumed(RunHeader header) {
        awaitDurable(write(record("run-resumed", header.started(), header.toMap())));
    }

    /** Run-started is journaled from the {@link RunHeader} instead, which knows more than the event. */
    @Override
    public long append(RunEvent event) {
        if (event instanceof RunEvent.RunStarted || event instanceof RunEvent.StepOutput) {
            return 0; // live output is for the console; step-finished keeps the (capped) output
        }
        return write(record(event.type(), event.time(), components(event)));
    }

    /**
     * Forces the file unless an fsync that began after record {@code ticket} was written has done
     * so already; one fsync covers every record written before it started.
     */
    @Override
    public void awaitDurable(long ticket) {
        if (durable >= ticket) {
            return; // e.g. live output, which is not journaled: no wait behind a running fsync
        }
        synchronized (syncing) {
            failIfBroken();
            if (durable >= ticket) {
                return;
            }
            long upTo;
            synchronized (this) {
                upTo = written;
            }
            try {
                sync.force(file.getFD());
            } catch (IOException e) {
                // Linux reports a failed writeback to one fsync only: a retry would "succeed" for lost records
                broken = e;
                failIfBroken();
            }
            durable = upTo;
        }
    }

    private void failIfBroken() {
        IOException e = broken;
        if (e != null) {
            throw new UncheckedIOException("cannot write the run journal: " + e.getMessage(), e);
        }
    }

    private static Map<String, Object> components(RunEvent event) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (RecordComponent rc : event.getClass().getRecordComponents()) {
            if (rc.getName().equals("time")) {
                continue;
            }
            try {
                m.put(rc.getName(), rc.getAccessor().invoke(event));
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("cannot read event field " + rc.getName(), e);
            }
        }
        return m;
    }

    private Map<String, Object> record(String type, Instant time, Map<String, Object> fields) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        m.put("time", time.toString());
        m.putAll(JsonValues.plainMap(fields, mask));
        return m;
    }

    /** Appends the record; returns its number, to wait for with {@link #awaitDurable}. */
    private synchronized long write(Map<String, Object> record) {
        failIfBroken();
        byte[] line = (Json.write(record) + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            file.write(line);
        } catch (IOException e) {
            broken = e;
            failIfBroken();
        }
        try {
            observer.accept(Collections.unmodifiableMap(record));
        } catch (RuntimeException e) {
            // an observer's failure is not the journal's: the record is written
        }
        return ++written;
    }

    @Override
    public void close() {
        synchronized (syncing) {
            synchronized (this) {
                closeFile();
            }
        }
    }

    /** Called holding both locks; records written before it are durable afterwards, even for a host still waiting. */
    private void closeFile() {
        try {
            sync.force(file.getFD());
            if (broken == null) {
                durable = written;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the run journal: " + e.getMessage(), e);
        } finally {
            try {
                file.close();
            } catch (IOException e) {
                // every record was already forced to disk
            }
        }
    }
}
