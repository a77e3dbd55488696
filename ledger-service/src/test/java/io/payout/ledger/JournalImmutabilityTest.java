package io.payout.ledger;

import io.payout.testsupport.ServiceTestResource;
import io.payout.testsupport.TestInfra;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;

import static io.payout.ledger.Ledger.CLIENT_A;
import static io.payout.ledger.Ledger.account;
import static io.payout.ledger.Ledger.awaitConsumed;
import static io.payout.ledger.Ledger.hold;
import static io.payout.ledger.Ledger.publish;
import static io.payout.ledger.Ledger.settlePayload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The journal cannot be rewritten. The service's own runtime role (the one it runs as) holds only SELECT and INSERT
 * on {@code postings} and {@code entries}: every UPDATE, DELETE and TRUNCATE is refused by permission before any
 * trigger. Even the owner of the tables (the migration role) is refused by the append-only triggers. Either way the
 * entries are exactly what they were — same count, same sum, same rows.
 */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class JournalImmutabilityTest {
    /** count, sum and a digest of every row, in id order: any change to any entry changes it. */
    private static final String FINGERPRINT = """
            select count(*) || '/' || coalesce(sum(amount_minor), 0) || '/' || coalesce(md5(string_agg(
                   id || ',' || posting_id || ',' || account_id || ',' || amount_minor || ',' || currency || ','
                   || created_at, ';' order by id)), '')
              from entries""";

    @Test
    void theServicesRoleIsRefusedEveryRewriteOfTheJournalByPermission() throws Exception {
        history();
        String before = fingerprint() + "|" + digest(POSTINGS_DIGEST);
        String role = ConfigProvider.getConfig().getValue("payout.db.runtime-user", String.class);
        for (String sql : List.of(
                "update entries set amount_minor = amount_minor + 1",
                "update entries set account_id = account_id where id = (select min(id) from entries)",
                "delete from entries where id = (select max(id) from entries)",
                "truncate entries",
                "update postings set external_ref = 'T991234560UFORGED00' where kind = 'SETTLE'",
                "update postings set created_at = created_at - interval '1 day'",
                "delete from postings where kind = 'DEPOSIT'",
                "truncate entries, postings cascade",
                // nor can it take the triggers away first
                "alter table entries disable trigger entries_no_update_delete",
                "drop trigger postings_no_update_delete on postings")) {
            try (Connection c = TestInfra.connectAs(role, ServiceTestResource.database())) {
                assertThatThrownBy(() -> execute(c, sql)).as(sql)
                        .isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).as("insufficient_privilege: "
                                + e.getMessage()).isEqualTo("42501"));
            }
            assertThat(fingerprint() + "|" + digest(POSTINGS_DIGEST)).as("journal after: " + sql).isEqualTo(before);
        }
    }

    /** What the role may do, append, still obeys double entry: an unbalanced posting never commits. */
    @Test
    void theServicesRoleCanOnlyAppendBalancedPostings() throws Exception {
        history();
        String before = fingerprint();
        String role = ConfigProvider.getConfig().getValue("payout.db.runtime-user", String.class);
        try (Connection c = TestInfra.connectAs(role, ServiceTestResource.database())) {
            c.setAutoCommit(false);
            UUID posting = UUID.randomUUID();
            execute(c, "insert into postings (id, kind, reference) values ('" + posting + "', 'DEPOSIT', 'r-" + posting
                    + "')");
            execute(c, "insert into entries (posting_id, account_id, amount_minor, currency)"
                    + " values ('" + posting + "', 'funding:KRW', 1, 'KRW')");
            assertThatThrownBy(c::commit).isInstanceOf(SQLException.class).hasMessageContaining("unbalanced");
        }
        assertThat(fingerprint()).isEqualTo(before);
    }

    @Test
    void entriesCannotBeUpdatedDeletedOrTruncatedEvenByTheirOwner() throws Exception {
        history();
        String before = fingerprint();
        assertThat(before).doesNotStartWith("0/");

        List<String> attempts = List.of(
                "update entries set amount_minor = amount_minor + 1",
                "update entries set account_id = account_id where id = (select min(id) from entries)",
                "update entries set created_at = created_at - interval '1 day'",
                "delete from entries",
                "delete from entries where id = (select max(id) from entries)",
                "truncate entries",
                "truncate entries, postings cascade");
        for (String sql : attempts) {
            try (Connection c = connect()) {
                assertThatThrownBy(() -> execute(c, sql)).as(sql)
                        .isInstanceOf(SQLException.class)
                        .hasMessageContaining("ledger entries are append-only")
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).as("restrict_violation")
                                .isEqualTo("23001"));
            }
            assertThat(fingerprint()).as("entries after: " + sql).isEqualTo(before);
        }
    }

    @Test
    void aRefusedRewriteInsideATransactionLeavesNothingBehind() throws Exception {
        history();
        String before = fingerprint();
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            UUID posting = UUID.randomUUID();
            // a fresh, balanced posting first, then an attempt to rewrite an old entry in the same transaction
            execute(c, "insert into postings (id, kind, reference) values ('" + posting + "', 'DEPOSIT', 'r-" + posting
                    + "')");
            assertThatThrownBy(() -> execute(c, "delete from entries where id = (select min(id) from entries)"))
                    .hasMessageContaining("append-only");
            c.rollback();
        }
        assertThat(fingerprint()).isEqualTo(before);
    }

    @Test
    void aPostingWithEntriesCannotBeDeleted() throws Exception {
        history();
        String before = fingerprint();
        long postings = count("select count(*) from postings");
        try (Connection c = connect()) {
            // refused twice over: postings are append-only (V5), and entries reference their posting (no cascade)
            assertThatThrownBy(() -> execute(c, "delete from postings where id = (select posting_id from entries"
                    + " order by id desc limit 1)")).isInstanceOf(SQLException.class).hasMessageContaining("append-only");
            assertThatThrownBy(() -> execute(c, "truncate postings")).isInstanceOf(SQLException.class);
        }
        assertThat(count("select count(*) from postings")).isEqualTo(postings);
        assertThat(fingerprint()).isEqualTo(before);
    }

    /**
     * Postings are append-only too (V5): reconciliation matches on a posting's external_ref and as_of replays by its
     * time, so rewriting its ref, kind, transfer or instant would rewrite history as much as an entry would.
     * (The owner's connection: past the permissions, the triggers.)
     */
    @Test
    void postingsCannotBeRewrittenEvenByTheirOwner() throws Exception {
        history();
        String before = count("select count(*) from postings") + "/" + digest(POSTINGS_DIGEST);
        for (String sql : List.of(
                "update postings set external_ref = 'T991234560UFORGED00' where kind = 'SETTLE'",
                "update postings set created_at = created_at - interval '1 day'",
                "update postings set kind = 'RELEASE' where kind = 'SETTLE'",
                "truncate postings cascade")) {
            try (Connection c = connect()) {
                assertThatThrownBy(() -> execute(c, sql)).as(sql).isInstanceOf(SQLException.class)
                        .hasMessageContaining("append-only");
            }
        }
        assertThat(count("select count(*) from postings") + "/" + digest(POSTINGS_DIGEST)).isEqualTo(before);
    }

    private static final String POSTINGS_DIGEST = "select md5(string_agg(id || ',' || coalesce(transfer_id::text, '')"
            + " || ',' || kind || ',' || coalesce(external_ref, '') || ',' || created_at, ';' order by id)) from postings";

    /** Some history to protect: a deposit, a hold, a settle. */
    private static void history() {
        String a = account(CLIENT_A, 1000);
        UUID t = hold(CLIENT_A, a, 250);
        awaitConsumed(publish("ledger.settle", t, settlePayload(t, 250, "KRW", "T991234560UIMMUTABLE")));
    }

    private static String fingerprint() throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(FINGERPRINT)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static String digest(String sql) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static long count(String sql) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** As the owner of the tables, past every permission: only the triggers stand in the way. */
    private static Connection connect() throws SQLException {
        return TestInfra.connect(ServiceTestResource.database());
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
