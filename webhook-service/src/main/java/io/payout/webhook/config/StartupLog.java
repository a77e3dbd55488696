package io.payout.webhook.config;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/** States the effective webhook settings once, at start-up, so a deployment's log shows what it runs with. */
@ApplicationScoped
public class StartupLog {
    private static final Logger LOG = Logger.getLogger(StartupLog.class);

    void onStart(@Observes StartupEvent event, WebhookConfig config) {
        LOG.infof("webhook settings: body-size-max-bytes=%d", config.bodySizeMaxBytes());
    }
}
