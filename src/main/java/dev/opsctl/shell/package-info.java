/**
 * The incident shell ({@code opsctl shell}) and the interactive prompts: JLine's line reader,
 * completion from the picocli model, history, Ctrl-C handling. It runs the command tree that
 * {@code cli} hands it (a {@link dev.opsctl.shell.CommandTree}) and never imports {@code cli}. The only
 * package that uses JLine; may import {@code app} and every layer below it.
 */
package dev.opsctl.shell;
