package io.payout.ledger;

import io.payout.ledger.account.Account;
import io.payout.ledger.account.AccountKind;
import io.payout.ledger.config.LedgerConfig;
import io.payout.testsupport.Rows;
import io.payout.testsupport.OperableService;
import io.payout.testsupport.ServiceTestResource;
import io.payout.testsupport.TestInfra;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The service starts on its own database and vhost, is ready, and its operability endpoints answer. */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class LedgerSkeletonTest implements OperableService {

    @Inject
    LedgerConfig config;

    @Test
    void configDefaults() {
        assertThat(config.entriesPageSizeMax()).isEqualTo(200);
    }

    @Test
    void accountRoundTripsThroughTheEntity() throws Throwable {
        Account a = new Account();
        a.id = "acc-" + UUID.randomUUID();
        a.currency = "KRW";
        a.owner = "client-a";
        a.kind = AccountKind.CUSTOMER;
        a.createdAt = Instant.now();
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(a::persist));

        assertThat(Rows.count("select count(*) from accounts where id = ? and kind = 'CUSTOMER' and owner = 'client-a'",
                a.id)).isEqualTo(1);
        Account read = VertxContextSupport.subscribeAndAwait(
                () -> Panache.withSession(() -> Account.<Account>findById(a.id)));
        assertThat(read.kind).isEqualTo(AccountKind.CUSTOMER);
        assertThat(read.currency).isEqualTo("KRW");
    }

    @Test
    void entriesAreAppendOnly() throws SQLException {
        String account = "acc-" + UUID.randomUUID();
        UUID posting = UUID.randomUUID();
        long entryId;
        try (Connection c = TestInfra.connect(ServiceTestResource.database())) {
            execute(c, "insert into accounts (id, currency, owner, kind) values ('" + account
                    + "', 'KRW', 'client-a', 'CUSTOMER')");
            // a balanced posting, committed as one transaction (the zero-sum check runs at commit)
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(
                    "insert into postings (id, transfer_id, kind, reference) values (?, null, 'DEPOSIT', ?)")) {
                ps.setObject(1, posting);
                ps.setString(2, "dep-" + posting);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "insert into entries (posting_id, account_id, amount_minor, currency) values (?, ?, 1000, 'KRW'), "
                            + "(?, 'funding:KRW', -1000, 'KRW') returning id")) {
                ps.setObject(1, posting);
                ps.setString(2, account);
                ps.setObject(3, posting);
                var rs = ps.executeQuery();
                rs.next();
                entryId = rs.getLong(1);
            }
            c.commit();
            c.setAutoCommit(true);

            assertThatThrownBy(() -> execute(c, "update entries set amount_minor = 1 where id = " + entryId))
                    .isInstanceOf(SQLException.class).hasMessageContaining("append-only");
            assertThatThrownBy(() -> execute(c, "delete from entries where id = " + entryId))
                    .isInstanceOf(SQLException.class).hasMessageContaining("append-only");
            assertThatThrownBy(() -> execute(c, "truncate entries cascade"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("append-only");

            try (Statement st = c.createStatement();
                 var rs = st.executeQuery("select amount_minor from entries where id = " + entryId)) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(1000);
            }
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
