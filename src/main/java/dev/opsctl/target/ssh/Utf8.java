package dev.opsctl.target.ssh;

/** Where UTF-8 text may be cut without splitting a character. */
final class Utf8 {
    private Utf8() {}

    /**
     * The largest index at most {@code end} at which {@code bytes} may be cut: before a character
     * whose bytes would not all be before {@code end}. Bytes that are not UTF-8 are cut anywhere.
     */
    static int boundaryBefore(byte[] bytes, int end) {
        // a character is at most 4 bytes: look back over at most 3 continuation bytes for its lead byte
        for (int i = end - 1; i >= 0 && i >= end - 4; i--) {
            int b = bytes[i] & 0xff;
            if (b < 0x80) {
                return end; // ASCII ends a character
            }
            if (b >= 0xc0) {
                int length = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
                return i + length > end ? i : end;
            }
        }
        return end;
    }
}
