package io.payout.bankadapter;

import io.payout.bankadapter.Adapter.Transfer;
import io.payout.testsupport.DeadLetterContract;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static io.payout.bankadapter.Adapter.accepted;
import static io.payout.bankadapter.Adapter.awaitEvent;
import static io.payout.bankadapter.Adapter.events;
import static io.payout.bankadapter.Adapter.onTransfer;
import static io.payout.bankadapter.Adapter.publish;
import static io.payout.bankadapter.Adapter.transfer;

/**
 * The adapter's dead letters ({@link DeadLetterContract}): the bank's webhook for a ref we have not dispatched yet
 * is dead-lettered; once the dispatch exists, replaying it reports exactly one {@code bank.result}, however often it
 * is replayed.
 */
@QuarkusTest
@WithTestResource(BankStub.class)
class BankAdapterDeadLetterTest extends DeadLetterContract {

    @Override
    protected String queue() {
        return "bank-adapter.commands";
    }

    @Override
    protected Poison poison() {
        Transfer t = transfer();
        String messageId = publish("webhook.bank-result", "{\"event_id\":\"evt_" + UUID.randomUUID()
                + "\",\"bank_tran_id\":\"" + t.ref() + "\",\"status\":\"SUCCEEDED\",\"amount\":" + t.amount()
                + ",\"currency\":\"KRW\",\"reason\":null}");
        return new Poison() {
            @Override
            public String messageId() {
                return messageId;
            }

            @Override
            public String reason() {
                return "unknown bank_tran_id " + t.ref();
            }

            @Override
            public void fix() {
                onTransfer(t.ref(), okJson(accepted(t.ref())));
                t.dispatch();
                awaitEvent(t.id(), "bank.dispatched");
            }

            @Override
            public long effects() {
                return events(t.id(), "bank.result").size();
            }
        };
    }
}
