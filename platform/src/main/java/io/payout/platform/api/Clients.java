package io.payout.platform.api;

import io.payout.platform.problem.ProblemException;
import io.payout.platform.problem.ProblemType;
import io.quarkus.security.identity.SecurityIdentity;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** Who is calling: the client id is the token's {@code sub} (SPEC §2), in every service. */
public final class Clients {
    private Clients() {
    }

    /**
     * The token's {@code sub} — never the principal name, which SmallRye JWT takes from {@code upn} or
     * {@code preferred_username} first and which a client could therefore set to someone else's id.
     */
    public static String clientId(SecurityIdentity identity) {
        String sub = identity.getPrincipal() instanceof JsonWebToken jwt ? jwt.getSubject() : null;
        if (sub == null || sub.isBlank()) {
            throw ProblemException.of(ProblemType.UNAUTHORIZED, "The token has no subject (client id)");
        }
        return sub;
    }
}
