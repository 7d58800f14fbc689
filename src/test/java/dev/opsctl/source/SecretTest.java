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
    void aCaretKeepsPointingAtItsTokenWhenValuesBeforeItAreMasked() {
        String line = "db: {password: \"correct-horse-battery\", port: x}";
        String shown = Secret.maskAssignments(line);
        assertEquals("db: {password: ********, port: x}", shown);
        int port = line.indexOf("port") + 1;
        assertEquals(shown.indexOf("port") + 1, Secret.maskedColumn(line, port));
        assertEquals(shown.indexOf("********") + 1, Secret.maskedColumn(line, line.indexOf("horse") + 1), "inside: the mask");
        assertEquals(6, Secret.maskedColumn(line, 6), "before: unchanged");
        String two = "a_token='x' b_secret='a much longer value' c=1";
        String twoShown = Secret.maskAssignments(two);
        assertEquals(twoShown.indexOf("c=1") + 1, Secret.maskedColumn(two, two.indexOf("c=1") + 1), twoShown);
    }

    @Test
    void aRenderedProblemPutsItsCaretUnderTheTokenNotIntoTheMask() {
        Problems p = new Problems();
        String line = "web1 ansible_ssh_pass='hunter2-is-long' ansible_port=x";
        p.addSource("hosts.ini", "[web]\n" + line + "\n");
        p.error(new SourcePos("hosts.ini", 2, line.indexOf("ansible_port") + 1), "bad port");
        String[] out = p.render().split("\n");
        assertEquals("  web1 ansible_ssh_pass=******** ansible_port=x", out[1]);
        assertEquals(out[1].indexOf("ansible_port"), out[2].indexOf('^'), String.join("\n", out));
        assertFalse(p.render().contains("hunter2"));
    }

    @Test
    void secretNamesAreRecognisedByWhatTheyHold() {
        assertTrue(Secret.looksSecret("ansible_become_pass"));
        assertTrue(Secret.looksSecret("slack_webhook_token"));
        assertTrue(Secret.looksSecret("DB_PASSWORD"));
        assertFalse(Secret.looksSecret("ansible_host"));
    }
}
