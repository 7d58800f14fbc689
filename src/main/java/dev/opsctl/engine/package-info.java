/**
 * The engine: plans a loaded runbook into batches ({@code plan}, {@code strategy}), runs it host by
 * host and step by step ({@code execute}), and records every state change ({@code journal}). It uses
 * only the action and target interfaces, never a concrete step type or target system, and it never
 * prints: it emits {@link dev.opsctl.event.RunEvent}s. May import {@code source}, {@code event},
 * {@code template}, {@code target}, {@code action}, {@code runbook} and {@code inventory}.
 */
package dev.opsctl.engine;
