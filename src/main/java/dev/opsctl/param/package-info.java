/**
 * Parameters of runbooks and checklists: the {@link dev.opsctl.param.Param} model and the one reader of
 * {@code params:} both loaders use, so both accept the same syntax and report the same problems.
 * May import {@code source} only.
 */
package dev.opsctl.param;
