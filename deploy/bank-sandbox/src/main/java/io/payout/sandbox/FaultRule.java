package io.payout.sandbox;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One line of a fault script: {@code fault} strikes with {@code probability} at every decision of the points it
 * applies to. {@code value} is null when the script gave none (the configured default then applies, see
 * {@link Faults}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FaultRule(FaultKind fault, double probability, Long value) {
}
