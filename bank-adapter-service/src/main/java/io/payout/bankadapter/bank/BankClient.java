package io.payout.bankadapter.bank;

import io.payout.platform.api.JsonResponses;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.payout.bankadapter.bank.BankModels.InquiryAnswer;
import io.payout.bankadapter.bank.BankModels.StatementLine;
import io.payout.bankadapter.bank.BankModels.StatementPage;
import io.payout.bankadapter.bank.BankModels.TransferAnswer;
import io.payout.bankadapter.bank.BankModels.TransferRequest;
import io.payout.bankadapter.bank.BankNotCalled.Reason;
import io.payout.bankadapter.bank.BankUnavailable.Kind;
import io.payout.bankadapter.config.BankConfig;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.quarkus.runtime.Startup;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.faulttolerance.api.Guard;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.util.TypeLiteral;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The one way to the bank, and the one place its fault tolerance is defined: every call (transfer, inquiry,
 * statement) goes through one SmallRye Fault Tolerance {@link Guard}, built from {@link BankConfig}:
 * <pre>
 *   retry( circuit breaker( timeout( bulkhead( one HTTP attempt ))))      (SmallRye's fixed order)
 * </pre>
 * <ul>
 *   <li><b>timeout</b> {@code timeout-ms} per attempt (queue time in the bulkhead included);</li>
 *   <li><b>retry</b> up to {@code retries-max} times, exponential back-off from {@code retry-delay-ms} (×2, capped at
 *       {@code retry-max-delay-ms}, ± {@code retry-jitter-ms}), only on {@linkplain BankUnavailable#retryable()
 *       retryable} failures: for a transfer timeout, connection, 5xx and 429 — never an answer, never garbage; for
 *       reads (inquiry, statement) any failure. A transfer is retried with the very same body, hence the same
 *       {@code bank_tran_id}: the bank dedupes it, and a retry after an executed-but-unanswered attempt gets
 *       DUPLICATE (the dispatcher then asks by inquiry);</li>
 *   <li><b>circuit breaker</b>, one for the bank, shared by all operations: opens when {@code breaker-failure-ratio}
 *       of the last {@code breaker-request-volume} calls gave no usable answer ({@link BankUnavailable} or a
 *       timeout), stays open {@code breaker-delay-ms}, then lets {@code breaker-success-threshold} trial calls
 *       through. The bank's business answers (REJECTED, NOT_FOUND…) are successes: the bank is up;</li>
 *   <li><b>bulkhead</b> {@code bulkhead-max} calls at once per instance, {@code bulkhead-queue} waiting.</li>
 * </ul>
 * Results: a usable answer — including the bank's business refusals; {@link BankUnavailable} when the bank was
 * called and gave no usable answer (after retries); {@link BankNotCalled} when the breaker or the bulkhead refused
 * and no attempt of this call reached the bank. The last distinction is the one money depends on: "unknown" means the
 * money may have left, "not called" means it certainly did not.
 * <p>
 * Metrics: {@code payout_bank_calls{operation,outcome}} and {@code payout_bank_call_latency{operation}} per HTTP
 * attempt, {@code payout_bank_retries{operation}}, {@code payout_bank_calls_rejected{operation,reason}} (not
 * called), {@code payout_bank_breaker_state} (0 closed, 1 open, 2 half-open). SmallRye also exports its own
 * {@code ft_*} metrics for this guard (tag {@code method="bank"}).
 */
@ApplicationScoped
@Startup // builds the guard and registers the breaker gauge at start, not on the first call
public class BankClient {
    private static final Logger LOG = Logger.getLogger(BankClient.class);
    /** The guard's description: the {@code method} tag of SmallRye's {@code ft_*} metrics. */
    public static final String GUARD = "bank";
    private static final Set<String> TRANSFER_CODES = Set.of(BankModels.ACCEPTED, BankModels.REJECTED,
            BankModels.DUPLICATE, BankModels.SUCCEEDED, BankModels.INVALID_REQUEST);
    private static final Set<String> INQUIRY_STATUSES = Set.of(BankModels.SUCCEEDED, BankModels.FAILED,
            BankModels.PROCESSING, BankModels.NOT_FOUND);

    private final BankApi api;
    private final ObjectMapper mapper;
    private final MeterRegistry registry;
    private final Duration timeout;
    private final Guard guard;
    /** SmallRye's numbering: 0 closed, 1 open, 2 half-open. A field: Micrometer holds gauge objects weakly. */
    private final AtomicInteger breakerState = new AtomicInteger();

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
        this.guard = guard(config, state -> {
            breakerState.set(switch (state) {
                case CLOSED -> 0;
                case OPEN -> 1;
                case HALF_OPEN -> 2;
            });
            if (state == CircuitBreakerState.OPEN) {
                LOG.warnf("bank circuit breaker OPEN: no calls to the bank for %d ms; dispatches wait",
                        config.breakerDelayMs());
            } else {
                LOG.infof("bank circuit breaker %s", state);
            }
        });
        Gauge.builder("payout_bank_breaker_state", breakerState, AtomicInteger::get)
                .description("The bank's circuit breaker: 0 closed, 1 open, 2 half-open")
                .register(registry);
    }

    static Guard guard(BankConfig c, Consumer<CircuitBreakerState> onStateChange) {
        return Guard.create()
                .withDescription(GUARD)
                .withTimeout().duration(c.timeoutMs(), ChronoUnit.MILLIS).done()
                .withRetry()
                    .maxRetries(c.retriesMax())
                    .delay(c.retryDelayMs(), ChronoUnit.MILLIS)
                    .jitter(c.retryJitterMs(), ChronoUnit.MILLIS)
                    // retries-max is the limit; this only keeps SmallRye's default (180 s) from ever being one
                    .maxDuration(worstCaseCallMs(c) + c.timeoutMs(), ChronoUnit.MILLIS)
                    .whenException(BankClient::worthRetrying)
                    .withExponentialBackoff().factor(2).maxDelay(c.retryMaxDelayMs(), ChronoUnit.MILLIS).done()
                    .done()
                .withCircuitBreaker()
                    .requestVolumeThreshold(c.breakerRequestVolume())
                    .failureRatio(c.breakerFailureRatio())
                    .delay(c.breakerDelayMs(), ChronoUnit.MILLIS)
                    .successThreshold(c.breakerSuccessThreshold())
                    .when(BankClient::isBankFailure)
                    .onStateChange(onStateChange)
                    .done()
                .withBulkhead().limit(c.bulkheadMax()).queueSize(c.bulkheadQueue()).done()
                .build();
    }

    /**
     * The longest one guarded call can take: every attempt timing out, every back-off at its longest. An inquiry's
     * NOT_FOUND may only fail a transfer once our last call is older than this (see {@code in-flight-grace-ms}).
     */
    public static long worstCaseCallMs(BankConfig c) {
        long total = (long) (c.retriesMax() + 1) * c.timeoutMs();
        long delay = c.retryDelayMs();
        for (int i = 0; i < c.retriesMax(); i++) {
            total += Math.min(delay, c.retryMaxDelayMs()) + c.retryJitterMs();
            delay = Math.min(delay * 2, c.retryMaxDelayMs());
        }
        return total;
    }

    /** Retry only what may go differently next time: a call that never got an answer (transfers), any read. */
    static boolean worthRetrying(Throwable e) {
        return e instanceof org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException
                || e instanceof BankUnavailable b && b.retryable();
    }

    /** The breaker counts calls that got no usable answer; a refusal by the bulkhead says nothing about the bank. */
    static boolean isBankFailure(Throwable e) {
        return e instanceof org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException
                || e instanceof BankUnavailable;
    }

    /** {@code POST /v2/transfers}: ACCEPTED, REJECTED, DUPLICATE, SUCCEEDED (200) or INVALID_REQUEST (400). */
    public Uni<TransferAnswer> transfer(TransferRequest request) {
        String body;
        try {
            body = mapper.writeValueAsString(request);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(new IllegalArgumentException("transfer request is not JSON-able", e));
        }
        return guarded("transfer", false, () -> api.transfer(body), (status, json) -> {
            TransferAnswer answer = json == null ? null : TransferAnswer.from(json);
            // an answer about another ref (a proxy or cache mixing them up) is no answer to ours
            boolean known = answer != null && answer.code() != null && TRANSFER_CODES.contains(answer.code())
                    && (answer.bankTranId() == null || answer.bankTranId().equals(request.bankTranId()));
            if (status == 200 && known || status == 400 && known && BankModels.INVALID_REQUEST.equals(answer.code())) {
                return new Answer<>(answer, answer.code());
            }
            throw unusable(status, json);
        });
    }

    /** {@code GET /v2/transfers/{ref}}: SUCCEEDED, FAILED, PROCESSING (200) or NOT_FOUND (the bank's 404). */
    public Uni<InquiryAnswer> inquiry(String bankTranId) {
        return guarded("inquiry", true, () -> api.inquiry(bankTranId), (status, json) -> {
            InquiryAnswer answer = json == null ? null : InquiryAnswer.from(json);
            // a 404 counts as "the bank has nothing" only when the bank says so in its own words: a bare 404 (a
            // wrong path, a proxy) must not make us conclude that money never left. An unknown status, or an
            // answer about another ref, is no answer either: "not yet", never "failed"
            boolean known = answer != null && answer.status() != null && INQUIRY_STATUSES.contains(answer.status())
                    && (answer.bankTranId() == null || answer.bankTranId().equals(bankTranId));
            if (known && (status == 200 || status == 404 && BankModels.NOT_FOUND.equals(answer.status()))) {
                return new Answer<>(answer, answer.status());
            }
            throw unusable(status, json);
        });
    }

    /**
     * {@code GET /v2/statements?date=&page=&size=}: one page, one guarded call. Read strictly, since reconciliation
     * trusts it to be the bank's whole list: {@code lines} an array of at most {@code size} lines and
     * {@code has_more} a boolean, both required (a bank that ignored paging and left {@code has_more} out must not
     * pass for a complete statement), and the date the one asked for; anything else is {@code UNREADABLE}.
     */
    public Uni<StatementPage> statement(LocalDate date, int page, int size) {
        return guarded("statement", true, () -> api.statement(date.toString(), page, size), (status, json) -> {
            if (status != 200 || json == null) {
                throw unusable(status, json);
            }
            JsonNode lines = json.get("lines");
            JsonNode hasMore = json.get("has_more");
            JsonNode day = json.get("date");
            if (lines == null || !lines.isArray() || hasMore == null || !hasMore.isBoolean()
                    || day != null && !date.toString().equals(day.asText()) || lines.size() > size) {
                throw new BankUnavailable(Kind.UNREADABLE, "statement page is not a page of " + date + " of at most "
                        + size + " lines with has_more: " + abbreviated(json));
            }
            List<StatementLine> read = new ArrayList<>(lines.size());
            for (JsonNode line : lines) {
                read.add(statementLine(line));
            }
            return new Answer<>(new StatementPage(date, page, size, read, hasMore.booleanValue()), "OK");
        });
    }

    /** One line, every field required: a line without an amount must not read as 0. */
    private static StatementLine statementLine(JsonNode line) {
        JsonNode ref = line.get("bank_tran_id");
        JsonNode amount = line.get("amount");
        JsonNode currency = line.get("currency");
        JsonNode executedAt = line.get("executed_at");
        try {
            if (ref == null || !ref.isTextual() || amount == null || !amount.isIntegralNumber()
                    || !amount.canConvertToLong() || currency == null || !currency.isTextual()
                    || executedAt == null || !executedAt.isTextual()) {
                throw new IllegalArgumentException("a field is missing or of the wrong type");
            }
            return new StatementLine(ref.asText(), amount.longValue(), currency.asText(),
                    OffsetDateTime.parse(executedAt.asText()).toInstant());
        } catch (RuntimeException e) {
            throw new BankUnavailable(Kind.UNREADABLE, "statement line " + abbreviated(line) + ": " + e.getMessage());
        }
    }

    /** A usable answer and its {@code outcome} tag. */
    private record Answer<T>(T value, String outcome) {
    }

    @FunctionalInterface
    private interface Reader<T> {
        Answer<T> read(int status, JsonNode json);
    }

    /** What the attempts of one guarded call did: whether any reached the bank, and how the last of those ended. */
    private static final class Attempts {
        final AtomicInteger started = new AtomicInteger();
        final AtomicReference<BankUnavailable> lastFailure = new AtomicReference<>();
    }

    /**
     * One guarded call. {@code read}: the request changes nothing at the bank, so every failure may be retried.
     */
    private <T> Uni<T> guarded(String operation, boolean read, Supplier<Uni<Response>> request, Reader<T> reader) {
        return Uni.createFrom().deferred(() -> {
            Attempts attempts = new Attempts();
            Uni<Answer<T>> call = guard.get(() -> attempt(operation, read, request, reader, attempts),
                    new TypeLiteral<Uni<Answer<T>>>() {
                    });
            return call.onFailure().transform(failure -> settle(operation, failure, attempts)).map(Answer::value);
        });
    }

    /** One HTTP attempt; the guard calls this only once the breaker and the bulkhead have let it through. */
    private <T> Uni<Answer<T>> attempt(String operation, boolean read, Supplier<Uni<Response>> request,
                                       Reader<T> reader, Attempts attempts) {
        if (attempts.started.getAndIncrement() > 0) {
            registry.counter("payout_bank_retries", "operation", operation).increment();
        }
        return Uni.createFrom().deferred(() -> {
            Timer.Sample sample = Timer.start(registry);
            return request.get()
                    // the guard's timeout does not cancel this call, and the client's read timeout is an idle
                    // timeout: this bounds the HTTP exchange itself, so its connection and bulkhead slot are freed
                    .ifNoItem().after(timeout).failWith(() -> new BankUnavailable(Kind.TIMEOUT,
                            operation + " took longer than " + timeout.toMillis() + " ms"))
                    .map(response -> {
                        try (response) {
                            return reader.read(response.getStatus(), JsonResponses.objectOrNull(mapper, response));
                        }
                    })
                    .onFailure().transform(failure -> {
                        BankUnavailable b = failure instanceof BankUnavailable u ? u : transport(failure);
                        return read ? b.asRetryable() : b;
                    })
                    .onItemOrFailure().invoke((answer, failure) -> {
                        String outcome = failure == null ? answer.outcome()
                                : failure instanceof BankUnavailable b ? b.kind().name() : "ERROR";
                        if (failure instanceof BankUnavailable b) {
                            attempts.lastFailure.set(b);
                        }
                        sample.stop(Timer.builder("payout_bank_call_latency")
                                .description("Time of one call to the bank, by operation")
                                .tag("operation", operation)
                                .publishPercentileHistogram()
                                .register(registry));
                        registry.counter("payout_bank_calls", "operation", operation, "outcome", outcome).increment();
                    });
        });
    }

    /** The guard's final failure, as the callers understand it: unknown (bank called) or not called. */
    private Throwable settle(String operation, Throwable failure, Attempts attempts) {
        boolean called = attempts.started.get() > 0;
        Reason refused = failure instanceof CircuitBreakerOpenException ? Reason.CIRCUIT_OPEN
                : failure instanceof BulkheadException ? Reason.BULKHEAD_FULL
                // the whole timeout spent queued in the bulkhead: refused as well, just more slowly
                : failure instanceof org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException && !called
                ? Reason.BULKHEAD_FULL : null;
        if (refused != null) {
            registry.counter("payout_bank_calls_rejected", "operation", operation, "reason", refused.tag).increment();
            if (!called) {
                return new BankNotCalled(refused, operation + " not sent: " + failure.getMessage());
            }
            // an earlier attempt did reach the bank and got no answer; that the retry was refused changes nothing:
            // the outcome is unknown (when the attempt's own failure is not in yet, the guard's timeout came first)
            BankUnavailable last = attempts.lastFailure.get();
            return last != null ? last : new BankUnavailable(Kind.TIMEOUT,
                    operation + " took longer than " + timeout.toMillis() + " ms; the retry was refused (" + refused + ")");
        }
        if (failure instanceof org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException) {
            return new BankUnavailable(Kind.TIMEOUT, operation + " took longer than " + timeout.toMillis() + " ms");
        }
        return failure;
    }

    private static BankUnavailable unusable(int status, JsonNode json) {
        Kind kind = status == 429 ? Kind.HTTP_429
                : status >= 500 ? Kind.HTTP_5XX
                : status >= 200 && status < 300 ? Kind.UNREADABLE
                : Kind.HTTP_OTHER;
        return new BankUnavailable(kind, "HTTP " + status + ": " + abbreviated(json));
    }

    private static String abbreviated(JsonNode json) {
        String body = json == null ? "no JSON body" : json.toString();
        return body.length() > 300 ? body.substring(0, 300) : body;
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
