/**
 * YAML runbooks into the typed {@link dev.opsctl.runbook.model.Runbook}: every problem collected with
 * its file:line:col (unknown keys with a did-you-mean, wrong types, unknown steps, checklists, params
 * and template variables), includes expanded in place, and a digest over every file read.
 * Entry point: {@link dev.opsctl.runbook.load.RunbookLoader}.
 */
package dev.opsctl.runbook.load;
