package io.payout.webhook.api;

import io.payout.platform.problem.FieldError;
import io.payout.platform.problem.Problem;
import io.payout.platform.problem.ProblemException;
import io.payout.platform.problem.ProblemMappers;
import io.payout.platform.problem.ProblemType;
import io.payout.webhook.config.WebhookConfig;
import io.payout.webhook.event.EventStore;
import io.payout.webhook.event.ReceivedWebhook;
import io.payout.webhook.trace.TransferTraces;
import io.payout.webhook.verify.SignatureRejected;
import io.payout.webhook.verify.SignatureVerifier;
import io.payout.webhook.verify.VerifiedWebhook;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The bank's webhook endpoint (SPEC §6). The bank authenticates by signature, not with a token: the endpoint is
 * {@link PermitAll} so the platform's JWT setup never asks for one (proactive authentication is off, so a stray
 * {@code Authorization} header is not even looked at).
 * <p>
 * Order of checks, cheapest and most fundamental first, and nothing stored unless all pass:
 * size (413) → UTF-8 (400) → signature headers, timestamp window, signature (401) → body (400) → store and forward
 * (200). The body is read as raw bytes because the signature covers those exact bytes; no JSON is parsed before the
 * sender is authenticated.
 */
@Path(BankWebhookResource.PATH)
@PermitAll
public class BankWebhookResource {
    static final String PATH = "/v1/webhooks/bank";

    /** Our own dedupe key and a column: visible ASCII and bounded, checked once the id is known to be the bank's. */
    private static final Pattern WEBHOOK_ID = Pattern.compile("[\\x21-\\x7E]{1,255}");
    /** What is kept of the request for audit; the signature is not a secret (it is a MAC of what we store). */
    private static final List<String> AUDIT_HEADERS = List.of(SignatureVerifier.ID_HEADER,
            SignatureVerifier.TIMESTAMP_HEADER, SignatureVerifier.SIGNATURE_HEADER, HttpHeaders.CONTENT_TYPE,
            HttpHeaders.USER_AGENT, "traceparent");
    private static final String CHALLENGE = "Webhook-Signature realm=\"bank-webhooks\"";

    private final SignatureVerifier verifier;
    private final EventStore store;
    private final WebhookConfig config;
    private final RejectionMetrics rejections;
    private final TransferTraces traces;
    private final Clock clock = Clock.systemUTC();

    public BankWebhookResource(SignatureVerifier verifier, EventStore store, WebhookConfig config,
                               RejectionMetrics rejections, TransferTraces traces) {
        this.verifier = verifier;
        this.store = store;
        this.config = config;
        this.rejections = rejections;
        this.traces = traces;
    }

