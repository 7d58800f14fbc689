package dev.opsctl.target.ssh;

/**
 * A publickey method that may end its first attempt when the server accepts its key, to sign in a
 * second attempt on the connecting thread, where no authentication timer runs and the transport's
 * reader is not held up: a passphrase to ask for ({@link KeyFileAuth}), an agent that may wait for
 * its user's confirmation ({@link AgentAuthMethod}).
 */
interface SignsOnSecondAttempt {
    /**
     * On the connecting thread, after the method's attempt failed: whether the server had accepted
     * the key and the method will now sign, so that a second attempt may log in.
     */
    boolean readyForSecondAttempt();
}
