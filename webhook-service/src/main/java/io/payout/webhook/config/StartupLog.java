package io.payout.webhook.config;

import io.payout.webhook.verify.SigningSecrets;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/** States the effective webhook settings once, at start-up, so a deployment's log shows what it runs with. */
@ApplicationScoped
public class StartupLog {
    private static final Logger LOG = Logger.getLogger(StartupLog.class);

    void onStart(@Observes StartupEvent event, WebhookConfig config) {
        // how many secrets, never which: the log is not a place for keys
        LOG.infof("webhook settings: body-size-max-bytes=%d tolerance-ms=%d signing-secrets=%d",
                config.bodySizeMaxBytes(), config.toleranceMs(), config.secrets().size());
        if (config.secrets().stream().anyMatch(s -> SigningSecrets.DEV_ONLY_SECRET.equals(s.strip()))) {
            LOG.warn("payout.webhook.secrets includes the public development secret: anyone can sign webhooks this "
                    + "service accepts. Set PAYOUT_WEBHOOK_SECRETS outside local runs");
        }
    }
}
