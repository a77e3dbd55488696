package io.payout.webhook;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.payout.testsupport.BrokerProbe;
import io.payout.testsupport.Rows;
import io.payout.testsupport.ServiceTestResource;
import io.payout.webhook.config.WebhookConfig;
import io.payout.webhook.trace.RecordedSpans;
import io.payout.webhook.trace.TransferTraces;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.payout.webhook.BankWebhooks.newBankTranId;
import static io.payout.webhook.BankWebhooks.newId;
import static io.payout.webhook.BankWebhooks.post;
import static io.payout.webhook.BankWebhooks.result;
import static io.payout.webhook.BankWebhooks.signedHeaders;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A bank webhook arrives as a new request with a trace of its own; once the transfer's {@code bank.dispatched} has been
 * consumed, its work (store and forward) continues the transfer's trace and links back to the request. Checked on
 * the spans the app exports and on the traceparent the forwarded message is published with.
 */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class WebhookTraceTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    WebhookConfig config;

    @Inject
    RecordedSpans spans;

    @Test
    void aWebhookForADispatchedTransferContinuesTheTransfersTraceAndLinksItsOwnRequest() {
        String transferTrace = hex(16);
        String ref = newBankTranId();
        dispatched(ref, "00-" + transferTrace + "-" + hex(8) + "-01");
        // the consumer ran inside the message's trace: what it records is a span of the transfer's trace
        await().atMost(WAIT).until(() -> !dispatchTraces(ref).isEmpty());
        assertThat(traceIdOf(dispatchTraces(ref).get(0))).isEqualTo(transferTrace);

        String eventId = deliver(ref);

        // the forwarded webhook.bank-result is published in the transfer's trace
        assertThat(traceIdOf(forwardedTraceparent(eventId))).isEqualTo(transferTrace);
        SpanData request = await().atMost(WAIT).until(() -> requestSpan(ref), s -> s != null);
        SpanData work = await().atMost(WAIT).until(() -> workSpan(ref), s -> s != null);
        assertThat(request.getTraceId()).isNotEqualTo(transferTrace);
        assertThat(request.getAttributes().get(TransferTraces.TRANSFER_TRACE_ID)).isEqualTo(transferTrace);
        assertThat(work.getTraceId()).isEqualTo(transferTrace);
        assertThat(work.getLinks()).extracting(LinkData::getSpanContext)
                .anySatisfy(link -> {
                    assertThat(link.getTraceId()).isEqualTo(request.getTraceId());
                    assertThat(link.getSpanId()).isEqualTo(request.getSpanId());
                });
        assertThat(work.getAttributes().get(TransferTraces.WEBHOOK_TRACE_ID)).isEqualTo(request.getTraceId());
        // the event insert and the outbox row are inside that span (not in the request's trace), and so is the
        // relay's publish of the forwarded message, restored from the outbox row
        await().atMost(WAIT).untilAsserted(() -> assertThat(spans.all())
                .filteredOn(s -> s.getParentSpanId().equals(work.getSpanId()))
                .extracting(SpanData::getName)
                .contains("INSERT webhook_events", "INSERT outbox", "payout publish"));
    }

    @Test
    void aWebhookAheadOfItsDispatchKeepsItsOwnTraceTaggedWithTheReference() {
        String ref = newBankTranId();

        String eventId = deliver(ref);

        SpanData request = await().atMost(WAIT).until(() -> requestSpan(ref), s -> s != null);
        assertThat(request.getAttributes().get(TransferTraces.TRANSFER_TRACE_ID)).isNull();
        assertThat(traceIdOf(forwardedTraceparent(eventId))).isEqualTo(request.getTraceId());
        assertThat(workSpan(ref)).isNull();
        assertThat(dispatchTraces(ref)).isEmpty();
    }

    private String deliver(String ref) {
        String id = newId();
        String body = result(ref, "SUCCEEDED");
        Response r = post(signedHeaders(config.secrets().get(0), id, body), body);
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
        assertThat(r.jsonPath().getBoolean("forwarded")).isTrue();
        return id;
    }

    /** bank.dispatched as bank-adapter's relay publishes it, with the transfer's traceparent on the message. */
    private static void dispatched(String ref, String traceparent) {
        String messageId = UUID.randomUUID().toString();
        String transferId = UUID.randomUUID().toString();
        BrokerProbe.publish(ServiceTestResource.vhost(), BrokerProbe.EXCHANGE, "bank.dispatched", messageId,
                "bank.dispatched", Map.of("traceparent", traceparent),
                BrokerProbe.envelope(messageId, "bank.dispatched", transferId,
                        "{\"transfer_id\":\"" + transferId + "\",\"external_ref\":\"" + ref
                                + "\",\"outcome\":\"ACCEPTED\"}"));
    }

    private static List<String> dispatchTraces(String ref) {
        return Rows.query(ServiceTestResource.database(), "select traceparent from dispatch_traces where external_ref = ?", ref).stream()
                .map(row -> (String) row.get("traceparent")).toList();
    }

    private static String forwardedTraceparent(String eventId) {
        return (String) Rows.query(ServiceTestResource.database(),
                "select traceparent from outbox where type = ? and payload->>'event_id' = ?",
                BankWebhooks.TYPE, eventId).get(0).get("traceparent");
    }

    /** The bank's HTTP request: the server span tagged with the reference. */
    private SpanData requestSpan(String ref) {
        return spans.all().stream()
                .filter(s -> s.getKind() == SpanKind.SERVER)
                .filter(s -> ref.equals(s.getAttributes().get(TransferTraces.EXTERNAL_REF)))
                .findFirst().orElse(null);
    }

    private SpanData workSpan(String ref) {
        return spans.all().stream()
                .filter(s -> TransferTraces.SPAN_NAME.equals(s.getName()))
                .filter(s -> ref.equals(s.getAttributes().get(TransferTraces.EXTERNAL_REF)))
                .findFirst().orElse(null);
    }

    private static String traceIdOf(String traceparent) {
        assertThat(traceparent).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]");
        return traceparent.substring(3, 35);
    }

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
