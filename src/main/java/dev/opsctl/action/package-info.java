/**
 * The action SPI: a step type parses its own YAML node into a spec and executes it against a
 * {@link dev.opsctl.action.StepContext}. One subpackage per type; {@link ActionRegistry#standard()}
 * lists them all. Actions know nothing of batching, gates or the journal.
 * May import {@code source}, {@code event}, {@code template} and {@code target}.
 */
package dev.opsctl.action;
