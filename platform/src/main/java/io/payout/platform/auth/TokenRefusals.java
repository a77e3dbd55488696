package io.payout.platform.auth;

import io.payout.platform.problem.ProblemException;
import io.payout.platform.problem.ProblemType;
import io.quarkus.security.AuthenticationFailedException;
import org.jose4j.jwt.consumer.InvalidJwtException;

/**
 * Why a request is not authenticated, as a stable code: {@code UNAUTHORIZED} (no bearer token at all),
 * {@code TOKEN_EXPIRED} (past {@code exp}, or issued longer ago than {@code mp.jwt.verify.token.age}: get a new one)
 * or {@code TOKEN_INVALID} (anything else: signature, unknown {@code kid}, algorithm, issuer, audience, missing
 * {@code exp}, lifetime). Which check failed beyond that is logged by SmallRye JWT, not told to the caller.
 */
public final class TokenRefusals {
    private TokenRefusals() {
    }

    public static ProblemException of(RuntimeException failure) {
        if (!(failure instanceof AuthenticationFailedException)) {
            // no credentials reached the JWT mechanism: the request had no (bearer) token
            return ProblemException.of(ProblemType.UNAUTHORIZED, "A valid bearer token is required");
        }
        for (Throwable t = failure; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof InvalidJwtException jwt && jwt.hasExpired()) {
                return ProblemException.of(ProblemType.TOKEN_EXPIRED, "The token has expired");
            }
        }
        return ProblemException.of(ProblemType.TOKEN_INVALID,
                "The token cannot be verified (signature, key id, algorithm, issuer, audience or lifetime)");
    }
}
