package dev.opsctl.template;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ShellQuoteTest {
    @Test
    void leavesSafeWordsBare() {
        assertEquals("abc", ShellQuote.quote("abc"));
        assertEquals("/etc/docker/daemon.json", ShellQuote.quote("/etc/docker/daemon.json"));
        assertEquals("user@host:8080,a=b+c%d_e-f", ShellQuote.quote("user@host:8080,a=b+c%d_e-f"));
    }

    @Test
    void quotesEmptyStringAsTwoQuotes() {
        assertEquals("''", ShellQuote.quote(""));
    }

    @Test
    void singleQuotesAnythingElse() {
        assertEquals("'a b'", ShellQuote.quote("a b"));
        assertEquals("'$HOME'", ShellQuote.quote("$HOME"));
        assertEquals("'~'", ShellQuote.quote("~"));
        assertEquals("'*'", ShellQuote.quote("*"));
        assertEquals("'héllo'", ShellQuote.quote("héllo"));
    }

    @Test
    void escapesEmbeddedSingleQuotes() {
        assertEquals("'it'\\''s'", ShellQuote.quote("it's"));
        assertEquals("''\\'''", ShellQuote.quote("'"));
    }

    @Test
    void quotedRandomStringsReachTheShellUnchanged() throws Exception {
        Random random = new Random(20261122);
        String alphabet = "ab Z09'\"\\$`!*?;&|<>(){}[]#~=%\n\t\r -_./:,@^é€😀\u00a0";
        List<String> values = new ArrayList<>();
        values.add("");
        values.add("'");
        values.add("''");
        values.add("\n");
        values.add("-n");
        for (int i = 0; i < 1000; i++) {
            StringBuilder sb = new StringBuilder();
            int length = random.nextInt(24);
            for (int j = 0; j < length; j++) {
                int cp = random.nextInt(8) == 0
                        ? 1 + random.nextInt(0x2FF) // any low code point except NUL, control chars included
                        : alphabet.codePointAt(alphabet.offsetByCodePoints(0, random.nextInt(alphabet.codePointCount(0, alphabet.length()))));
                sb.appendCodePoint(cp);
            }
            values.add(sb.toString());
        }
        // one sh for all: each value printed, then a NUL as separator (a value never holds NUL)
        StringBuilder script = new StringBuilder();
        for (String v : values) {
            script.append("printf '%s\\0' ").append(ShellQuote.quote(v)).append('\n');
        }
        List<String> printed = split(runSh(script.toString()));
        assertEquals(values.size(), printed.size());
        for (int i = 0; i < values.size(); i++) {
            assertEquals(values.get(i), printed.get(i), "value " + i + " quoted as " + ShellQuote.quote(values.get(i)));
        }
    }

    static String runSh(String script) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("/bin/sh", "-c", script).redirectErrorStream(true).start();
        p.getOutputStream().close();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = p.getInputStream()) {
            in.transferTo(out);
        }
        assertEquals(0, p.waitFor(), () -> "sh failed: " + out.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    private static List<String> split(String s) {
        List<String> out = new ArrayList<>();
        int from = 0;
        for (int i = s.indexOf('\0'); i >= 0; i = s.indexOf('\0', from)) {
            out.add(s.substring(from, i));
            from = i + 1;
        }
        return out;
    }
}
