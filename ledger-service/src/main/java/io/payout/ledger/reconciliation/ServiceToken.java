package io.payout.ledger.reconciliation;

import io.payout.ledger.config.ReconciliationConfig;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.util.KeyUtils;
import io.smallrye.jwt.util.ResourceUtils;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.security.PrivateKey;
import java.time.Instant;
import java.util.Set;

/**
 * The short-lived RS256 token the ledger calls bank-adapter's statement endpoint with: {@code sub} ledger-service,
 * {@code groups} [statement-reader], the issuer and audience every service verifies, signed with the ledger's own key
 * and carrying its {@code kid}: bank-adapter trusts it once that key's public half is in the JWKS (docs/operating/README.md).
 */
@ApplicationScoped
public class ServiceToken {
    private static final Logger LOG = Logger.getLogger(ServiceToken.class);
    static final String SUBJECT = "ledger-service";
    static final String GROUP = "statement-reader";

    private final ReconciliationConfig.Token config;
    /** Read once at start-up (file I/O must not run on the event loop); null when no key is configured. */
    private volatile PrivateKey key;

    public ServiceToken(ReconciliationConfig config) {
        this.config = config.token();
    }

    void load(@Observes StartupEvent event) {
        config.keyLocation().ifPresentOrElse(location -> {
            try {
                // a plain path is a file (then the classpath); file:, classpath: and http(s): work too
                String pem = ResourceUtils.readResource(location);
                key = pem == null ? null : KeyUtils.decodePrivateKey(pem);
            } catch (Exception e) {
                // configured but unreadable: a deployment mistake, refuse to start rather than fail every run
                throw new IllegalStateException("payout.ledger.reconciliation.token.key-location: cannot read a "
                        + "PEM private key from " + location + ": " + e, e);
            }
            if (key == null) {
                throw new IllegalStateException("payout.ledger.reconciliation.token.key-location: no private key at "
                        + location);
            }
        }, () -> LOG.warn("payout.ledger.reconciliation.token.key-location is not set: reconciliation runs cannot "
                + "call bank-adapter and will fail"));
    }

    /** A fresh bearer token; fails (the run FAILS with the reason) when no key is configured. */
    public String bearer() {
        PrivateKey k = key;
        if (k == null) {
            throw new StatementUnavailable(502, "no signing key for the bank-adapter token "
                    + "(payout.ledger.reconciliation.token.key-location)");
        }
        Instant now = Instant.now();
        return "Bearer " + Jwt.issuer(config.issuer())
                .audience(config.audience())
                .subject(SUBJECT)
                .groups(Set.of(GROUP))
                .issuedAt(now)
                .expiresAt(now.plusSeconds(config.lifetimeS()))
                .jws().algorithm(io.smallrye.jwt.algorithm.SignatureAlgorithm.RS256).keyId(config.keyId())
                .sign(k);
    }
}
