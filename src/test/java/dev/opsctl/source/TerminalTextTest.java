package dev.opsctl.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class TerminalTextTest {
    @Test
    void controlAndFormatCharactersAreShownNotSent() {
        assertEquals("\\x1b]0;owned\\x07 \\x1b[2J\\x0d", TerminalText.visible("\u001b]0;owned\u0007 \u001b[2J\r"), "title, clear screen, CR");
        assertEquals("\\x9b31m \\u202egnp.exe \\u200b", TerminalText.visible("\u009b31m \u202Egnp.exe \u200B"), "C1 CSI, bidi override, zero width");
        assertEquals("a\\x0ab", TerminalText.visible("a\nb"), "a line stays one line");
    }

    @Test
    void ordinaryTextTabsAndOtherScriptsPassAsTheyAre() {
        String s = "Job for docker.service failed\t(ジョブ失敗) 🚀 ü";
        assertSame(s, TerminalText.visible(s));
    }

    @Test
    void bytesThatWereNotUtf8ShowAsTheBytes() {
        String decoded = HostBytes.decode(new byte[] {'a', (byte) 0xff, (byte) 0xc3, 'b', (byte) 0xf0, (byte) 0x9f, (byte) 0x9a, (byte) 0x80});
        assertEquals("a\\xff\\xc3b\uD83D\uDE80", TerminalText.visible(decoded), "a broken pair and a lone lead byte, then an emoji");
    }
}
