package io.payout.platform.deadletter;

import java.util.List;

/** One page of kept dead letters, newest first. */
public record DeadLetterPage(int page, int size, List<DeadLetterView> items) {
}
