package io.payout.sandbox;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Instant;

/**
 * The bank's behaviour around its book: the rejection rule, the settlement timer, and a webhook for every final
 * result. Nothing here blocks: timers and webhook deliveries run on Vert.x.
 */
@ApplicationScoped
public class SandboxBank {
    private static final Logger LOG = Logger.getLogger(SandboxBank.class);
    /** Scripted rejection: a destination account number ending in this is refused definitively. */
    static final String REJECTED_ACCOUNT_SUFFIX = "0000";
    static final String INVALID_ACCOUNT = "INVALID_ACCOUNT";

    private final Executions executions;
    private final WebhookSender webhooks;
    private final Faults faults;
    private final SandboxConfig config;
    private final Vertx vertx;
    private final MeterRegistry registry;

    public SandboxBank(Executions executions, WebhookSender webhooks, Faults faults, SandboxConfig config, Vertx vertx,
                       MeterRegistry registry) {
        this.executions = executions;
        this.webhooks = webhooks;
        this.faults = faults;
        this.config = config;
        this.vertx = vertx;
        this.registry = registry;
    }

    /** What the bank did with an order. */
    public enum Outcome {
        /** first order under its ref, money left (PROCESSING until settled) */
        EXECUTED,
        /** first order under its ref, refused: no money left, FAILED */
        REJECTED,
        /** a repeat: nothing changed */
        DUPLICATE,
        /** a repeat the buggy bank executed anyway ({@code ignore_duplicate_ref}): money left again */
        EXECUTED_AGAIN
    }

    public record Result(Outcome outcome, BankTransfer transfer) {
    }

    /**
     * Takes an order. The first order under a {@code bank_tran_id} is rejected or executed (once, whatever the
     * concurrency: the book's putIfAbsent decides); any later one is a duplicate that changes nothing, unless
     * {@code ignoreDuplicateRef} (the fault) makes the bank withdraw again for a ref that already executed.
     * A re-execution sends no webhook and starts no settle timer: the ref has one result, already on its way.
     */
    public Result submit(TransferOrder order, boolean ignoreDuplicateRef) {
        String reject = order.accountNumber().endsWith(REJECTED_ACCOUNT_SUFFIX) ? INVALID_ACCOUNT : null;
        Instant now = Instant.now();
        Executions.Submission s = executions.submit(order, reject, now, config.zone());
        if (!s.first()) {
            if (ignoreDuplicateRef) {
                var again = executions.executeAgain(order, now, config.zone());
                if (again.isPresent()) {
                    faults.fired(FaultKind.IGNORE_DUPLICATE_REF);
                    registry.counter("sandbox_transfers", "outcome", "executed_again").increment();
                    LOG.infof("fault ignore_duplicate_ref: %s executed again (%d withdrawals)", order.bankTranId(),
                            again.get().withdrawals().size());
                    return new Result(Outcome.EXECUTED_AGAIN, again.get());
                }
            }
            registry.counter("sandbox_transfers", "outcome", "duplicate").increment();
            return new Result(Outcome.DUPLICATE, s.transfer());
        }
        BankTransfer t = s.transfer();
        if (t.isFinal()) {
            registry.counter("sandbox_transfers", "outcome", "rejected").increment();
            webhooks.resultOf(t);
            return new Result(Outcome.REJECTED, t);
        }
        registry.counter("sandbox_transfers", "outcome", "accepted").increment();
        long sequence = t.sequence();
        vertx.setTimer(Math.max(1, config.settleDelayMs()), id -> settle(t.bankTranId(), sequence));
        return new Result(Outcome.EXECUTED, t);
    }

    private void settle(String bankTranId, long sequence) {
        executions.settle(bankTranId, sequence).ifPresentOrElse(webhooks::resultOf,
                () -> LOG.debugf("settlement of %s skipped: reset or already final", bankTranId));
    }
}
