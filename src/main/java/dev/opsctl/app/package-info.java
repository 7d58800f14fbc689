/**
 * Use cases shared by the command line and the shell: run, plan, runs list/show/resume. The
 * composition root: it wires loaders, targets, the journal and the engine. Never prints; results
 * go back as values and events. May import every layer below it.
 */
package dev.opsctl.app;
