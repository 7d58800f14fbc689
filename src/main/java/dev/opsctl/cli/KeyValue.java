package dev.opsctl.cli;

/** One {@code -e KEY=VALUE}: a runbook parameter given on the command line. */
record KeyValue(String key, String value) {}
