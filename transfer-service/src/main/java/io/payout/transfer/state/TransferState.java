package io.payout.transfer.state;

/** The states of a transfer (SPEC §3). EXPIRED is not terminal: late bank results are still accepted. */
public enum TransferState {
    PENDING(false),
    DISPATCHED(false),
    EXPIRED(false),
    SETTLED(true),
    FAILED(true);

    private final boolean terminal;

    TransferState(boolean terminal) {
        this.terminal = terminal;
    }

    public boolean terminal() {
        return terminal;
    }
}
