package io.payout.transfer.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.payout.platform.problem.ProblemException;
import io.payout.platform.problem.ProblemMappers;
import io.payout.platform.problem.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * One Bucket4j token bucket per client ({@code sub}), in this instance's memory: no shared state, no locks across
 * replicas. Buckets live in a Caffeine cache bounded by {@code clients-max}; an idle client's bucket is dropped once it
 * would be full again anyway.
 */
@ApplicationScoped
public class ClientRateLimiter {
    private final RateLimitConfig config;
    private final Bandwidth bandwidth;
    private final Cache<String, Bucket> buckets;

    public ClientRateLimiter(RateLimitConfig config) {
        this.config = config;
        Duration perToken = Duration.ofNanos(Math.max(1, Math.round(1e9 / config.requestsPerSecond())));
        this.bandwidth = Bandwidth.builder().capacity(config.burst()).refillGreedy(1, perToken).build();
        this.buckets = Caffeine.newBuilder()
                .maximumSize(config.clientsMax())
                .expireAfterAccess(perToken.multipliedBy(config.burst()))
                .build();
    }

    /**
     * Takes one request from the client's budget; when it is spent, the 429 answer to send instead (RATE_LIMITED,
     * {@code Retry-After} in whole seconds, at least 1).
     */
    public Optional<Response> refusal(String clientId) {
        if (!config.enabled()) {
            return Optional.empty();
        }
        Bucket bucket = buckets.get(clientId, id -> Bucket.builder().addLimit(bandwidth).build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            return Optional.empty();
        }
        long retryAfterS = Math.max(1, (long) Math.ceil(probe.getNanosToWaitForRefill() / (double) TimeUnit.SECONDS.toNanos(1)));
        return Optional.of(Response.fromResponse(ProblemMappers.respond(ProblemException.of(ProblemType.RATE_LIMITED,
                        "Too many transfer requests from this client; retry after " + retryAfterS + " s")))
                .header(HttpHeaders.RETRY_AFTER, retryAfterS)
                .build());
    }
}
