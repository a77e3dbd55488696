package io.payout.bankadapter.dispatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.payout.bankadapter.bank.BankClient;
import io.payout.bankadapter.bank.BankModels;
import io.payout.bankadapter.bank.BankModels.InquiryAnswer;
import io.payout.bankadapter.bank.BankModels.Original;
import io.payout.bankadapter.bank.BankModels.TransferAnswer;
import io.payout.bankadapter.bank.BankModels.TransferRequest;
import io.payout.bankadapter.bank.BankNotCalled;
import io.payout.bankadapter.bank.BankUnavailable;
import io.payout.bankadapter.config.BankConfig;
import io.payout.bankadapter.messaging.BankMessages;
import io.payout.bankadapter.messaging.BankMessages.BankDispatch;
import io.payout.bankadapter.messaging.BankStep;
import io.payout.bankadapter.outcome.Reporter;
import io.payout.bankadapter.outcome.Verdict;
import io.payout.bankadapter.ref.ExternalRefs;
import io.payout.bankadapter.ref.Intent;
import io.payout.platform.inbox.MessageHandler;
import io.payout.platform.inbox.PoisonMessage;
import io.payout.platform.outbox.Envelope;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * {@code bank.dispatch}: one transfer to the bank, in three steps.
 * <ol>
 *   <li>Transaction 1: insert the dispatch row with its deterministic {@code external_ref} and commit — before the
 *       bank hears of it, so the ref is on record whatever happens next (a redelivery finds the row and counts one
 *       more call on it instead).</li>
 *   <li>The bank call, outside any transaction, with the configured timeout; the answer is classified
 *       ({@link Verdict}).</li>
 *   <li>Transaction 2 (the inbox's): record the verdict on the row, the event in the outbox, the message in the
 *       inbox.</li>
 * </ol>
 * A crash or failure after step 1 redelivers the message, which calls the bank again with the <em>same</em> ref: the
 * bank answers DUPLICATE and an inquiry tells what happened to the first call. When the circuit breaker or the
 * bulkhead refuses the call, step 3 records the row as WAITING instead (nothing published, the message acked, so a
 * long outage does not use up the message's bounded attempts) and {@link WaitingDispatches} calls the bank later. Never a second withdrawal. A message
 * already in the inbox (processed, then redelivered) does not call the bank at all, and neither does a dispatch
 * that is final: a FAILED transfer's hold may already be released, so it must never reach the bank again.
 */
@ApplicationScoped
public class Dispatcher implements BankStep {
    private static final Logger LOG = Logger.getLogger(Dispatcher.class);

    private final BankClient bank;
    private final Dispatches dispatches;
    private final Reporter reporter;
    private final ObjectMapper mapper;
    private final MeterRegistry registry;
    private final ExternalRefs refs;

    public Dispatcher(BankClient bank, Dispatches dispatches, Reporter reporter, ObjectMapper mapper,
                      MeterRegistry registry, BankConfig config) {
        this.bank = bank;
        this.dispatches = dispatches;
        this.reporter = reporter;
        this.mapper = mapper;
        this.registry = registry;
        this.refs = new ExternalRefs(config.institutionCode());
    }

    @Override
    public Uni<MessageHandler> prepare(Envelope m) {
        BankDispatch cmd = BankMessages.read(mapper, m, BankDispatch.class);
        UUID transferId = cmd.transferId();
        Intent intent = intent(cmd);
        String ref = refs.of(intent);
        TransferRequest request = new TransferRequest(ref, intent.sourceAccount(), intent.bankCode(),
                intent.accountNumber(), intent.amountMinor(), intent.currency());
        JsonNode requestJson = mapper.valueToTree(request);

        return Panache.withTransaction(() -> Panache.getSession()
                        .flatMap(session -> dispatches.claim(session, transferId, ref, requestJson)))
                .flatMap(claim -> switch (claim) {
                    case Dispatches.Claim.Call call -> call(request)
                            .map(v -> (MessageHandler) (session, e) -> reporter.report(session, transferId, ref, v, -1));
                    case Dispatches.Claim.Final f -> {
                        LOG.infof("transfer %s is already %s at the bank adapter: not calling the bank again",
                                transferId, f.status());
                        registry.counter("payout_bank_dispatch_skipped", "status", f.status()).increment();
                        yield Uni.createFrom().item((MessageHandler) (session, e) -> Uni.createFrom().voidItem());
                    }
                    case Dispatches.Claim.RefTaken taken -> {
                        Verdict v = Verdict.collision("external_ref " + ref + " is already used by transfer "
                                + taken.otherTransfer() + "; the bank was not called", null);
                        yield Uni.createFrom().item((MessageHandler) (session, e) ->
                                reporter.publish(session, transferId, ref, v));
                    }
                    case Dispatches.Claim.OtherRef other -> throw new PoisonMessage("transfer " + transferId
                            + " was dispatched with external_ref " + other.existingRef() + ", this intent gives " + ref
                            + ": the intent changed");
                });
    }

    private Intent intent(BankDispatch cmd) {
        if (cmd.transferId() == null || cmd.amountMinor() == null) {
            throw new PoisonMessage("bank.dispatch without transfer_id or amount_minor");
        }
        try {
            return Intent.normalized(cmd.clientId(), cmd.clientRequestId(), cmd.sourceAccount(), cmd.bankCode(),
                    cmd.accountNumber(), cmd.amountMinor(), cmd.currency(), cmd.valueDate());
        } catch (IllegalArgumentException e) {
            throw new PoisonMessage("bank.dispatch for " + cmd.transferId() + " is not a valid intent: " + e.getMessage());
        }
    }

    /**
     * Calls the bank (through its guard: timeout, retries with the same ref, breaker, bulkhead) and classifies; never
     * fails: no usable answer is an UNKNOWN verdict, never FAILED, and a call the breaker or the bulkhead refused is
     * a WAITING verdict — nothing happened at the bank, so there is nothing to report, only to try again later.
     */
    Uni<Verdict> call(TransferRequest request) {
        return bank.transfer(request)
                .flatMap(answer -> classify(request, answer))
                .onFailure(BankUnavailable.class).recoverWithItem(e -> Verdict.unknown(e.getMessage(), error(e)))
                .onFailure(BankNotCalled.class).recoverWithItem(e -> {
                    BankNotCalled n = (BankNotCalled) e;
                    return Verdict.waiting(n.reason().name(), n.getMessage(),
                            mapper.createObjectNode().put("not_called", n.reason().name()).put("error", n.getMessage()));
                });
    }

    private Uni<Verdict> classify(TransferRequest request, TransferAnswer a) {
        return switch (a.code()) {
            case BankModels.ACCEPTED -> Uni.createFrom().item(switch (String.valueOf(a.status())) {
                // a bank that settles synchronously says so in the status
                case BankModels.SUCCEEDED -> Verdict.succeeded(Verdict.RESPONSE, a.raw());
                case BankModels.FAILED -> Verdict.failed(Verdict.RESPONSE, reasonOr(a.reason(), "FAILED"), a.raw());
                default -> Verdict.accepted(a.raw());
            });
            case BankModels.SUCCEEDED -> Uni.createFrom().item(Verdict.succeeded(Verdict.RESPONSE, a.raw()));
            case BankModels.REJECTED -> Uni.createFrom().item(
                    Verdict.failed(Verdict.RESPONSE, reasonOr(a.reason(), BankModels.REJECTED), a.raw()));
            case BankModels.INVALID_REQUEST -> Uni.createFrom().item(
                    Verdict.failed(Verdict.RESPONSE, BankModels.INVALID_REQUEST, a.raw()));
            case BankModels.DUPLICATE -> duplicate(request, a);
            default -> Uni.createFrom().item(Verdict.unknown("unrecognized answer code " + a.code(), a.raw()));
        };
    }

    /**
     * The bank already has this ref: an earlier call of ours went through — or, if its original is not our intent,
     * another order hashed to the same ref (a collision: never a success). Otherwise the inquiry tells the result.
     */
    private Uni<Verdict> duplicate(TransferRequest request, TransferAnswer a) {
        registry.counter("payout_duplicates_blocked", "layer", "bank", "outcome", "duplicate_ref").increment();
        List<String> differences = differences(request, a.original());
        if (!differences.isEmpty()) {
            return Uni.createFrom().item(Verdict.collision("the bank's original under " + request.bankTranId()
                    + " differs from our intent: " + String.join(", ", differences), a.raw()));
        }
        // the transfer call did reach the bank (it answered DUPLICATE): if the inquiry then gets no answer, or is not
        // even made (breaker, bulkhead), the outcome is unknown — not "waiting", the money may well have left
        return bank.inquiry(request.bankTranId())
                .map(answer -> afterDuplicate(request, answer))
                .onFailure(e -> e instanceof BankUnavailable || e instanceof BankNotCalled).recoverWithItem(e ->
                        Verdict.unknown("duplicate, then inquiry failed: " + e.getMessage(), a.raw()));
    }

    private static Verdict afterDuplicate(TransferRequest request, InquiryAnswer answer) {
        List<String> differences = differences(request, answer);
        if (!differences.isEmpty()) {
            return Verdict.collision("the bank's transfer under " + request.bankTranId() + " differs from our intent: "
                    + String.join(", ", differences), answer.raw());
        }
        return switch (answer.status()) {
            case BankModels.SUCCEEDED -> Verdict.succeeded(Verdict.INQUIRY, answer.raw());
            case BankModels.FAILED -> Verdict.failed(Verdict.INQUIRY, reasonOr(answer.reason(), "FAILED"), answer.raw());
            case BankModels.PROCESSING -> Verdict.accepted(answer.raw());
            // "duplicate" yet "not found": the bank contradicts itself; only a later inquiry can tell
            default -> Verdict.unknown("duplicate, then inquiry answered " + answer.status(), answer.raw());
        };
    }

    /** What the bank's original order has that our request has not (fields the bank left out are not compared). */
    static List<String> differences(TransferRequest ours, Original theirs) {
        List<String> d = new ArrayList<>();
        if (theirs == null) {
            return d;
        }
        differs(d, "source_account", ours.sourceAccount(), theirs.sourceAccount() == null ? null : theirs.sourceAccount().strip());
        differs(d, "bank_code", ours.bankCode(), theirs.bankCode() == null ? null : theirs.bankCode().strip().toUpperCase());
        differs(d, "account_number", ours.accountNumber(),
                theirs.accountNumber() == null ? null : theirs.accountNumber().replaceAll("[^0-9]", ""));
        differs(d, "amount", ours.amount(), theirs.amount());
        differs(d, "currency", ours.currency(), theirs.currency() == null ? null : theirs.currency().strip().toUpperCase());
        return d;
    }

    /** An inquiry shows amount and currency: enough to tell another order under our ref. */
    public static List<String> differences(TransferRequest ours, InquiryAnswer theirs) {
        List<String> d = new ArrayList<>();
        differs(d, "amount", ours.amount(), theirs.amount());
        differs(d, "currency", ours.currency(), theirs.currency() == null ? null : theirs.currency().strip().toUpperCase());
        return d;
    }

    private static void differs(List<String> out, String field, Object ours, Object theirs) {
        if (theirs != null && !Objects.equals(ours, theirs)) {
            out.add(field + " " + theirs + " (ours " + ours + ")");
        }
    }

    private JsonNode error(Throwable e) {
        return mapper.createObjectNode().put("error", e.getMessage());
    }

    private static String reasonOr(String reason, String fallback) {
        return reason == null || reason.isBlank() ? fallback : reason;
    }
}
