package dev.opsctl.target.ssh;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class Utf8Test {
    @Test
    void aCutNeverSplitsACharacter() {
        byte[] b = "aé日\uD83D\uDE00".getBytes(UTF_8); // 1 + 2 + 3 + 4 bytes
        assertEquals(10, b.length);
        assertEquals(10, Utf8.boundaryBefore(b, 10), "ends after a whole character");
        for (int end = 7; end <= 9; end++) {
            assertEquals(6, Utf8.boundaryBefore(b, end), "inside the emoji: before it");
        }
        assertEquals(6, Utf8.boundaryBefore(b, 6));
        assertEquals(3, Utf8.boundaryBefore(b, 4), "inside 日");
        assertEquals(3, Utf8.boundaryBefore(b, 5));
        assertEquals(1, Utf8.boundaryBefore(b, 2), "inside é");
        assertEquals(1, Utf8.boundaryBefore(b, 1));
    }

    @Test
    void bytesThatAreNotUtf8AreCutWhereAsked() {
        byte[] b = {'a', (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80};
        assertEquals(6, Utf8.boundaryBefore(b, 6));
    }
}
