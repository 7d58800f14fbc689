/**
 * Where things come from: {@link dev.opsctl.source.SourcePos}, problems collected compiler-style,
 * and the positioned YAML tree every loader reads. A leaf package: it imports nothing of opsctl.
 * It is the one place that parses YAML text, so every loader reports positions the same way.
 */
package dev.opsctl.source;
