package io.payout.transfer.intake;

import java.util.UUID;

/** The answer to a POST: the first answer's status and exact body, and whether this is a replay of it. */
public record IntakeResult(UUID transferId, int status, String body, boolean replayed) {
}
