package dev.opsctl.target.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.dockerjava.zerodep.shaded.org.apache.hc.core5.http.NoHttpResponseException;
import java.io.IOException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DockerErrorsTest {
    private static final String PREFIX = "docker daemon on host 'web1' is not answering (docker info): ";

    @Test
    void aConnectionClosedUnansweredSaysWhyTheForwardKnowsNotTheClientsPlaceholder() {
        RuntimeException closed = new RuntimeException(new NoHttpResponseException("localhost:2375 failed to respond"));
        assertEquals(PREFIX + "the connection closed without an answer",
                DockerErrors.translate("web1", "docker info", closed, Optional.empty()).getMessage());
        assertEquals(PREFIX + "sshd could not connect to '/var/run/docker.sock' (open failed)",
                DockerErrors.translate("web1", "docker info", closed, Optional.of("sshd could not connect to '/var/run/docker.sock' (open failed)"))
                        .getMessage());
    }

    @Test
    void anyOtherFailureKeepsItsOwnWordsWhateverTheForwardRemembers() {
        RuntimeException refused = new RuntimeException(new IOException("[111] Connection refused"));
        assertEquals(PREFIX + "connection refused",
                DockerErrors.translate("web1", "docker info", refused, Optional.of("an older connection's reason")).getMessage());
    }
}
