/**
 * The command line: picocli commands, mixins, converters and completion candidates. Commands parse
 * options, call the {@code app} services and hand events to the {@code report} renderers; they hold
 * no logic of their own. The only package (with {@code shell} and {@code report}) that writes to
 * stdout and stderr, and the only one besides {@code shell} that imports picocli.
 */
package dev.opsctl.cli;
