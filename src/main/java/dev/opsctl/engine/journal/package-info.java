/**
 * The run's durable memory: the append-only JSONL journal (written and fsync'd before and after
 * every step), its reader that rebuilds a run's state for {@code runs show} and {@code runs resume},
 * run ids and directories (0700/0600), and the lock that keeps two runs off the same hosts.
 */
package dev.opsctl.engine.journal;
