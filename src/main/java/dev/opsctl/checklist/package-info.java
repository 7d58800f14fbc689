/**
 * Checklists: the model ({@link dev.opsctl.checklist.Checklist}), the loader ({@code load}) and the
 * runner ({@code run}) that checks probe items through a {@link dev.opsctl.checklist.run.ProbeRunner}
 * and asks an operator about manual ones through a {@link dev.opsctl.checklist.run.ChecklistPrompter}.
 * May import {@code source}, {@code event}, {@code template}, {@code target} and {@code action}.
 */
package dev.opsctl.checklist;
