package io.payout.transfer.state;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.UUID;

/** Reads of transfers, always scoped to the owning client: another client's transfer simply does not exist. */
@ApplicationScoped
public class TransferRepository implements PanacheRepositoryBase<Transfer, UUID> {

    public Uni<Transfer> findOwned(UUID id, String clientId) {
        return find("id = ?1 and clientId = ?2", id, clientId).firstResult();
    }

    public Uni<Transfer> findByKey(String clientId, String clientRequestId) {
        return find("clientId = ?1 and clientRequestId = ?2", clientId, clientRequestId).firstResult();
    }

    public Uni<List<TransferHistory>> history(UUID transferId) {
        return TransferHistory.<TransferHistory>find("transferId = ?1 order by seq", transferId).list();
    }
}
