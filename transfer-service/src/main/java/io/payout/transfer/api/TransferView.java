package io.payout.transfer.api;

import io.payout.platform.money.Currencies;
import io.payout.transfer.state.Transfer;
import io.payout.transfer.state.TransferHistory;
import io.payout.transfer.state.TransferState;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * The transfer resource as the API shows it (snake_case on the wire). {@code traceId} is the trace of the POST that
 * created it, which the whole saga continues: the key to its trace in the trace viewer (docs/operating/README.md "Traces").
 */
public record TransferView(
        UUID id,
        String clientRequestId,
        TransferState state,
        boolean processing,
        String sourceAccount,
        Destination destination,
        String amount,
        String currency,
        String memo,
        LocalDate valueDate,
        String externalRef,
        String failureReason,
        String traceId,
        Instant createdAt,
        Instant updatedAt,
        List<Step> history) {

    public record Destination(String bankCode, String accountNumber) {
    }

    public record Step(TransferState state, Instant at) {
    }

    public static TransferView of(Transfer t, List<TransferHistory> history) {
        return new TransferView(t.id, t.clientRequestId, t.state, !t.state.terminal(), t.sourceAccount,
                new Destination(t.destBankCode, t.destAccountNumber),
                Currencies.format(t.amountMinor, t.currency), t.currency, t.memo, t.valueDate, t.externalRef,
                t.failureReason, t.traceId, t.createdAt, t.updatedAt,
                history.stream().map(h -> new Step(h.state, h.at)).toList());
    }
}
