package dev.opsctl.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZoneId;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class HtmlReportTest {
    private static final ZoneId UTC = ZoneId.of("UTC");

    @Test
    void scriptInAStepMessageIsRenderedAsText() {
        String html = HtmlReport.render(Journals.report(Journals.FAILED), UTC);
        assertFalse(html.toLowerCase(java.util.Locale.ROOT).contains("<script"), "no script element may appear");
        assertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; | Job failed &amp; see journalctl"), html);
    }

    @Test
    void pageIsSelfContained() {
        String html = HtmlReport.render(Journals.report(Journals.ROLLED_BACK), UTC);
        assertFalse(html.contains("<link"), "no stylesheet links");
        assertFalse(html.contains("src="), "no images or scripts to fetch");
        assertFalse(html.contains("@import") || html.contains("@font-face"), "no fetched CSS or fonts");
        Matcher urls = Pattern.compile("url\\(([^)]*)\\)").matcher(html);
        while (urls.find()) {
            assertTrue(urls.group(1).startsWith("#"), "only in-page references: " + urls.group());
        }
        Matcher links = Pattern.compile("https?://[^\"'\\s<]+").matcher(html.replace("http://www.w3.org/2000/svg", ""));
        while (links.find()) {
            assertTrue(links.group().startsWith("http://127.0.1."), "only URLs quoted from the journal: " + links.group());
        }
        assertTrue(html.contains("<style>") && html.contains("<svg"));
    }

    @Test
    void timelineHasOneBarPerFinishedStepColouredByOutcome() {
        RunReport r = Journals.report(Journals.ROLLED_BACK);
        String svg = TimelineSvg.render(r, UTC);
        assertEquals(9 + 12, count(svg, "<rect class=\"step"), "9 steps on docker1, 8 + 4 rollback steps on docker2");
        assertEquals(4, count(svg, "<rect class=\"step rollback\""));
        assertEquals(4, count(svg, "<rect class=\"hatch\""), "rollback bars are hatched, not told by colour alone");
        assertEquals(1, count(svg, "data-outcome=\"failed\" data-step=\"monitor\" x=\"[0-9.]+\" y=\"[0-9]+\" width=\"[0-9.]+\" "
                + "height=\"24\" rx=\"3\" fill=\"" + Outcomes.RED + "\""));
        assertEquals(2, count(svg, "<path class=\"gate\" data-passed=\"true\""));
        assertEquals(1, count(svg, "<path class=\"trigger\""));
        assertTrue(svg.contains("<title>step monitor on docker2: failed, 40s\nmonitor stopped after 40.7s: trigger &#39;health-500&#39; fired</title>"),
                svg);
        assertTrue(svg.contains(">not started</text>"), "an empty row says why");
    }

    @Test
    void failedRunShowsUnreachableDistinctFromFailedAndTheCommandsToRunNext() {
        String html = HtmlReport.render(Journals.report(Journals.FAILED), UTC);
        assertTrue(html.contains("data-host=\"web3\" data-state=\"unreachable\""));
        assertTrue(html.contains("data-host=\"web2\" data-state=\"failed\""));
        assertTrue(html.contains("<code class=\"cmd\">opsctl runs resume 20261123-030000-c0de</code>"));
        assertTrue(html.contains("<code class=\"cmd\">opsctl runs show 20261123-030000-c0de --step restart</code>"));
    }

    @Test
    void gateAnswersShowWhoWhenNoteAndEvidence() {
        String html = HtmlReport.render(Journals.report(Journals.ROLLED_BACK), UTC);
        assertTrue(html.contains("<tr class=\"answer\"><td>smoke-test</td>"), html);
        assertTrue(html.contains("<td>alice</td><td>02:04:40</td><td>opened two workspaces, files writable</td>"), html);
        assertTrue(html.contains("<pre class=\"evidence\">docker ps: 6 running, 0 restarting</pre>"));
        assertTrue(html.contains("<pre class=\"evidence\">GET http://127.0.1.2:8000/health -&gt; 500 on 3 probes"));
        assertTrue(html.contains("<code>slack_webhook</code></th><td><code>********</code>"));
    }

    private static int count(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
