package io.payout.platform.audit;

import java.util.Map;

/**
 * One ops action to audit: who ({@code actor}, the JWT {@code sub}), what ({@code action}, e.g.
 * {@code dead-letter.replay}), on what ({@code target}, e.g. the dead letter's id), why ({@code reason}, as the
 * operator gave it) and whatever else explains it ({@code details}, stored as JSON).
 */
public record OpsAction(String actor, String action, String target, String reason, Map<String, Object> details) {
}
