package dev.opsctl.app;

/**
 * Asks the operator a yes/no question (the CLI and shell implement it with JLine). Non-interactive
 * runs use {@link #NON_INTERACTIVE}, which answers no: anything that needs a human fails closed.
 */
@FunctionalInterface
public interface Prompter {
    Prompter NON_INTERACTIVE = question -> false;

    /** True only on an explicit yes. May block; must honour interruption by answering no. */
    boolean confirm(String question);
}