    @POST
    // whatever the declared type: the signature covers the bytes, and the bytes must be JSON
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Receive a bank webhook (Standard Webhooks signature, no token)",
            description = "Verifies the v1 signature over webhook-id.webhook-timestamp.body with any current secret, "
                    + "refuses timestamps more than payout.webhook.tolerance-ms away, stores the event once per "
                    + "webhook-id and forwards a transfer.result as webhook.bank-result. A repeat answers 200 with "
                    + "duplicate=true and forwards nothing. Refusals store nothing.")
    @Parameter(name = SignatureVerifier.ID_HEADER, in = ParameterIn.HEADER, required = true,
            description = "The bank's message id: the dedupe key")
    @Parameter(name = SignatureVerifier.TIMESTAMP_HEADER, in = ParameterIn.HEADER, required = true,
            description = "Seconds since the epoch when the bank signed it")
    @Parameter(name = SignatureVerifier.SIGNATURE_HEADER, in = ParameterIn.HEADER, required = true,
            description = "Space-separated v1,<base64 HMAC-SHA256> signatures")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(
            example = "{\"type\":\"transfer.result\",\"data\":{\"bank_tran_id\":\"T123456789U000000001\","
                    + "\"status\":\"SUCCEEDED\",\"amount\":15000,\"currency\":\"KRW\",\"reason\":null}}")))
    @APIResponse(responseCode = "200", description = "Stored (or already stored: duplicate=true)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = WebhookAnswer.class)))
    @APIResponse(responseCode = "400", description = "Not UTF-8 JSON, or not a valid notification",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "401", description = "Signature headers missing, timestamp invalid or out of "
            + "tolerance, or no matching signature",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "413", description = "Body over payout.webhook.body-size-max-bytes",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> receive(byte[] body, @Context HttpHeaders headers) {
        return Uni.createFrom().item(() -> accept(body == null ? new byte[0] : body, headers))
                // stored and forwarded within the transfer's trace when its bank call is known (trace/TransferTraces)
                .flatMap(event -> traces.within(event.result() == null ? null : event.result().bankTranId(),
                        () -> store.store(event)))
                .map(outcome -> Response.ok(WebhookAnswer.of(outcome), MediaType.APPLICATION_JSON_TYPE).build())
                .onFailure(ProblemException.class).recoverWithItem(e -> refuse((ProblemException) e));
    }

    /** Every check that needs no database; throws {@link ProblemException} for a refusal. */
    private ReceivedWebhook accept(byte[] raw, HttpHeaders headers) {
        Instant receivedAt = clock.instant().truncatedTo(ChronoUnit.MICROS); // what PostgreSQL keeps
        if (raw.length > config.bodySizeMaxBytes()) {
            throw ProblemException.of(ProblemType.PAYLOAD_TOO_LARGE,
                    "The body has " + raw.length + " bytes; at most " + config.bodySizeMaxBytes() + " are accepted");
        }
        String body = utf8(raw);
        String id = header(headers, SignatureVerifier.ID_HEADER);
        VerifiedWebhook verified;
        try {
            verified = verifier.verify(id, header(headers, SignatureVerifier.TIMESTAMP_HEADER),
                    header(headers, SignatureVerifier.SIGNATURE_HEADER), body);
        } catch (SignatureRejected e) {
            throw WebhookProblems.unauthenticated(e);
        }
        if (!WEBHOOK_ID.matcher(verified.webhookId()).matches()) {
            throw ProblemException.validation(List.of(new FieldError(SignatureVerifier.ID_HEADER, "INVALID_FORMAT",
                    "must be 1-255 visible ASCII characters")));
        }
        BankNotificationReader.Notification n = BankNotificationReader.read(body, config.bodySizeMaxBytes());
        return new ReceivedWebhook(verified.webhookId(), receivedAt, auditHeaders(headers), body, n.type(),
                n.result());
    }

    /**
     * Strict UTF-8: JSON is UTF-8 (RFC 8259) and the signature is checked over the text; a lenient decoder would
     * silently replace bad bytes and check (and store) something other than what was sent.
     */
    private static String utf8(byte[] raw) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw))
                    .toString();
        } catch (CharacterCodingException e) {
            throw ProblemException.of(ProblemType.MALFORMED_JSON, "The body is not valid UTF-8");
        }
    }

    /**
     * A header's value; several lines of {@code webhook-signature} are one space-separated list (the library reads
     * only the first value it is given).
     */
    private static String header(HttpHeaders headers, String name) {
        List<String> values = headers.getRequestHeader(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        return values.size() == 1 ? values.get(0) : String.join(" ", values);
    }

    private static Map<String, String> auditHeaders(HttpHeaders headers) {
        Map<String, String> kept = new LinkedHashMap<>();
        for (String name : AUDIT_HEADERS) {
            String v = header(headers, name);
            if (v != null) {
                kept.put(name.toLowerCase(Locale.ROOT), v);
            }
        }
        return kept;
    }

    private Response refuse(ProblemException e) {
        rejections.rejected(e.code());
        Response problem = ProblemMappers.respond(e);
        if (e.status() != 401) {
            return problem;
        }
        // RFC 9110: a 401 names how to authenticate; here, by signing, not with a token
        return Response.fromResponse(problem).header(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE).build();
    }
}
