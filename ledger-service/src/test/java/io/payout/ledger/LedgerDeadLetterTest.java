package io.payout.ledger;

import io.payout.testsupport.DeadLetterContract;
import io.payout.testsupport.ServiceTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

import java.util.UUID;

import static io.payout.ledger.Ledger.CLIENT_A;
import static io.payout.ledger.Ledger.account;
import static io.payout.ledger.Ledger.awaitConsumed;
import static io.payout.ledger.Ledger.holdPayload;
import static io.payout.ledger.Ledger.postings;
import static io.payout.ledger.Ledger.publish;
import static io.payout.ledger.Ledger.settlePayload;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ledger's dead letters ({@link DeadLetterContract}): a {@code ledger.settle} for a transfer without a hold is
 * dead-lettered; once the hold is placed, replaying it posts exactly one SETTLE, however often it is replayed.
 */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class LedgerDeadLetterTest extends DeadLetterContract {

    @Override
    protected String queue() {
        return "ledger.commands";
    }

    @Override
    protected Poison poison() {
        String account = account(CLIENT_A, 1000);
        UUID transfer = UUID.randomUUID();
        String messageId = publish("ledger.settle", transfer, settlePayload(transfer, 300, "KRW", "REF-DL"));
        return new Poison() {
            @Override
            public String messageId() {
                return messageId;
            }

            @Override
            public String reason() {
                return "no hold placed for transfer " + transfer;
            }

            @Override
            public void fix() {
                awaitConsumed(publish("ledger.hold", transfer, holdPayload(transfer, CLIENT_A, account, 300, "KRW")));
                assertThat(postings(transfer, "HOLD")).isEqualTo(1);
            }

            @Override
            public long effects() {
                return postings(transfer, "SETTLE");
            }
        };
    }
}
