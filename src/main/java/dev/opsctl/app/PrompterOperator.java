package dev.opsctl.app;

import dev.opsctl.engine.execute.Operator;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The engine's {@link Operator} over the app's prompter: present only in an interactive session. */
final class PrompterOperator implements Operator {
    private final Prompter prompter;
    private final boolean interactive;

    PrompterOperator(Prompter prompter, boolean interactive) {
        this.prompter = prompter;
        this.interactive = interactive;
    }

    @Override
    public boolean present() {
        return interactive;
    }

    @Override
    public synchronized Optional<String> choose(String question, List<String> choices, Optional<Duration> deadline)
            throws InterruptedException {
        if (!interactive) {
            return Optional.empty();
        }
        return prompter.choose(question, choices, deadline).filter(choices::contains);
    }

    /** Through the prompter's own yes/no question ({@code [y/N]} on a terminal): only an explicit yes counts. */
    @Override
    public synchronized boolean confirm(String question) {
        return interactive && prompter.confirm(question);
    }
}
