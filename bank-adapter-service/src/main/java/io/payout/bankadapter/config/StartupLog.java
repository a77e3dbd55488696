package io.payout.bankadapter.config;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/** Checks the bank URL and states which bank this instance talks to, once, at start-up. */
@ApplicationScoped
public class StartupLog {
    private static final Logger LOG = Logger.getLogger(StartupLog.class);

    void onStart(@Observes StartupEvent event, BankConfig config) {
        String scheme = config.baseUrl().getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new IllegalStateException("payout.bank.base-url must be an http(s) URL, got " + config.baseUrl());
        }
        LOG.infof("bank settings: base-url=%s institution-code=%s timeout-ms=%d in-flight-grace-ms=%d",
                config.baseUrl(), config.institutionCode(), config.timeoutMs(), config.inFlightGraceMs());
    }
}
