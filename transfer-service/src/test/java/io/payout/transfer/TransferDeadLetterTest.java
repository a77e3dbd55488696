package io.payout.transfer;

import io.payout.testsupport.DeadLetterContract;
import io.payout.testsupport.ServiceTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

import static io.payout.transfer.SagaEvents.accepted;
import static io.payout.transfer.SagaEvents.awaitOutbox;
import static io.payout.transfer.SagaEvents.outbox;
import static io.payout.transfer.SagaEvents.publish;
import static io.payout.transfer.SagaEvents.result;

/**
 * The saga's dead letters ({@link DeadLetterContract}): a bank result for a transfer whose hold is not recorded yet
 * is retried, then dead-lettered; once the hold is recorded, replaying it settles the transfer and sends exactly one
 * {@code ledger.settle}, however often it is replayed.
 */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class TransferDeadLetterTest extends DeadLetterContract {

    @Override
    protected String queue() {
        return "transfer.events";
    }

    @Override
    protected Poison poison() {
        String id = accepted();
        String messageId = publish("bank.result", result(id, "REF-DL", "SUCCEEDED", "INQUIRY"));
        return new Poison() {
            @Override
            public String messageId() {
                return messageId;
            }

            @Override
            public String reason() {
                return "bank result for " + id + " before its hold was recorded";
            }

            @Override
            public void fix() {
                publish("ledger.hold-placed", "{\"transfer_id\":\"" + id + "\"}");
                awaitOutbox(id, "bank.dispatch", 1);
            }

            @Override
            public long effects() {
                return outbox(id, "ledger.settle");
            }
        };
    }
}
