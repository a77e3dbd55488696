package io.payout.bankadapter;

import io.payout.testsupport.DatabaseRoleContract;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

import java.util.Map;
import java.util.Set;

/**
 * bank-adapter-service's runtime role ({@link DatabaseRoleContract}): a dispatch is inserted once, then updated as the
 * bank answers; the inbox is read (a consumed command skips the bank) and inserted into, never changed.
 */
@QuarkusTest
@WithTestResource(BankStub.class)
class BankAdapterDatabaseRoleTest extends DatabaseRoleContract {
    @Override
    protected Map<String, Set<String>> grants() {
        return withPlatformTables(
                Map.entry("dispatches", UPDATABLE),
                Map.entry("inbox", APPEND_ONLY));
    }
}
