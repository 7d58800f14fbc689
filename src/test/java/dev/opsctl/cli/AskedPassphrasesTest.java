package dev.opsctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opsctl.source.Secret;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class AskedPassphrasesTest {
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final List<String> prompts = new ArrayList<>();

    private AskedPassphrases typing(String... answers) {
        Deque<String> left = new ArrayDeque<>(List.of(answers));
        return new AskedPassphrases(new PrintStream(err, true, StandardCharsets.UTF_8), prompt -> {
            synchronized (prompts) {
                prompts.add(prompt);
            }
            return Optional.of(new Secret(left.isEmpty() ? "?" : left.poll()));
        });
    }

    @Test
    void aWrongPassphraseIsAskedAgainTwiceThenGivenUp() {
        Path key = Path.of("/keys/id_ed25519");
        AskedPassphrases p = typing("one", "two", "three");
        assertEquals("one", p.passphrase(key).orElseThrow().reveal());
        assertEquals("one", p.passphrase(key).orElseThrow().reveal(), "an answer stands until it proves wrong");
        assertTrue(p.retry(key));
        assertEquals("two", p.passphrase(key).orElseThrow().reveal());
        assertTrue(p.retry(key));
        assertEquals("three", p.passphrase(key).orElseThrow().reveal());
        assertFalse(p.retry(key));
        assertEquals(List.of("passphrase for key '/keys/id_ed25519': ", "passphrase for key '/keys/id_ed25519': ",
                "passphrase for key '/keys/id_ed25519': "), prompts);
        String said = err.toString(StandardCharsets.UTF_8);
        assertEquals(2, said.split("try again", -1).length - 1, said);
        assertTrue(said.endsWith("bad passphrase for key '/keys/id_ed25519': giving up on it after 3 tries\n"), said);
        assertFalse(said.contains("one") || said.contains("two") || said.contains("three"), said);
    }

    @Test
    void eachKeyFileHasItsOwnAnswerAndTries() {
        AskedPassphrases p = typing("a", "b");
        assertEquals("a", p.passphrase(Path.of("/k1")).orElseThrow().reveal());
        assertEquals("b", p.passphrase(Path.of("/k2")).orElseThrow().reveal());
        assertTrue(p.retry(Path.of("/k1")));
        assertTrue(p.retry(Path.of("/k2")));
        assertEquals(2, prompts.size());
    }

    @Test
    void hostsConnectingAtOnceShareOnePrompt() throws Exception {
        CountDownLatch typing = new CountDownLatch(1);
        AskedPassphrases p = new AskedPassphrases(new PrintStream(err), prompt -> {
            prompts.add(prompt);
            try {
                typing.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Optional.of(new Secret("s"));
        });
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Optional<Secret>>> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                answers.add(pool.submit(() -> p.passphrase(Path.of("/k"))));
            }
            Thread.sleep(200);
            typing.countDown();
            for (Future<Optional<Secret>> a : answers) {
                assertEquals("s", a.get().orElseThrow().reveal());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, prompts.size());
    }
}
