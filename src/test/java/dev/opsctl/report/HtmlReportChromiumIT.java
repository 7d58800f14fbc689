package dev.opsctl.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML report as a real browser sees it: headless Chromium (Debian {@code chromium}) loads the
 * file offline, and the DOM it builds is checked; a screenshot proves it renders. Skips with a
 * reason where Chromium is missing, except under {@code CI=true}, where that fails the build.
 * {@code -Dreport.screenshot.update=true} also copies the screenshot to {@code docs/images/run-report.png}.
 */
class HtmlReportChromiumIT {
    private static Path chromium;

    @TempDir
    Path tmp;

    @BeforeAll
    static void findChromium() {
        Optional<Path> found = List.of("chromium", "chromium-browser", "google-chrome").stream()
                .flatMap(n -> List.of(System.getenv().getOrDefault("PATH", "").split(":")).stream().map(d -> Path.of(d, n)))
                .filter(Files::isExecutable).findFirst();
        if (found.isEmpty()) {
            if ("true".equals(System.getenv("CI"))) {
                fail("chromium is not installed; CI needs it for the report tests (apt-get install chromium)");
            }
            Assumptions.abort("chromium is not installed: skipping the browser checks of the HTML report");
        }
        chromium = found.get();
    }

    private String[] chromiumArgs(Path profile, String... more) {
        List<String> a = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    private String run(String... args) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(args).redirectError(tmp.resolve("chromium.err").toFile()).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread pump = new Thread(() -> {
            try (InputStream in = p.getInputStream()) {
                in.transferTo(out);
            } catch (IOException e) {
                // the process died; its exit code says so
            }
        });
        pump.start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("chromium did not finish within 90s; stderr:\n" + Files.readString(tmp.resolve("chromium.err")));
        }
        pump.join();
        assertEquals(0, p.exitValue(), "chromium failed; stderr:\n" + Files.readString(tmp.resolve("chromium.err")));
        return out.toString(StandardCharsets.UTF_8);
    }

    private Path page(String journal) throws IOException {
        Path html = tmp.resolve(journal.replace(".jsonl", ".html"));
        Files.writeString(html, HtmlReport.render(Journals.report(journal), ZoneId.of("UTC")));
        return html;
    }

    @Test
    void browserBuildsTheTimelineTablesAndGateAnswers() throws Exception {
        String dom = run(chromiumArgs(tmp.resolve("profile"), "--dump-dom", page(Journals.ROLLED_BACK).toUri().toString()));
        for (String host : List.of("docker1", "docker2", "docker3")) {
            assertTrue(dom.contains("<g class=\"host-row\" data-host=\"" + host + "\">"), host + " has a timeline row");
            assertTrue(dom.contains("<tr data-host=\"" + host + "\""), host + " has a final state row");
        }
        assertEquals(21, count(dom, "<rect class=\"step[ \"]"), "one bar per finished step");
        assertEquals(16, count(dom, "<rect class=\"step\" data-outcome=\"(ok|changed)\"[^>]*fill=\"" + Outcomes.GREEN + "\""));
        assertEquals(1, count(dom, "<rect class=\"step\" data-outcome=\"failed\"[^>]*fill=\"" + Outcomes.RED + "\""));
        assertEquals(4, count(dom, "<rect class=\"step rollback\""));
        assertEquals(2, count(dom, "<path class=\"gate\""));
        assertEquals(1, count(dom, "<path class=\"trigger\""));
        assertTrue(dom.contains("<td>alice</td><td>02:04:40</td><td>opened two workspaces, files writable</td>"), "gate answer: who/when/note");
        assertTrue(dom.contains("df /var/lib/docker: 41% used (max 80%)"), "gate evidence");
        assertTrue(dom.contains("permission denied on /var/lib/docker/100000.100000/volumes"), "trigger evidence");
        assertTrue(dom.contains("opsctl run runbooks/userns-remap.yaml -i /home/alice/ops/inventory.ini -l docker2"), "what to do next");
    }

    @Test
    void markupInAMessageStaysTextInTheBrowser() throws Exception {
        String dom = run(chromiumArgs(tmp.resolve("profile"), "--dump-dom", page(Journals.FAILED).toUri().toString()));
        assertFalse(dom.toLowerCase(java.util.Locale.ROOT).contains("<script"), "no script element in the DOM");
        assertTrue(dom.contains("&lt;script&gt;alert('x')&lt;/script&gt; | Job failed &amp; see journalctl"), dom);
        assertTrue(dom.contains("data-host=\"web3\" data-state=\"unreachable\""));
    }

    @Test
    void screenshotIsAPngOfTheWindowSize() throws Exception {
        Path png = tmp.resolve("run-report.png");
        run(chromiumArgs(tmp.resolve("profile"), "--hide-scrollbars", "--force-device-scale-factor=1", "--screenshot=" + png,
                "--window-size=1400,1000", page(Journals.ROLLED_BACK).toUri().toString()));
        byte[] bytes = Files.readAllBytes(png);
        assertEquals("\u0089PNG", new String(bytes, 0, 4, StandardCharsets.ISO_8859_1));
        ByteBuffer ihdr = ByteBuffer.wrap(bytes, 16, 8);
        assertEquals(1400, ihdr.getInt());
        assertEquals(1000, ihdr.getInt());
        assertTrue(bytes.length > 50_000, "a rendered page, not a blank one: " + bytes.length + " bytes");
        if (Boolean.getBoolean("report.screenshot.update")) {
            Path docs = Path.of("docs/images/run-report.png");
            Files.createDirectories(docs.getParent());
            Files.copy(png, docs, StandardCopyOption.REPLACE_EXISTING);
        }
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
