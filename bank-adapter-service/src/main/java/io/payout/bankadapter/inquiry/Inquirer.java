package io.payout.bankadapter.inquiry;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.payout.bankadapter.bank.BankClient;
import io.payout.bankadapter.bank.BankModels;
import io.payout.bankadapter.bank.BankModels.InquiryAnswer;
import io.payout.bankadapter.bank.BankModels.TransferRequest;
import io.payout.bankadapter.bank.BankNotCalled;
import io.payout.bankadapter.config.BankConfig;
import io.payout.bankadapter.dispatch.Dispatch;
import io.payout.bankadapter.dispatch.Dispatcher;
import io.payout.bankadapter.messaging.BankMessages;
import io.payout.bankadapter.messaging.BankMessages.BankInquiry;
import io.payout.bankadapter.messaging.BankStep;
import io.payout.bankadapter.outcome.Reporter;
import io.payout.bankadapter.outcome.Verdict;
import io.payout.platform.inbox.MessageHandler;
import io.payout.platform.inbox.PoisonMessage;
import io.payout.platform.outbox.Envelope;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * {@code bank.inquiry}: asks the bank what became of a dispatched transfer ({@code GET /v2/transfers/{ref}}), outside
 * any transaction, then reports in the inbox's transaction.
 * <ul>
 *   <li>SUCCEEDED / FAILED → {@code bank.result}, source INQUIRY;</li>
 *   <li>PROCESSING → nothing yet (recorded on the row; the saga asks again later);</li>
 *   <li>NOT_FOUND once our last call is older than {@code in-flight-grace-ms} (a request we gave up on may still
 *       land) → the bank never received it: it is sent again with the same ref (the retry loop) until
 *       {@code calls-max} calls, then {@code bank.result FAILED NOT_FOUND_AT_BANK}. Both only if no call started
 *       since we asked (the row's call count is the version). A FAILED row never calls the bank again;</li>
 *   <li>no usable answer (timeout, 5xx, 429, and garbage: an unreadable body, an unknown status, an answer about
 *       another ref) → "no answer yet", never FAILED: the bank client retries it (a GET may be repeated freely),
 *       then the message fails and is retried, bounded, then dead-lettered;</li>
 *   <li>not asked at all (circuit breaker open, bulkhead full) → nothing published, the row untouched, the message
 *       acked. The saga asks again on its own schedule (transfer-service's sweeper re-sends {@code bank.inquiry}
 *       for EXPIRED transfers with back-off), so the inquiry is not kept here: an outage then neither burns the
 *       message's attempts nor fills the dead-letter queue with questions that will be asked again anyway.</li>
 * </ul>
 */
@ApplicationScoped
public class Inquirer implements BankStep {
    private static final Logger LOG = Logger.getLogger(Inquirer.class);
    private static final MessageHandler NOTHING = (session, message) -> Uni.createFrom().voidItem();

    private final BankClient bank;
    private final Reporter reporter;
    private final ObjectMapper mapper;
    private final Duration grace;
    private final int callsMax;

    public Inquirer(BankClient bank, Reporter reporter, ObjectMapper mapper, BankConfig config) {
        this.bank = bank;
        this.reporter = reporter;
        this.mapper = mapper;
        // never shorter than one bank call with all its retries: the retries of a call do not count as new calls
        // (the row's call count is bumped once per call), so a NOT_FOUND within that time proves nothing
        this.grace = Duration.ofMillis(Math.max(config.inFlightGraceMs(), BankClient.worstCaseCallMs(config)));
        this.callsMax = config.callsMax();
    }

    @Override
    public Uni<MessageHandler> prepare(Envelope m) {
        BankInquiry cmd = BankMessages.read(mapper, m, BankInquiry.class);
        UUID transferId = cmd.transferId();
        if (transferId == null) {
            throw new PoisonMessage("bank.inquiry without transfer_id");
        }
        return Panache.withSession(() -> Dispatch.<Dispatch>findById(transferId)).flatMap(row -> {
            if (row == null) {
                // nothing was sent under a ref we know; the bank cannot have executed it from us
                throw new PoisonMessage("bank.inquiry for transfer " + transferId + ", which was never dispatched");
            }
            if (cmd.externalRef() != null && !cmd.externalRef().equals(row.externalRef)) {
                throw new PoisonMessage("bank.inquiry for transfer " + transferId + " names external_ref "
                        + cmd.externalRef() + ", its dispatch has " + row.externalRef);
            }
            String ref = row.externalRef;
            int calls = row.calls;
            Instant lastCall = row.lastCallAt;
            TransferRequest ours = request(row);
            // a BankUnavailable failure propagates: the message is retried (bounded), then dead-lettered
            return bank.inquiry(ref).map(answer -> {
                Verdict v = verdict(ours, answer, lastCall, calls);
                boolean notFound = v.isResend()
                        || v.kind() == Verdict.Kind.FAILED && Verdict.NOT_FOUND_AT_BANK.equals(v.reason());
                int expectedCalls = notFound ? calls : -1;
                return (MessageHandler) (session, e) -> reporter.report(session, transferId, ref, v, expectedCalls);
            }).onFailure(BankNotCalled.class).recoverWithItem(e -> {
                LOG.infof("inquiry for transfer %s not sent (%s): the saga will ask again", transferId, e.getMessage());
                return NOTHING;
            });
        });
    }

    private Verdict verdict(TransferRequest ours, InquiryAnswer answer, Instant lastCall, int calls) {
        if (!BankModels.NOT_FOUND.equals(answer.status())) {
            List<String> differences = Dispatcher.differences(ours, answer);
            if (!differences.isEmpty()) {
                return Verdict.collision("the bank's transfer under " + ours.bankTranId() + " differs from our intent: "
                        + String.join(", ", differences), answer.raw());
            }
        }
        return switch (answer.status()) {
            case BankModels.SUCCEEDED -> Verdict.succeeded(Verdict.INQUIRY, answer.raw());
            case BankModels.FAILED -> Verdict.failed(Verdict.INQUIRY,
                    answer.reason() == null || answer.reason().isBlank() ? "FAILED" : answer.reason(), answer.raw());
            case BankModels.PROCESSING -> Verdict.pending(BankModels.PROCESSING, answer.raw());
            case BankModels.NOT_FOUND -> {
                if (lastCall != null && lastCall.plus(grace).isAfter(Instant.now())) {
                    LOG.infof("%s not found at the bank, but our last call was at %s: may still be in flight",
                            ours.bankTranId(), lastCall);
                    yield Verdict.pending(BankModels.NOT_FOUND, answer.raw());
                }
                if (calls < callsMax) {
                    LOG.infof("%s not found at the bank after %d call(s): sending it again", ours.bankTranId(), calls);
                    yield Verdict.resend(answer.raw());
                }
                yield Verdict.failed(Verdict.INQUIRY, Verdict.NOT_FOUND_AT_BANK, answer.raw());
            }
            default -> throw new IllegalStateException("the bank answered an unknown status " + answer.status()
                    + " for " + ours.bankTranId());
        };
    }

    private TransferRequest request(Dispatch row) {
        try {
            return mapper.treeToValue(row.request, TransferRequest.class);
        } catch (Exception e) {
            throw new IllegalStateException("dispatch row of " + row.transferId + " has an unreadable request", e);
        }
    }
}
