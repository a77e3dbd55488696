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

    /**
     * Takes an order. The first order under a {@code bank_tran_id} is rejected or executed (once, whatever the
     * concurrency: the book's putIfAbsent decides); any later one is a duplicate that changes nothing.
     */
    public Executions.Submission submit(TransferOrder order) {
        String reject = order.accountNumber().endsWith(REJECTED_ACCOUNT_SUFFIX) ? INVALID_ACCOUNT : null;
        Executions.Submission s = executions.submit(order, reject, Instant.now(), config.zone());
        if (!s.first()) {
            registry.counter("sandbox_transfers", "outcome", "duplicate").increment();
            return s;
        }
        BankTransfer t = s.transfer();
        if (t.isFinal()) {
            registry.counter("sandbox_transfers", "outcome", "rejected").increment();
            webhooks.resultOf(t);
        } else {
            registry.counter("sandbox_transfers", "outcome", "accepted").increment();
            long sequence = t.sequence();
            vertx.setTimer(Math.max(1, config.settleDelayMs()), id -> settle(t.bankTranId(), sequence));
        }
        return s;
    }

    private void settle(String bankTranId, long sequence) {
        executions.settle(bankTranId, sequence).ifPresentOrElse(webhooks::resultOf,
                () -> LOG.debugf("settlement of %s skipped: reset or already final", bankTranId));
    }
}
