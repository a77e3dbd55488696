package io.payout.platform.auth;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Set;

/**
 * Refuses to start without {@code mp.jwt.verify.audiences} (in production {@code PAYOUT_JWT_AUDIENCE}). SmallRye JWT
 * reads it as optional, so a deployment that forgot it would start and silently skip the audience check; issuer and
 * JWKS location already fail start-up when missing.
 */
@Startup
@ApplicationScoped
public class AudienceRequired {
    public AudienceRequired(@ConfigProperty(name = "mp.jwt.verify.audiences") Set<String> audiences) {
        if (audiences.stream().allMatch(String::isBlank)) {
            throw new IllegalStateException("mp.jwt.verify.audiences (PAYOUT_JWT_AUDIENCE) must name this API's audience");
        }
    }
}
