package io.payout.ledger;

import io.payout.testsupport.DatabaseRoleContract;
import io.payout.testsupport.ServiceTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

import java.util.Map;
import java.util.Set;

/**
 * ledger-service's runtime role ({@link DatabaseRoleContract}): the journal ({@code postings}, {@code entries}), the
 * accounts and the reconciliation evidence are append-only; balances, hold decisions, runs and the schedule's claims
 * are updated; the inbox is only ever inserted into.
 */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class LedgerDatabaseRoleTest extends DatabaseRoleContract {
    @Override
    protected Map<String, Set<String>> grants() {
        return withPlatformTables(
                Map.entry("accounts", APPEND_ONLY),
                Map.entry("account_balances", UPDATABLE),
                Map.entry("postings", APPEND_ONLY),
                Map.entry("entries", APPEND_ONLY),
                Map.entry("hold_requests", UPDATABLE),
                Map.entry("reconciliations", UPDATABLE),
                Map.entry("reconciliation_schedule", UPDATABLE),
                Map.entry("reconciliation_lines", APPEND_ONLY),
                Map.entry("reconciliation_mismatches", APPEND_ONLY),
                Map.entry("inbox", Set.of("INSERT")));
    }

    @Override
    protected Set<String> sequences() {
        return Set.of("entries_id_seq");
    }
}
