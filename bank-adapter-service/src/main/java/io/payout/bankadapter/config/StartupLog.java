package io.payout.bankadapter.config;

import io.payout.bankadapter.bank.BankClient;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/** Checks the bank settings that depend on each other and states them, once, at start-up. */
@ApplicationScoped
public class StartupLog {
    private static final Logger LOG = Logger.getLogger(StartupLog.class);

    void onStart(@Observes StartupEvent event, BankConfig config) {
        String scheme = config.baseUrl().getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new IllegalStateException("payout.bank.base-url must be an http(s) URL, got " + config.baseUrl());
        }
        // an inquiry's NOT_FOUND fails a transfer once our last call is older than the grace; with retries, the last
        // attempt of a call starts up to this long after the call was counted, so the inquirer never uses less
        long worstCase = BankClient.worstCaseCallMs(config);
        if (config.inFlightGraceMs() < worstCase) {
            LOG.warnf("payout.bank.in-flight-grace-ms (%d) is shorter than the longest bank call with its retries"
                    + " (%d ms = timeout-ms x (1 + retries-max) + back-offs): NOT_FOUND waits %d ms instead",
                    config.inFlightGraceMs(), worstCase, worstCase);
        }
        if (config.waitConcurrency() >= config.bulkheadMax()) {
            LOG.warnf("payout.bank.wait-concurrency (%d) >= bulkhead-max (%d): the retry loop can fill the bulkhead"
                    + " and make message-driven dispatches wait", config.waitConcurrency(), config.bulkheadMax());
        }
        LOG.infof("bank settings: base-url=%s institution-code=%s timeout-ms=%d in-flight-grace-ms=%d", config.baseUrl(),
                config.institutionCode(), config.timeoutMs(), config.inFlightGraceMs());
        LOG.infof("bank fault tolerance: retries-max=%d retry-delay-ms=%d (x2, max %d, jitter %d) worst-case-call-ms=%d;"
                        + " breaker failure-ratio=%.2f request-volume=%d delay-ms=%d success-threshold=%d;"
                        + " bulkhead max=%d queue=%d; waiting dispatches: delay-ms=%d max-delay-ms=%d poll-interval-ms=%d",
                config.retriesMax(), config.retryDelayMs(), config.retryMaxDelayMs(), config.retryJitterMs(), worstCase,
                config.breakerFailureRatio(), config.breakerRequestVolume(), config.breakerDelayMs(),
                config.breakerSuccessThreshold(), config.bulkheadMax(), config.bulkheadQueue(), config.waitDelayMs(),
                config.waitMaxDelayMs(), config.waitPollIntervalMs());
    }
}
