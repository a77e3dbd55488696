package io.payout.system;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The ops web page in a real browser against the whole stack: an operator logs in the way the login page is meant
 * to be used from a link ({@code /ops/login#token=…&next=…}: the page's script posts the token from the fragment,
 * the service sets the session cookie and sends the browser on), and reads a settled transfer's journey assembled
 * from all four services, the dashboard and a search.
 */
@ExtendWith(SharedStack.class)
class OpsPageIT {
    private static Payout payout;
    private static String opsToken;

    @BeforeAll
    static void clients() throws Exception {
        assertThat(HeadlessChromium.available())
                .as(HeadlessChromium.BINARY + " (install Debian's chromium package: .ci/run does)").isTrue();
        payout = new Payout(SharedStack.stack());
        opsToken = SharedStack.stack().token("ops-page-it", "ops");
    }

    @Test
    void anOperatorSeesASettledTransfersWholeJourneyInTheBrowser() throws Exception {
        Payout.Finished t = payout.transferToTheEnd("12345678901234", "15000");
        assertThat(t.state()).isEqualTo("SETTLED");
        String id = t.id();
        String ref = t.externalRef();
        // the bank's webhook may still be on its way after the synchronous answer settled the transfer
        await().atMost(Payout.SETTLE_WAIT).until(() -> !webhookEvents(ref).isEmpty());
        String eventId = webhookEvents(ref).get(0);

        String dom = HeadlessChromium.dumpDom(loginLink("/ops/transfers/" + id));

        assertThat(dom).contains("<h1>Transfer " + id);
        assertThat(dom).contains("<span class=\"state\" id=\"state\">SETTLED</span>");
        assertThat(section(dom, "history")).contains("PENDING").contains("SETTLED");
        String postings = section(dom, "postings");
        assertThat(postings).contains("<td>HOLD</td>").contains("<td>SETTLE</td>").contains(t.account())
                .contains("-15000").doesNotContain("unavailable");
        assertThat(section(dom, "transfer")).contains(ref).contains(t.client());
        assertThat(section(dom, "dispatch")).contains(ref).doesNotContain("unavailable");
        assertThat(section(dom, "webhooks")).contains(eventId).contains(ref).doesNotContain("unavailable");
        assertThat(section(dom, "trace")).containsPattern("trace_id: <code id=\"trace-id\">([0-9a-f]{32}|—)</code>");
        assertThat(dom).doesNotContain("unavailable:");
        // the token travelled in the fragment and the form body only: never in a URL the server logged
        assertThat(Files.readString(SharedStack.stack().runDir().resolve("transfer-service.log"))).doesNotContain(opsToken);
    }

    @Test
    void anOperatorSeesTheDashboardAndFindsATransferByItsExternalRef() throws Exception {
        Payout.Finished t = payout.transferToTheEnd("12345678901234", "15000");
        assertThat(t.state()).isEqualTo("SETTLED");
        String id = t.id();
        String ref = t.externalRef();

        String dashboard = HeadlessChromium.dumpDom(loginLink("/ops"));

        assertThat(dashboard).contains("<h1>Dashboard</h1>");
        assertThat(section(dashboard, "anomalies")).contains("Anomalies");
        assertThat(section(dashboard, "stuck")).contains("Stuck transfers");
        assertThat(section(dashboard, "dead-letters")).contains("Dead letters").doesNotContain("unavailable");
        assertThat(dashboard).contains("name=\"q\"");

        String found = HeadlessChromium.dumpDom(loginLink("/ops/transfers?q=" + ref));

        assertThat(found).contains("<h1>Transfer " + id).contains("SETTLED");
    }

    private static String loginLink(String next) {
        return SharedStack.stack().url("transfer") + "/ops/login#token=" + opsToken
                + "&next=" + URLEncoder.encode(next, StandardCharsets.UTF_8);
    }

    /** event_id of the bank webhooks webhook-service stored for this external_ref. */
    private static List<String> webhookEvents(String ref) {
        return payout.ops("webhook").queryParam("external_ref", ref).when().get("/v1/webhook-events")
                .then().statusCode(200).extract().jsonPath().getList("items.event_id");
    }

    /** The HTML of {@code <section id="…">}. */
    private static String section(String html, String id) {
        Matcher m = Pattern.compile("<section id=\"" + id + "\">(.*?)</section>", Pattern.DOTALL).matcher(html);
        assertThat(m.find()).as("section " + id + " in\n" + html).isTrue();
        return m.group(1);
    }
}
