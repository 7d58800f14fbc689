package dev.opsctl.target.ssh;

import java.io.IOException;
import java.util.List;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.Message;
import net.schmizz.sshj.common.SSHPacket;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.method.AbstractAuthMethod;

/**
 * Public-key authentication with a key held by ssh-agent: the request is signed by the agent, so
 * the private key never enters this process. The key is offered unsigned first and the agent asked
 * to sign only once the server said it accepts it (SSH_MSG_USERAUTH_PK_OK), as ssh does: a key
 * added with {@code ssh-add -c} asks its user to confirm each signature, and a FIDO key (sk-*)
 * wants a touch, so signing for keys the server refuses would ask for each. The signature is asked
 * for on the connecting thread, in a second attempt ({@link SignsOnSecondAttempt}), as a
 * confirmation may take longer than the authentication timeout. RSA keys and certificates sign with
 * rsa-sha2-512: OpenSSH 8.8+ rejects SHA-1 "ssh-rsa" signatures.
 */
final class AgentAuthMethod extends AbstractAuthMethod implements TriedKey, SignsOnSecondAttempt {
    private final AgentClient agent;
    private final AgentClient.Identity identity;
    private final List<String> tried;
    private final int entry;
    // set on the transport's reader thread, read on the connecting thread
    private volatile boolean accepted;

    /** The method for the agent's key {@code identity}; its entry is added to {@code tried}. */
    AgentAuthMethod(AgentClient agent, AgentClient.Identity identity, List<String> tried) {
        super("publickey");
        this.agent = agent;
        this.identity = identity;
        this.tried = tried;
        this.entry = tried.size();
        tried.add(label());
    }

    @Override
    public int entry() {
        return entry;
    }

    static boolean offered(AgentClient.Identity identity) {
        return OfferedKeyTypes.offered(identity.type());
    }

    /**
     * For messages: the key's type, fingerprint and comment (usually the file it was loaded from). A
     * certificate is named as one, with the fingerprint of the key it certifies, as ssh-add -l shows it.
     */
    String label() {
        return label(identity);
    }

    static String label(AgentClient.Identity identity) {
        String comment = identity.comment().isBlank() ? "" : " (" + identity.comment() + ")";
        if (UserCertificate.isCertificate(identity.type())) {
            return "agent certificate " + KnownHostsVerifier.typeLabel(identity.type()) + " "
                    + KnownHostsVerifier.fingerprint(UserCertificate.certifiedKey(identity.blob())) + comment;
        }
        return "agent key " + KnownHostsVerifier.describe(identity.type(), identity.blob()) + comment;
    }

    @Override
    public boolean readyForSecondAttempt() {
        return accepted;
    }

    @Override
    public void handle(Message cmd, SSHPacket buf) throws UserAuthException, TransportException {
        if (cmd == Message.USERAUTH_60) { // SSH_MSG_USERAUTH_PK_OK
            accepted = true;
            throw new UserAuthException("the server accepts " + label() + "; the agent signs in a second attempt");
        }
        super.handle(cmd, buf);
    }

    @Override
    protected SSHPacket buildReq() throws UserAuthException {
        boolean rsa = identity.type().equals("ssh-rsa") || identity.type().equals("ssh-rsa-cert-v01@openssh.com");
        String algorithm = identity.type().equals("ssh-rsa") ? "rsa-sha2-512" : UserCertificate.algorithm(identity.type());
        SSHPacket req = super.buildReq().putBoolean(accepted).putString(algorithm).putBytes(identity.blob());
        if (!accepted) {
            return req;
        }
        byte[] toSign = new Buffer.PlainBuffer()
                .putBytes(params.getTransport().getSessionID())
                .putBuffer(req)
                .getCompactData();
        try {
            return req.putBytes(agent.sign(identity.blob(), toSign, rsa ? AgentClient.RSA_SHA2_512 : 0));
        } catch (IOException e) {
            // the server accepted the key: without this, the failure would only advise checking authorized_keys
            tried.set(entry, label() + (e instanceof AgentClient.Refused
                    ? " (the agent refused to sign: a key added with 'ssh-add -c' needs its user to confirm, a FIDO key a touch)"
                    : " (the agent could not sign: " + SshErrors.message(e) + ")"));
            throw new UserAuthException("the ssh-agent could not sign with " + label() + ": " + e.getMessage(), e);
        }
    }
}
