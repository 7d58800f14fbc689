package dev.opsctl.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class OneLineTest {
    @Test
    void linesBecomeOneAndTheRestIsCut() {
        assertEquals("set -e cp a b", OneLine.of("  set -e\n  cp a b\r\n", 80));
        assertEquals("abcd…", OneLine.of("abcdefgh", 5));
        assertEquals("abcde", OneLine.of("abcde", 5));
        assertEquals("", OneLine.of(null, 5));
    }

    @Test
    void aCutNeverSplitsACharacterOutsideTheBasicPlane() {
        String s = "ab\uD83D\uDE00cdef"; // U+1F600 at index 2-3
        assertEquals("ab…", OneLine.of(s, 4));
        assertEquals("ab\uD83D\uDE00…", OneLine.of(s, 5));
    }
}
