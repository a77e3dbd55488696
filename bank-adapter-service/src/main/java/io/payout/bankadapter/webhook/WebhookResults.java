package io.payout.bankadapter.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.payout.bankadapter.bank.BankModels;
import io.payout.bankadapter.bank.BankModels.TransferRequest;
import io.payout.bankadapter.dispatch.Dispatches;
import io.payout.bankadapter.messaging.BankMessages;
import io.payout.bankadapter.messaging.BankMessages.WebhookBankResult;
import io.payout.bankadapter.outcome.Reporter;
import io.payout.bankadapter.outcome.Verdict;
import io.payout.platform.inbox.MessageHandler;
import io.payout.platform.inbox.PoisonMessage;
import io.payout.platform.outbox.Envelope;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.reactive.mutiny.Mutiny;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * {@code webhook.bank-result}: the bank's notification (verified and deduplicated by webhook-service), mapped from
 * the bank's ref to our transfer and passed on as {@code bank.result} source WEBHOOK. No bank call: it runs
 * entirely in the inbox's transaction. An unknown ref is a poison message — ops must see a result for money we
 * cannot place. A notification whose amount or currency is not our intent is a collision, never a result.
 */
@ApplicationScoped
public class WebhookResults implements MessageHandler {
    private final Dispatches dispatches;
    private final Reporter reporter;
    private final ObjectMapper mapper;

    public WebhookResults(Dispatches dispatches, Reporter reporter, ObjectMapper mapper) {
        this.dispatches = dispatches;
        this.reporter = reporter;
        this.mapper = mapper;
    }

    @Override
    public Uni<Void> handle(Mutiny.Session session, Envelope m) {
        WebhookBankResult w = BankMessages.read(mapper, m, WebhookBankResult.class);
        if (w.bankTranId() == null || w.bankTranId().isBlank()) {
            throw new PoisonMessage("webhook.bank-result without bank_tran_id");
        }
        if (!BankModels.SUCCEEDED.equals(w.status()) && !BankModels.FAILED.equals(w.status())) {
            throw new PoisonMessage("webhook.bank-result status must be SUCCEEDED or FAILED, not " + w.status());
        }
        return dispatches.byRef(session, w.bankTranId()).flatMap(row -> {
            if (row == null) {
                throw new PoisonMessage("webhook.bank-result for unknown bank_tran_id " + w.bankTranId());
            }
            List<String> differences = differences(request(row.request), w);
            Verdict v = !differences.isEmpty()
                    ? Verdict.collision("the bank's notification for " + w.bankTranId() + " differs from our intent: "
                    + String.join(", ", differences), m.payload())
                    : BankModels.SUCCEEDED.equals(w.status())
                    ? Verdict.succeeded(Verdict.WEBHOOK, m.payload())
                    : Verdict.failed(Verdict.WEBHOOK, w.reason() == null || w.reason().isBlank() ? "FAILED" : w.reason(),
                    m.payload());
            return reporter.report(session, row.transferId, row.externalRef, v, -1);
        });
    }

    private static List<String> differences(TransferRequest ours, WebhookBankResult theirs) {
        List<String> d = new ArrayList<>();
        if (theirs.amount() != null && !Objects.equals(ours.amount(), theirs.amount())) {
            d.add("amount " + theirs.amount() + " (ours " + ours.amount() + ")");
        }
        if (theirs.currency() != null && !ours.currency().equalsIgnoreCase(theirs.currency().strip())) {
            d.add("currency " + theirs.currency() + " (ours " + ours.currency() + ")");
        }
        return d;
    }

    private TransferRequest request(com.fasterxml.jackson.databind.JsonNode json) {
        try {
            return mapper.treeToValue(json, TransferRequest.class);
        } catch (Exception e) {
            throw new IllegalStateException("unreadable dispatch request", e);
        }
    }
}
