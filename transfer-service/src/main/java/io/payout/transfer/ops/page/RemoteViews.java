package io.payout.transfer.ops.page;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.payout.transfer.ops.page.OpsViews.DispatchSection;
import io.payout.transfer.ops.page.OpsViews.Entry;
import io.payout.transfer.ops.page.OpsViews.Field;
import io.payout.transfer.ops.page.OpsViews.Posting;
import io.payout.transfer.ops.page.OpsViews.PostingsSection;
import io.payout.transfer.ops.page.OpsViews.Row;
import io.payout.transfer.ops.page.OpsViews.Table;
import io.payout.transfer.ops.page.OpsViews.TableSection;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;

import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The parts of a transfer's journey that other services own, read through their ops APIs with the ops user's own
 * token (so each service applies its own authorization). Every call is bounded by {@code call-timeout-ms} and never
 * fails: a failure becomes the section's "unavailable" reason, and the page renders anyway.
 */
@ApplicationScoped
public class RemoteViews {
    private static final Logger LOG = Logger.getLogger(RemoteViews.class);
    /** Longest reason shown for an unavailable section (a proxy's error page can be long). */
    private static final int REASON_LENGTH_MAX = 300;

    private final LedgerOpsApi ledger;
    private final BankAdapterOpsApi bankAdapter;
    private final WebhookOpsApi webhooks;
    private final ObjectMapper mapper;
    private final Duration timeout;

    public RemoteViews(OpsPageConfig config, ObjectMapper mapper) {
        this.mapper = mapper;
        this.timeout = Duration.ofMillis(config.callTimeoutMs());
        this.ledger = client(config.ledgerUrl(), config.callTimeoutMs(), LedgerOpsApi.class);
        this.bankAdapter = client(config.bankAdapterUrl(), config.callTimeoutMs(), BankAdapterOpsApi.class);
        this.webhooks = client(config.webhookUrl(), config.callTimeoutMs(), WebhookOpsApi.class);
    }

    private static <T> T client(URI baseUri, long timeoutMs, Class<T> api) {
        return QuarkusRestClientBuilder.newBuilder()
                .baseUri(baseUri)
                // a backstop only: the call's own deadline (call-timeout-ms, below) fires first and cancels it
                .connectTimeout(2 * timeoutMs, TimeUnit.MILLISECONDS)
                .readTimeout(2 * timeoutMs, TimeUnit.MILLISECONDS)
                // every status is classified here; the default mapper would throw on 4xx/5xx
                .property("microprofile.rest.client.disable.default.mapper", true)
                .build(api);
    }

    /** ledger: {@code {"transfer_id", "postings": [{"id","kind","external_ref","created_at","entries":[…]}]}}. */
    public Uni<PostingsSection> postings(UUID transferId, String token) {
        return call("ledger", () -> ledger.postings(transferId.toString(), bearer(token)),
                answer -> {
                    if (answer.status() != 200) {
                        return PostingsSection.unavailable(answer.reason());
                    }
                    JsonNode list = answer.body().path("postings");
                    if (!list.isArray()) {
                        return PostingsSection.unavailable("unexpected answer: no postings list");
                    }
                    List<Posting> postings = new ArrayList<>();
                    for (JsonNode p : list) {
                        List<Entry> entries = new ArrayList<>();
                        for (JsonNode e : p.path("entries")) {
                            entries.add(new Entry(text(e.get("account_id")), text(e.get("amount")), text(e.get("currency"))));
                        }
                        postings.add(new Posting(text(p.get("id")), text(p.get("kind")), text(p.get("external_ref")),
                                text(p.get("created_at")), entries));
                    }
                    return new PostingsSection(postings, null);
                }, PostingsSection::unavailable);
    }

    /** bank-adapter: the dispatch as a JSON object, shown field by field; 404 = no dispatch (yet). */
    public Uni<DispatchSection> dispatch(UUID transferId, String token) {
        return call("bank-adapter", () -> bankAdapter.dispatch(transferId.toString(), bearer(token)),
                answer -> {
                    if (answer.status() == 404) {
                        return new DispatchSection(List.of(), null);
                    }
                    if (answer.status() != 200) {
                        return DispatchSection.unavailable(answer.reason());
                    }
                    if (!answer.body().isObject()) {
                        return DispatchSection.unavailable("unexpected answer: not a JSON object");
                    }
                    List<Field> fields = new ArrayList<>();
                    answer.body().properties().forEach(f -> fields.add(new Field(f.getKey(), text(f.getValue()))));
                    return new DispatchSection(fields, null);
                }, DispatchSection::unavailable);
    }

