/**
 * {@code {{ var }}} rendering with shell quoting by default, {@code raw(x)} to opt out, condition
 * expressions for {@code when}/{@code until}/triggers, and masking of secrets in anything shown.
 * Entry points: {@link dev.opsctl.template.Template}, {@link dev.opsctl.template.Condition}, {@link
 * dev.opsctl.template.Masker}, {@link dev.opsctl.template.MapScope}. May import {@code source} only
 * (and jackson-databind, to write map values as JSON).
 */
package dev.opsctl.template;
