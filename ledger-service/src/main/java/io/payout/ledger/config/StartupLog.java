package io.payout.ledger.config;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/** States the effective ledger settings once, at start-up, so a deployment's log shows what it runs with. */
@ApplicationScoped
public class StartupLog {
    private static final Logger LOG = Logger.getLogger(StartupLog.class);

    void onStart(@Observes StartupEvent event, LedgerConfig config) {
        LOG.infof("ledger settings: entries-page-size-max=%d", config.entriesPageSizeMax());
    }
}