    /** webhook-service: {@code {"items": [{"event_id", "external_ref", …, "received_at"}]}} for one external_ref. */
    public Uni<TableSection> webhooks(String externalRef, String token) {
        if (externalRef == null) {
            return Uni.createFrom().item(TableSection.note("no external_ref yet: the bank has not been called"));
        }
        return call("webhook", () -> webhooks.events(externalRef, bearer(token)),
                answer -> {
                    if (answer.status() != 200) {
                        return TableSection.unavailable(answer.reason());
                    }
                    JsonNode items = answer.body().path("items");
                    if (!items.isArray()) {
                        return TableSection.unavailable("unexpected answer: no items list");
                    }
                    return TableSection.of(table(items));
                }, TableSection::unavailable);
    }

    /** JSON objects as rows; columns are the union of their fields, in order of first appearance. */
    static Table table(Iterable<JsonNode> objects) {
        Set<String> columns = new LinkedHashSet<>();
        for (JsonNode o : objects) {
            o.properties().forEach(f -> columns.add(f.getKey()));
        }
        List<Row> rows = new ArrayList<>();
        for (JsonNode o : objects) {
            rows.add(new Row(columns.stream().map(c -> text(o.get(c))).toList()));
        }
        return new Table(List.copyOf(columns), rows);
    }

    /** A JSON value as text: strings as they are, null as "—", objects and arrays as compact JSON. */
    static String text(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return OpsViews.NONE;
        }
        return value.isValueNode() ? value.asText() : value.toString();
    }

    private record Answer(int status, JsonNode body) {
        /** Why a non-2xx answer is not shown: the status with the problem's detail when there is one. */
        String reason() {
            String detail = body.path("detail").asText(body.path("title").asText(""));
            return clip("HTTP " + status + (detail.isEmpty() ? "" : ": " + detail));
        }
    }

    private <S> Uni<S> call(String service, Supplier<Uni<? extends Response>> request, Function<Answer, S> onAnswer,
                            Function<String, S> unavailable) {
        return Uni.createFrom().<Response>deferred(request)
                .ifNoItem().after(timeout).failWith(() -> new TimeoutException("no answer within " + timeout.toMillis() + " ms"))
                .map(response -> onAnswer.apply(new Answer(response.getStatus(), json(response))))
                .onFailure().recoverWithItem(e -> {
                    String reason = reason(e);
                    LOG.debugf(e, "ops page: %s unavailable: %s", service, reason);
                    return unavailable.apply(reason);
                });
    }

    private JsonNode json(Response response) {
        String text = response.hasEntity() ? response.readEntity(String.class) : "";
        if (text == null || text.isBlank()) {
            return mapper.createObjectNode();
        }
        try {
            return mapper.readTree(text);
        } catch (JsonProcessingException e) {
            if (response.getStatus() == 200) {
                throw new IllegalStateException("unreadable answer (not JSON)");
            }
            return mapper.createObjectNode(); // an error page of a proxy: the status says enough
        }
    }

    private static String reason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            if (root instanceof TimeoutException || root instanceof ConnectException) {
                break;
            }
            root = root.getCause();
        }
        String message = root.getMessage();
        if (root instanceof ConnectException) {
            return clip("connection refused" + (message == null ? "" : " (" + message + ")"));
        }
        if (root instanceof TimeoutException || root.getClass().getSimpleName().contains("Timeout")) {
            return clip(message == null ? "timed out" : message);
        }
        return clip(root.getClass().getSimpleName() + (message == null ? "" : ": " + message));
    }

    private static String clip(String s) {
        return s.length() <= REASON_LENGTH_MAX ? s : s.substring(0, REASON_LENGTH_MAX) + "…";
    }

    private static String bearer(String token) {
        return "Bearer " + token;
    }
}
