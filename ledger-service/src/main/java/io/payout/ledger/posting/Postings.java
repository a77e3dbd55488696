package io.payout.ledger.posting;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * Writes postings and their entries inside the caller's transaction. Whether a posting may be written at all is
 * decided by the database's unique keys, never by a prior read: one posting per (transfer, kind), settle and release
 * excluding each other, one deposit per reference. The posting row goes in first with {@code ON CONFLICT DO NOTHING};
 * a concurrent writer of the same key waits for the first to commit and then writes nothing.
 */
@ApplicationScoped
public class Postings {
    private static final String INSERT_POSTING = """
            insert into postings (id, transfer_id, kind, reference, external_ref, value_date)
            values (:id, :transfer, :kind, :reference, :externalRef, :valueDate)
            on conflict do nothing""";

    private final LedgerMetrics metrics;

    public Postings(LedgerMetrics metrics) {
        this.metrics = metrics;
    }

    /**
     * Writes the posting and its entries; false (and nothing written) when one of the posting's unique keys is
     * already taken. Entries and posting get the transaction's {@code now()}: every entry of one transaction has the
     * same timestamp, from the database's single clock, which is what {@code ?as_of=} compares against.
     */
    public Uni<Boolean> write(Mutiny.Session session, Posting p) {
        return session.createNativeQuery(INSERT_POSTING)
                .setParameter("id", p.id())
                .setParameter("transfer", p.transferId())
                .setParameter("kind", p.kind().name())
                .setParameter("reference", p.reference())
                .setParameter("externalRef", p.externalRef())
                .setParameter("valueDate", p.valueDate())
                .executeUpdate()
                .flatMap(inserted -> inserted == 0
                        ? Uni.createFrom().item(false)
                        : entries(session, p).invoke(() -> metrics.posted(p.kind())).replaceWith(true));
    }

    /** All legs in one statement: one round trip per posting. */
    private static Uni<Integer> entries(Mutiny.Session session, Posting p) {
        StringBuilder sql = new StringBuilder(
                "insert into entries (posting_id, account_id, amount_minor, currency) values ");
        for (int i = 0; i < p.legs().size(); i++) {
            sql.append(i == 0 ? "" : ", ").append("(:posting, :account").append(i).append(", :amount").append(i)
                    .append(", :currency)");
        }
        var query = session.createNativeQuery(sql.toString())
                .setParameter("posting", p.id())
                .setParameter("currency", p.currency());
        for (int i = 0; i < p.legs().size(); i++) {
            query.setParameter("account" + i, p.legs().get(i).accountId());
            query.setParameter("amount" + i, p.legs().get(i).amountMinor());
        }
        return query.executeUpdate();
    }
}
