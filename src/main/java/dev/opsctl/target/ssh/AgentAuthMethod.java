package dev.opsctl.target.ssh;

import java.io.IOException;
import java.util.List;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.SSHPacket;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.method.AbstractAuthMethod;

/**
 * Public-key authentication with a key held by ssh-agent: the request is signed by the agent, so
 * the private key never enters this process. Sends the signed request directly (no query round
 * trip). RSA keys sign with rsa-sha2-512: OpenSSH 8.8+ rejects SHA-1 "ssh-rsa" signatures.
 */
final class AgentAuthMethod extends AbstractAuthMethod implements TriedKey {
    private final AgentClient agent;
    private final AgentClient.Identity identity;
    private final int entry;

    /** The method for the agent's key {@code identity}; its entry is added to {@code tried}. */
    AgentAuthMethod(AgentClient agent, AgentClient.Identity identity, List<String> tried) {
        super("publickey");
        this.agent = agent;
        this.identity = identity;
        this.entry = tried.size();
        tried.add(label());
    }

    @Override
    public int entry() {
        return entry;
    }

    /** For messages: the key's type and comment (usually the file it was loaded from). */
    String label() {
        return "agent key " + KnownHostsVerifier.describe(identity.type(), identity.blob())
                + (identity.comment().isBlank() ? "" : " (" + identity.comment() + ")");
    }

    @Override
    protected SSHPacket buildReq() throws UserAuthException {
        boolean rsa = identity.type().equals("ssh-rsa");
        String algorithm = rsa ? "rsa-sha2-512" : identity.type();
        SSHPacket req = super.buildReq().putBoolean(true).putString(algorithm).putBytes(identity.blob());
        byte[] toSign = new Buffer.PlainBuffer()
                .putBytes(params.getTransport().getSessionID())
                .putBuffer(req)
                .getCompactData();
        try {
            return req.putBytes(agent.sign(identity.blob(), toSign, rsa ? AgentClient.RSA_SHA2_512 : 0));
        } catch (IOException e) {
            throw new UserAuthException("the ssh-agent could not sign with " + label() + ": " + e.getMessage(), e);
        }
    }
}
