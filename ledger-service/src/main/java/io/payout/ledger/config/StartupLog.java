package io.payout.ledger.config;

import io.payout.platform.money.Currencies;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/** States the effective ledger settings once, at start-up, so a deployment's log shows what it runs with. */
@ApplicationScoped
public class StartupLog {
    private static final Logger LOG = Logger.getLogger(StartupLog.class);

    void onStart(@Observes StartupEvent event, LedgerConfig config) {
        for (String code : config.currencies()) {
            if (Currencies.iso(code).isEmpty()) {
                // a typo here would silently refuse every account in that currency: refuse to start instead
                throw new IllegalStateException("payout.ledger.currencies: '" + code + "' is not an upper-case ISO 4217 code");
            }
        }
        LOG.infof("ledger settings: entries-page-size-max=%d, currencies=%s, body-size-max-bytes=%d",
                config.entriesPageSizeMax(), config.currencies().stream().sorted().toList(), config.bodySizeMaxBytes());
    }
}
