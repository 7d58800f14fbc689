package dev.opsctl.target.ssh;

import dev.opsctl.source.Secret;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Answers passphrase prompts as an operator would: {@code answers} in turn, each after {@code
 * delay}, an empty one meaning "pressed Enter"; tries again while answers are left.
 */
record TypingOperator(Deque<String> answers, Duration delay, AtomicInteger asked) implements PasswordSupplier {
    TypingOperator(Duration delay, String... answers) {
        this(new ArrayDeque<>(List.of(answers)), delay, new AtomicInteger());
    }

    @Override
    public synchronized Optional<Secret> passphrase(Path keyFile) {
        asked.incrementAndGet();
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String a = answers.isEmpty() ? "" : answers.peek();
        return a.isEmpty() ? Optional.empty() : Optional.of(new Secret(a));
    }

    @Override
    public synchronized boolean retry(Path keyFile) {
        answers.poll();
        return !answers.isEmpty();
    }
}
