package dev.opsctl.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;

/** The hand-written journals under {@code src/test/resources/journals/}. */
public final class Journals {
    public static final String OK = "ok-run.jsonl";
    public static final String FAILED = "failed-run.jsonl";
    /** userns-remap on three hosts: docker2 rolled back after /health 500, docker3 not started; gates answered. */
    public static final String ROLLED_BACK = "rolled-back.jsonl";

    private Journals() {}

    public static Path path(String name) {
        try {
            return Path.of(Journals.class.getResource("/journals/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static RunReport report(String name) {
        try {
            return JournalReport.read(path(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
