package io.payout.transfer.ops.page;

import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.smallrye.jwt.runtime.auth.JsonWebTokenCredential;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.NewCookie;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.time.Instant;
import java.util.regex.Pattern;

/**
 * The ops page's browser session: the ops user's own JWT in an HttpOnly, SameSite=Strict cookie scoped to
 * {@code /ops}. Browsers cannot send a bearer header on a link, so smallrye-jwt also reads the token from this
 * cookie ({@code mp.jwt.token.cookie}); the JSON API keeps working with {@code Authorization: Bearer}. The cookie
 * never holds anything but the token itself: there is no server-side session to lose or to share between replicas.
 */
@ApplicationScoped
public class OpsSession {
    /** Must equal {@code mp.jwt.token.cookie}. */
    public static final String COOKIE = "payout_ops";
    public static final String PATH = "/ops";
    /** Where a login may send the browser next: a page under /ops, never another site ("//host", "/\host"). */
    private static final Pattern LOCAL_PAGE = Pattern.compile("/ops(/[A-Za-z0-9._~%-][A-Za-z0-9._~%/-]*)?(\\?[^#\\s\\\\]*)?");

    private final IdentityProviderManager identities;
    private final OpsPageConfig config;

    public OpsSession(IdentityProviderManager identities, OpsPageConfig config) {
        this.identities = identities;
        this.config = config;
    }

    /**
     * Verifies the token exactly as a request bearing it would be (same identity provider, issuer, key, expiry).
     * Fails with {@code AuthenticationFailedException} when it is not acceptable.
     */
    public Uni<SecurityIdentity> verify(String token) {
        return identities.authenticate(new TokenAuthenticationRequest(new JsonWebTokenCredential(token)));
    }

    /** The cookie carrying the token, living no longer than the token itself. */
    public NewCookie open(SecurityIdentity identity, String token) {
        long expiresAt = identity.getPrincipal() instanceof JsonWebToken jwt ? jwt.getExpirationTime() : 0;
        int maxAge = (int) Math.max(0, Math.min(Integer.MAX_VALUE, expiresAt - Instant.now().getEpochSecond()));
        return cookie(token, maxAge);
    }

    /** Replaces the cookie with an expired, empty one. */
    public NewCookie close() {
        return cookie("", 0);
    }

    private NewCookie cookie(String value, int maxAge) {
        return new NewCookie.Builder(COOKIE)
                .value(value)
                .path(PATH)
                .maxAge(maxAge)
                .httpOnly(true)
                .secure(config.cookieSecure())
                .sameSite(NewCookie.SameSite.STRICT)
                .build();
    }

    /** {@code next} when it is a page of this site under /ops, otherwise the dashboard. */
    public static String safeNext(String next) {
        return next != null && LOCAL_PAGE.matcher(next).matches() && !next.contains("//") && !next.contains("..")
                ? next : PATH;
    }
}
