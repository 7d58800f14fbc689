/**
 * {@code {{ var }}} rendering with shell quoting by default, {@code raw(x)} to opt out, condition
 * expressions for {@code when}/{@code until}/triggers, and masking of secrets in anything shown.
 * May import {@code source} only.
 */
package dev.opsctl.template;
