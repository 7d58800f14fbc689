package dev.opsctl.target;

import dev.opsctl.source.HostBytes;
import java.nio.charset.StandardCharsets;

/** How a command's output bytes become text. */
public enum OutputText {
    /** Bytes that are not UTF-8 become U+FFFD: text that is journaled, templated and reported. */
    REPLACED {
        @Override
        public String decode(byte[] bytes, int off, int len) {
            return new String(bytes, off, len, StandardCharsets.UTF_8);
        }
    },
    /** Bytes that are not UTF-8 are kept ({@link HostBytes}): output printed as the host wrote it. */
    BYTES_KEPT {
        @Override
        public String decode(byte[] bytes, int off, int len) {
            return HostBytes.decode(bytes, off, len);
        }
    };

    public abstract String decode(byte[] bytes, int off, int len);

    public String decode(byte[] bytes) {
        return decode(bytes, 0, bytes.length);
    }
}
