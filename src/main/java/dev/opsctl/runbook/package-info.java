/**
 * Runbooks: the typed model ({@code model}), the loader that turns YAML into it with every node's
 * position and all problems at once ({@code load}). May import {@code source}, {@code template},
 * {@code target} and {@code action} (each step type parses its own node).
 */
package dev.opsctl.runbook;
