package dev.opsctl.target.ssh;

import dev.opsctl.target.OutputListener;
import java.io.ByteArrayOutputStream;
import java.util.Base64;
import java.util.Optional;

/**
 * The bytes of a command's {@code base64} stdout, decoded line by line as they arrive. As a
 * listener it sees every line, also past {@code ExecResult.MAX_CAPTURE}, so a file read this way is
 * never cut at the capture limit. Lines are decoded on their own: {@code base64} wraps at 76
 * characters, a multiple of 4, so only the last line carries padding.
 */
final class Base64Output implements OutputListener {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private String badLine;

    @Override
    public synchronized void line(Stream stream, String line) {
        if (stream != Stream.STDOUT || badLine != null) {
            return;
        }
        try {
            bytes.writeBytes(Base64.getDecoder().decode(line));
        } catch (IllegalArgumentException e) {
            badLine = line;
        }
    }

    /** Why the content is wrong (a line that was not base64), or empty. */
    synchronized Optional<String> problem() {
        if (badLine == null) {
            return Optional.empty();
        }
        return Optional.of("output line '" + (badLine.length() > 40 ? badLine.substring(0, 40) + "..." : badLine)
                + "' is not base64");
    }

    synchronized byte[] bytes() {
        return bytes.toByteArray();
    }
}
