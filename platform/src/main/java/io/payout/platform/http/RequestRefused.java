package io.payout.platform.http;

import io.payout.platform.problem.ProblemType;

/**
 * A request {@link RequestLimits} refused before any endpoint saw it (a CDI event, fired on the event loop: observers
 * must only count). An endpoint that counts its own refusals (e.g. webhook-service's {@code payout_webhooks_rejected})
 * observes it so the early refusals are counted too.
 */
public record RequestRefused(String path, ProblemType type) {
}
