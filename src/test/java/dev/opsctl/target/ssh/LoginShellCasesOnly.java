package dev.opsctl.target.ssh;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * For a POSIX login shell (zsh, dash, mksh, ksh93, busybox ash): only the cases {@link LoginShellTargetContract}
 * adds run, the ones that cross the login shell (quoting, scripts of many lines, input after the environment,
 * timeouts, with every sudo). The rest of the target contract runs in opsctl's own /bin/sh once the command
 * line reached it, whatever the login shell; bash, tcsh and fish logins still run all of it. Keeps the suite
 * inside its time budget (eight login shells ran the whole contract: ~5.5 minutes).
 */
final class LoginShellCasesOnly implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (context.getTestMethod().isEmpty()) {
            return ConditionEvaluationResult.enabled("the class");
        }
        Class<?> declared = context.getTestMethod().get().getDeclaringClass();
        return LoginShellTargetContract.class.isAssignableFrom(declared)
                ? ConditionEvaluationResult.enabled("crosses the login shell")
                : ConditionEvaluationResult.disabled("runs in /bin/sh whatever the login shell (see LoginShellCasesOnly)");
    }
}
