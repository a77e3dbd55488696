package io.payout.transfer.state;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static io.payout.transfer.state.TransferEvent.BANK_DISPATCHED;
import static io.payout.transfer.state.TransferEvent.BANK_FAILED;
import static io.payout.transfer.state.TransferEvent.BANK_SUCCEEDED;
import static io.payout.transfer.state.TransferEvent.HOLD_PLACED;
import static io.payout.transfer.state.TransferEvent.HOLD_REJECTED;
import static io.payout.transfer.state.TransferEvent.NO_RESULT_IN_TIME;
import static io.payout.transfer.state.TransferState.DISPATCHED;
import static io.payout.transfer.state.TransferState.EXPIRED;
import static io.payout.transfer.state.TransferState.FAILED;
import static io.payout.transfer.state.TransferState.PENDING;
import static io.payout.transfer.state.TransferState.SETTLED;

/**
 * The transfer state machine (SPEC §3) as one table. Each row is applied as one conditional UPDATE
 * ({@code WHERE id = ? AND state IN (from) [AND hold]}); zero rows updated means the transfer is elsewhere already,
 * and the event changes nothing. Decisions depend on the current state, never on arrival order: a bank result may
 * overtake the "dispatched" event, which is why results are accepted from PENDING once the hold is placed.
 */
public final class TransferStateMachine {

    /** What the transition also sends, in the same transaction (an outbox command). */
    public enum Effect { NONE, DISPATCH, SETTLE, RELEASE, INQUIRE }

    /** How a row constrains {@code hold_placed}. */
    public enum Hold { ANY, NOT_YET_PLACED, PLACED }

    public record Transition(TransferEvent on, Set<TransferState> from, Hold hold, TransferState to, Effect effect) {
    }

    private static final List<Transition> TABLE = List.of(
            //  on                 from                                  hold                 to          also send
            row(HOLD_PLACED,       EnumSet.of(PENDING),                  Hold.NOT_YET_PLACED, PENDING,    Effect.DISPATCH),
            row(HOLD_REJECTED,     EnumSet.of(PENDING),                  Hold.NOT_YET_PLACED, FAILED,     Effect.NONE),
            row(BANK_DISPATCHED,   EnumSet.of(PENDING),                  Hold.PLACED,         DISPATCHED, Effect.NONE),
            row(BANK_SUCCEEDED,    EnumSet.of(PENDING, DISPATCHED, EXPIRED), Hold.PLACED,     SETTLED,    Effect.SETTLE),
            row(BANK_FAILED,       EnumSet.of(PENDING, DISPATCHED, EXPIRED), Hold.PLACED,     FAILED,     Effect.RELEASE),
            row(NO_RESULT_IN_TIME, EnumSet.of(DISPATCHED),               Hold.PLACED,         EXPIRED,    Effect.INQUIRE));

    private TransferStateMachine() {
    }

    public static Transition on(TransferEvent event) {
        return TABLE.stream().filter(t -> t.on() == event).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no transition for " + event));
    }

    public static List<Transition> table() {
        return TABLE;
    }

    /**
     * A result that contradicts a terminal state (success after failure or the reverse): recorded for ops,
     * never acted on.
     */
    public static Optional<String> contradiction(TransferState current, TransferEvent event) {
        if (current == SETTLED && event == BANK_FAILED) {
            return Optional.of("bank reports FAILED for a SETTLED transfer");
        }
        if (current == FAILED && event == BANK_SUCCEEDED) {
            return Optional.of("bank reports SUCCEEDED for a FAILED transfer");
        }
        return Optional.empty();
    }

    /** The conditional UPDATE's WHERE clause for a row; states come from the enum, never from input. */
    static String guard(Transition t) {
        String states = t.from().stream().map(s -> "'" + s.name() + "'").sorted().collect(Collectors.joining(", "));
        String hold = switch (t.hold()) {
            case ANY -> "";
            case NOT_YET_PLACED -> " and not hold_placed";
            case PLACED -> " and hold_placed";
        };
        return "id = :id and state in (" + states + ")" + hold;
    }

    private static Transition row(TransferEvent on, Set<TransferState> from, Hold hold, TransferState to, Effect effect) {
        return new Transition(on, from, hold, to, effect);
    }
}
