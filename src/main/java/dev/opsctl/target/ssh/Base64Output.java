package dev.opsctl.target.ssh;

import dev.opsctl.target.OutputListener;
import java.io.ByteArrayOutputStream;
import java.util.Base64;
import java.util.Optional;

/**
 * The bytes of a command's {@code base64} stdout ({@link #command}), decoded line by line as they
 * arrive. As a listener it sees every line, also past {@code ExecResult.MAX_CAPTURE}, so a file read
 * this way is never cut at the capture limit. Only the lines between the command's own markers are
 * content: a login shell's start-up files may print first (bash sources {@code ~/.bashrc} under
 * sshd), and a line such as {@code ok} is valid base64. The end marker carries the file's size,
 * which the decoded bytes must match. Lines are decoded on their own: {@code base64} wraps at 76
 * characters, a multiple of 4, so only the last line carries padding.
 */
final class Base64Output implements OutputListener {
    private static final String BEGIN = "#opsctl-begin";
    private static final String END = "#opsctl-end ";

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private boolean begun;
    private Long expected;
    private String problem;

    /** The command that prints {@code quotedPath} for this listener. */
    static String command(String quotedPath) {
        return "echo '" + BEGIN + "' && base64 < " + quotedPath + " && echo \"" + END + "$(wc -c < " + quotedPath + ")\"";
    }

    @Override
    public synchronized void line(Stream stream, String line) {
        if (stream != Stream.STDOUT || problem != null || expected != null) {
            return;
        }
        if (!begun) {
            begun = line.equals(BEGIN);
            return;
        }
        if (line.startsWith(END)) {
            try {
                expected = Long.parseLong(line.substring(END.length()).strip());
            } catch (NumberFormatException e) {
                problem = "the end line '" + line + "' has no size";
            }
            return;
        }
        try {
            bytes.writeBytes(Base64.getDecoder().decode(line));
        } catch (IllegalArgumentException e) {
            problem = "output line '" + (line.length() > 40 ? line.substring(0, 40) + "..." : line) + "' is not base64";
        }
    }

    /** Why the content is wrong or incomplete, or empty. */
    synchronized Optional<String> problem() {
        if (problem != null) {
            return Optional.of(problem);
        }
        if (expected == null) {
            return Optional.of(begun ? "the output ended before the whole file was read" : "the file's content never started");
        }
        if (expected != bytes.size()) {
            return Optional.of("read " + bytes.size() + " bytes of " + expected + " (the file changed while it was read?)");
        }
        return Optional.empty();
    }

    synchronized byte[] bytes() {
        return bytes.toByteArray();
    }
}
