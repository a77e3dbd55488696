package io.payout.bankadapter.bank;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.payout.bankadapter.bank.BankModels.InquiryAnswer;
import io.payout.bankadapter.bank.BankModels.Statement;
import io.payout.bankadapter.bank.BankModels.TransferAnswer;
import io.payout.bankadapter.bank.BankModels.TransferRequest;
import io.payout.bankadapter.bank.BankUnavailable.Kind;
import io.payout.bankadapter.config.BankConfig;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import java.time.Duration;
import java.time.LocalDate;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The one way to the bank. Every call gets the configured timeout and is measured
 * ({@code payout_bank_call_latency} per operation; {@code payout_bank_calls} per operation and outcome). A usable
 * answer — including the bank's business refusals — is returned; no usable answer fails with
 * {@link BankUnavailable}. The next issue adds retries with back-off, a circuit breaker and a bulkhead here
 * (SmallRye Fault Tolerance on these methods), acting on {@link BankUnavailable} only: retrying a transfer is safe
 * because a retry carries the same {@code bank_tran_id}, which the bank dedupes.
 */
@ApplicationScoped
public class BankClient {
    private final BankApi api;
    private final ObjectMapper mapper;
    private final MeterRegistry registry;
    private final Duration timeout;

    public BankClient(BankConfig config, ObjectMapper mapper, MeterRegistry registry) {
        this.mapper = mapper;
        this.registry = registry;
        this.timeout = Duration.ofMillis(config.timeoutMs());
        this.api = QuarkusRestClientBuilder.newBuilder()
                .baseUri(config.baseUrl())
                .connectTimeout(config.timeoutMs(), TimeUnit.MILLISECONDS)
                .readTimeout(config.timeoutMs(), TimeUnit.MILLISECONDS)
                // statuses are classified below; the default mapper would turn every 4xx/5xx into an exception
                .property("microprofile.rest.client.disable.default.mapper", true)
                .build(BankApi.class);
    }

    /** {@code POST /v2/transfers}: ACCEPTED, REJECTED, DUPLICATE (200) or INVALID_REQUEST (400). */
    public Uni<TransferAnswer> transfer(TransferRequest request) {
        String body;
        try {
            body = mapper.writeValueAsString(request);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(new IllegalArgumentException("transfer request is not JSON-able", e));
        }
        return call("transfer", () -> api.transfer(body), (status, json) -> {
            TransferAnswer answer = json == null ? null : TransferAnswer.from(json);
            boolean known = answer != null && answer.code() != null;
            if (status == 200 && known || status == 400 && known && BankModels.INVALID_REQUEST.equals(answer.code())) {
                return new Answer<>(answer, answer.code());
            }
            throw unusable(status, json);
        });
    }

    /** {@code GET /v2/transfers/{ref}}: SUCCEEDED, FAILED, PROCESSING (200) or NOT_FOUND (the bank's 404). */
    public Uni<InquiryAnswer> inquiry(String bankTranId) {
        return call("inquiry", () -> api.inquiry(bankTranId), (status, json) -> {
            InquiryAnswer answer = json == null ? null : InquiryAnswer.from(json);
            // a 404 counts as "the bank has nothing" only when the bank says so in its own words: a bare 404 (a
            // wrong path, a proxy) must not make us conclude that money never left
            if (answer != null && answer.status() != null
                    && (status == 200 || status == 404 && BankModels.NOT_FOUND.equals(answer.status()))) {
                return new Answer<>(answer, answer.status());
            }
            throw unusable(status, json);
        });
    }

    /** {@code GET /v2/statements?date=}. */
    public Uni<Statement> statement(LocalDate date) {
        return call("statement", () -> api.statement(date.toString()), (status, json) -> {
            if (status != 200 || json == null) {
                throw unusable(status, json);
            }
            try {
                return new Answer<>(mapper.treeToValue(json, Statement.class), "OK");
            } catch (JsonProcessingException | IllegalArgumentException e) {
                throw new BankUnavailable(Kind.UNREADABLE, "statement: " + e.getMessage());
            }
        });
    }

    /** A usable answer and its {@code outcome} tag. */
    private record Answer<T>(T value, String outcome) {
    }

    @FunctionalInterface
    private interface Reader<T> {
        Answer<T> read(int status, JsonNode json);
    }

    private <T> Uni<T> call(String operation, Supplier<Uni<Response>> request, Reader<T> reader) {
        return Uni.createFrom().deferred(() -> {
            Timer.Sample sample = Timer.start(registry);
            return request.get()
                    // the client's read timeout is an idle timeout; this bounds the whole call
                    .ifNoItem().after(timeout).failWith(() -> new BankUnavailable(Kind.TIMEOUT,
                            operation + " took longer than " + timeout.toMillis() + " ms"))
                    .map(response -> {
                        try (response) {
                            return reader.read(response.getStatus(), json(response));
                        }
                    })
                    .onFailure().transform(failure -> failure instanceof BankUnavailable ? failure : transport(failure))
                    .onItemOrFailure().invoke((answer, failure) -> {
                        String outcome = failure == null ? answer.outcome()
                                : failure instanceof BankUnavailable b ? b.kind().name() : "ERROR";
                        sample.stop(Timer.builder("payout_bank_call_latency")
                                .description("Time of one call to the bank, by operation")
                                .tag("operation", operation)
                                .publishPercentileHistogram()
                                .register(registry));
                        registry.counter("payout_bank_calls", "operation", operation, "outcome", outcome).increment();
                    })
                    .map(Answer::value);
        });
    }

    private JsonNode json(Response response) {
        if (!response.hasEntity()) {
            return null;
        }
        String text = response.readEntity(String.class);
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            JsonNode node = mapper.readTree(text);
            return node != null && node.isObject() ? node : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static BankUnavailable unusable(int status, JsonNode json) {
        Kind kind = status == 429 ? Kind.HTTP_429
                : status >= 500 ? Kind.HTTP_5XX
                : status == 200 ? Kind.UNREADABLE
                : Kind.HTTP_OTHER;
        String body = json == null ? "no JSON body" : json.toString();
        return new BankUnavailable(kind, "HTTP " + status + ": " + (body.length() > 300 ? body.substring(0, 300) : body));
    }

    /** Timeouts and broken connections: whatever the client library calls them. */
    private static BankUnavailable transport(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof TimeoutException || t.getClass().getSimpleName().contains("Timeout")) {
                return new BankUnavailable(Kind.TIMEOUT, String.valueOf(t.getMessage()));
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return new BankUnavailable(Kind.CONNECTION, failure.getClass().getSimpleName() + ": " + failure.getMessage());
    }
}
