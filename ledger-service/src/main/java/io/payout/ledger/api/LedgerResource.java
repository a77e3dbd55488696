package io.payout.ledger.api;

import io.payout.ledger.api.Views.CurrencyTotal;
import io.payout.ledger.api.Views.Totals;
import io.payout.ledger.balance.BalanceReader;
import io.payout.platform.money.Currencies;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

import java.math.BigDecimal;
import java.time.Instant;

/** Whole-ledger views for ops. */
@Path("/v1/ledger")
@RolesAllowed(AccountResource.OPS)
@SecurityRequirement(name = "jwt")
@Produces(MediaType.APPLICATION_JSON)
public class LedgerResource {
    private final BalanceReader balances;

    public LedgerResource(BalanceReader balances) {
        this.balances = balances;
    }

    @GET
    @Path("/totals")
    @Operation(summary = "Per currency, the sum of all entries: \"0\" (in the currency's scale) unless double entry is broken")
    public Uni<Totals> totals() {
        Instant now = Instant.now();
        return Panache.withSession(() -> Panache.getSession().flatMap(balances::totals))
                .map(list -> new Totals(now, list.stream().map(t -> new CurrencyTotal(t.currency(),
                        // exact whatever its size: a broken ledger must show by how much
                        new BigDecimal(t.sumMinor(), Currencies.minorUnits(t.currency())).toPlainString(),
                        t.entries())).toList()));
    }
}
