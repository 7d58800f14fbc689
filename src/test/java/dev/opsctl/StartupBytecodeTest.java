package dev.opsctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * opsctl's classes are compiled with {@code -XDstringConcat=inline} (pom.xml): string concatenation
 * as StringBuilder code, because every invokedynamic concatenation site is linked the first time it
 * runs, which a short-lived CLI pays on every start (bench/README.md). javac accepts any {@code -XD}
 * key silently, so a typo or a dropped flag would only show as a slower start: this test notices.
 */
class StartupBytecodeTest {
    @Test
    void noClassLinksStringConcatenationAtRunTime() throws IOException {
        Path classes = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        byte[] marker = "makeConcatWithConstants".getBytes(StandardCharsets.US_ASCII);
        List<Path> all;
        try (Stream<Path> s = Files.walk(classes)) {
            all = s.filter(p -> p.toString().endsWith(".class")).toList();
        }
        assertTrue(all.size() > 500, "the main classes, not something else: " + classes);
        List<String> offenders = all.stream().filter(p -> contains(read(p), marker)).map(p -> classes.relativize(p).toString()).toList();
        assertEquals(0, offenders.size(), offenders.size() + " classes link string concatenation at run time (is -XDstringConcat=inline"
                + " still in pom.xml?), e.g. " + offenders.subList(0, Math.min(5, offenders.size())));
    }

    private static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
