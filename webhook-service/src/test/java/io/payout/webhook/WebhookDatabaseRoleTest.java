package io.payout.webhook;

import io.payout.testsupport.DatabaseRoleContract;
import io.payout.testsupport.ServiceTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

import java.util.Map;
import java.util.Set;

/**
 * webhook-service's runtime role ({@link DatabaseRoleContract}): the bank's events as received and the dispatch traces
 * are append-only; the inbox is only ever inserted into.
 */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class WebhookDatabaseRoleTest extends DatabaseRoleContract {
    @Override
    protected Map<String, Set<String>> grants() {
        return withPlatformTables(
                Map.entry("webhook_events", APPEND_ONLY),
                Map.entry("dispatch_traces", APPEND_ONLY),
                Map.entry("inbox", Set.of("INSERT")));
    }
}
