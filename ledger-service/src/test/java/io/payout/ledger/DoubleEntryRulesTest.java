package io.payout.ledger;

import io.payout.testsupport.ServiceTestResource;
import io.payout.testsupport.TestInfra;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import static io.payout.ledger.Ledger.CLIENT_A;
import static io.payout.ledger.Ledger.account;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The ledger's rules hold in the database itself, whatever code writes to it: postings balance, entries match their
 * account's currency, balances never go negative, settle and release exclude each other, ids cannot be spoofed.
 */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class DoubleEntryRulesTest {

    @Test
    void anUnbalancedPostingIsRefusedAtCommit() throws Exception {
        String a = account(CLIENT_A, 0);
        var before = Ledger.Written.now();
        for (String entries : java.util.List.of(
                "('" + a + "', 100), ('funding:KRW', -99)",
                "('" + a + "', 100)")) {
            try (Connection c = connect()) {
                c.setAutoCommit(false);
                UUID posting = UUID.randomUUID();
                sql(c, "insert into postings (id, kind, reference) values ('" + posting + "', 'DEPOSIT', 'r-" + posting + "')");
                sql(c, "insert into entries (posting_id, account_id, amount_minor, currency) select '" + posting
                        + "'::uuid, e.account, e.amount, 'KRW' from (values " + entries + ") e (account, amount)");
                assertThatThrownBy(c::commit).isInstanceOf(SQLException.class).hasMessageContaining("unbalanced");
            }
        }
        try (Connection c = connect()) {
            assertThatThrownBy(() -> sql(c, "insert into postings (id, kind, reference) values ('" + UUID.randomUUID()
                    + "', 'DEPOSIT', 'r-empty-" + UUID.randomUUID() + "')"))
                    .as("a posting without entries").hasMessageContaining("unbalanced");
        }
        assertThat(Ledger.Written.now()).isEqualTo(before);
    }

    @Test
    void anEntryIsInItsAccountsCurrency() throws Exception {
        String a = account(CLIENT_A, 0);
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            UUID posting = UUID.randomUUID();
            sql(c, "insert into postings (id, kind, reference) values ('" + posting + "', 'DEPOSIT', 'r-" + posting + "')");
            assertThatThrownBy(() -> sql(c, "insert into entries (posting_id, account_id, amount_minor, currency) values ('"
                    + posting + "', '" + a + "', 100, 'USD'), ('" + posting + "', 'funding:USD', -100, 'USD')"))
                    .hasMessageContaining("entries_account_currency");
        }
    }

    @Test
    void theBalanceRowNeverGoesNegative() throws Exception {
        String a = account(CLIENT_A, 100);
        try (Connection c = connect()) {
            assertThatThrownBy(() -> sql(c, "update account_balances set available_minor = available_minor - 101"
                    + " where account_id = '" + a + "'")).hasMessageContaining("account_balances_available_not_negative");
            assertThatThrownBy(() -> sql(c, "update account_balances set held_minor = -1 where account_id = '" + a + "'"))
                    .hasMessageContaining("account_balances_held_not_negative");
        }
        assertThat(Ledger.available(a)).isEqualTo(100);
    }

    @Test
    void settleAndReleaseOfOneTransferExcludeEachOther() throws Exception {
        UUID transfer = UUID.randomUUID();
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            sql(c, "insert into postings (id, transfer_id, kind) values ('" + UUID.randomUUID() + "', '" + transfer + "', 'SETTLE')");
            assertThatThrownBy(() -> sql(c, "insert into postings (id, transfer_id, kind) values ('" + UUID.randomUUID()
                    + "', '" + transfer + "', 'RELEASE')")).hasMessageContaining("postings_settle_xor_release");
            c.rollback();
            sql(c, "insert into postings (id, transfer_id, kind) values ('" + UUID.randomUUID() + "', '" + transfer + "', 'HOLD')");
            assertThatThrownBy(() -> sql(c, "insert into postings (id, transfer_id, kind) values ('" + UUID.randomUUID()
                    + "', '" + transfer + "', 'HOLD')")).hasMessageContaining("postings_once_per_transfer");
            c.rollback();
        }
    }

    @Test
    void customerAndSystemAccountIdsCannotBeConfused() throws Exception {
        try (Connection c = connect()) {
            assertThatThrownBy(() -> sql(c, "insert into accounts (id, currency, owner, kind)"
                    + " values ('holds:JPY', 'JPY', 'client-a', 'CUSTOMER')")).hasMessageContaining("accounts_");
            assertThatThrownBy(() -> sql(c, "insert into accounts (id, currency, owner, kind)"
                    + " values ('holds:JPY', 'JPY', 'client-a', 'HOLDS')")).hasMessageContaining("accounts_owner_iff_customer");
            assertThatThrownBy(() -> sql(c, "insert into accounts (id, currency, owner, kind)"
                    + " values ('vault:JPY', 'JPY', null, 'HOLDS')")).hasMessageContaining("accounts_ids_by_kind");
        }
    }

    private static Connection connect() throws SQLException {
        return TestInfra.connect(ServiceTestResource.database());
    }

    private static void sql(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
