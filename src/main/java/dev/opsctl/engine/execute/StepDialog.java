package dev.opsctl.engine.execute;

/**
 * How a running step reaches the operator: a yes/no question (a {@code confirm} step) and notices
 * that belong in the run's record. {@link #NONE} is for probes: nobody is asked, nothing is said.
 */
interface StepDialog {
    StepDialog NONE = new StepDialog() {
        @Override
        public boolean confirm(String host, String stepId, String question) {
            return false;
        }

        @Override
        public void notice(String host, String level, String message) {}
    };

    /** True only on a pre-answer ({@code --confirm stepId}) or an operator's explicit yes. */
    boolean confirm(String host, String stepId, String question) throws InterruptedException;

    void notice(String host, String level, String message);
}
