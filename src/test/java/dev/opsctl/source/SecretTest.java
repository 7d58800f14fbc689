package dev.opsctl.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SecretTest {
    @Test
    void aQuotedLineHasTheValuesOfSecretLookingNamesMasked() {
        assertEquals("web1 ansible_host=10.0.0.1 ansible_ssh_pass=********",
                Secret.maskAssignments("web1 ansible_host=10.0.0.1 ansible_ssh_pass=hunter2 port=22"));
        assertEquals("ansible_become_password=********", Secret.maskAssignments("ansible_become_password=correct horse, battery}"));
        assertEquals("  ansible_become_password: ********", Secret.maskAssignments("  ansible_become_password: correct horse"));
        assertEquals("db: {ansible_become_password: ********, user: x}",
                Secret.maskAssignments("db: {ansible_become_password: 'a b', user: x}"));
        assertEquals("  API_TOKEN: ********", Secret.maskAssignments("  API_TOKEN: \"s3cr=t\""));
        assertEquals("  name: deploy", Secret.maskAssignments("  name: deploy"));
    }

    @Test
    void secretNamesAreRecognisedByWhatTheyHold() {
        assertTrue(Secret.looksSecret("ansible_become_pass"));
        assertTrue(Secret.looksSecret("slack_webhook_token"));
        assertTrue(Secret.looksSecret("DB_PASSWORD"));
        assertFalse(Secret.looksSecret("ansible_host"));
    }
}
