package io.payout.transfer;

import io.payout.testsupport.DatabaseRoleContract;
import io.payout.testsupport.ServiceTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

import java.util.Map;
import java.util.Set;

/**
 * transfer-service's runtime role ({@link DatabaseRoleContract}): transfers move through conditional updates; their
 * history and the anomalies are append-only; the inbox is only ever inserted into.
 */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class TransferDatabaseRoleTest extends DatabaseRoleContract {
    @Override
    protected Map<String, Set<String>> grants() {
        return withPlatformTables(
                Map.entry("transfers", UPDATABLE),
                Map.entry("transfer_history", APPEND_ONLY),
                Map.entry("anomalies", APPEND_ONLY),
                Map.entry("inbox", Set.of("INSERT")));
    }
}
