package io.payout.ledger.api;

import io.payout.ledger.account.AccountRepository;
import io.payout.ledger.account.AccountRepository.AccountRow;
import io.payout.ledger.account.AccountRepository.Opened;
import io.payout.ledger.api.Views.AccountView;
import io.payout.ledger.api.Views.BalanceView;
import io.payout.ledger.api.Views.DepositView;
import io.payout.ledger.api.Views.EntriesPage;
import io.payout.ledger.api.Views.EntryView;
import io.payout.ledger.balance.BalanceReader;
import io.payout.ledger.balance.BalanceReader.Balance;
import io.payout.ledger.config.LedgerConfig;
import io.payout.ledger.deposit.Deposits;
import io.payout.ledger.deposit.Deposits.Outcome;
import io.payout.platform.api.Clients;
import io.payout.platform.api.JsonBody;
import io.payout.platform.money.Currencies;
import io.payout.platform.problem.FieldError;
import io.payout.platform.problem.ProblemException;
import io.payout.platform.problem.ProblemType;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.hibernate.reactive.mutiny.Mutiny;

import java.net.URI;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import static io.payout.platform.api.QueryParams.intParam;

/**
 * Accounts, deposits, balances and entries (SPEC §4). Writes need the {@code ops} role. Reads need a token: ops
 * reads every account, a client only the accounts it owns — any other answers 404, never 403, so ids cannot be
 * probed.
 */
@Path("/v1/accounts")
@Authenticated
@SecurityRequirement(name = "jwt")
@Produces(MediaType.APPLICATION_JSON)
public class AccountResource {
    static final String OPS = "ops";
    private static final int DEFAULT_PAGE_SIZE = 50;

    private final RequestReader reader;
    private final AccountRepository accounts;
    private final Deposits deposits;
    private final BalanceReader balances;
    private final LedgerConfig config;
    private final SecurityIdentity identity;

    public AccountResource(RequestReader reader, AccountRepository accounts, Deposits deposits, BalanceReader balances,
                           LedgerConfig config, SecurityIdentity identity) {
        this.reader = reader;
        this.accounts = accounts;
        this.deposits = deposits;
        this.balances = balances;
        this.config = config;
        this.identity = identity;
    }

    @POST
    @RolesAllowed(OPS)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Open a customer account",
            description = "201 when created; 200 for a repeat with the same currency and owner; 409 ACCOUNT_EXISTS when "
                    + "the id is taken by another account. The currency's holds, bank-clearing and funding accounts "
                    + "are created with its first customer account.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = OpenAccountRequest.class)))
    public Uni<Response> open(String body) {
        OpenAccountRequest request = reader.openAccount(body);
        return Panache.withTransaction(() -> Panache.getSession().flatMap(session ->
                accounts.openCustomer(session, request.id(), request.currency(), request.owner())
                        .flatMap(opened -> {
                            if (opened instanceof Opened.Conflict) {
                                throw ProblemException.of(409, "account-exists", "ACCOUNT_EXISTS",
                                        "Account exists", "Account " + request.id()
                                                + " already exists with another currency or owner");
                            }
                            AccountRow row = opened.account();
                            int status = opened instanceof Opened.Created ? 201 : 200;
                            return balances.current(session, row).map(b -> Response.status(status)
                                    .location(URI.create("/v1/accounts/" + row.id()))
                                    .entity(view(row, b)).build());
                        })));
    }

    @POST
    @Path("/{id}/deposits")
    @RolesAllowed(OPS)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Deposit into a customer account from the currency's funding account",
            description = "Idempotent on reference: 201 first, 200 with the same body for a repeat; 409 "
                    + "DEPOSIT_REFERENCE_REUSED when the reference was used for another account or amount.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = DepositRequest.class)))
    public Uni<Response> deposit(@PathParam("id") String id, String body) {
        JsonBody.Fields fields = reader.depositFields(body);
        return Panache.withTransaction(() -> Panache.getSession().flatMap(session ->
                accounts.find(session, id).flatMap(account -> {
                    if (account == null || !account.customer()) {
                        throw notFound();
                    }
                    RequestReader.Deposit d = reader.deposit(fields, account.currency());
                    return deposits.deposit(session, account, d.amountMinor(), d.reference());
                }))).map(outcome -> {
                    if (outcome instanceof Outcome.ReferenceReused reused) {
                        throw ProblemException.of(409, "deposit-reference-reused", "DEPOSIT_REFERENCE_REUSED",
                                "Deposit reference reused", "Reference " + reused.deposit().reference()
                                        + " was used for another deposit; use a new reference for a new deposit");
                    }
                    Deposits.Deposit d = outcome.deposit();
                    return Response.status(outcome instanceof Outcome.Created ? 201 : 200)
                            .entity(new DepositView(d.postingId(), d.accountId(), d.reference(),
                                    Currencies.format(d.amountMinor(), d.currency()), d.currency(), d.createdAt()))
                            .build();
                });
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "An account with its available and held balance now")
    public Uni<AccountView> get(@PathParam("id") String id) {
        return Panache.withSession(() -> Panache.getSession().flatMap(session -> readable(session, id)
                .flatMap(account -> balances.current(session, account).map(b -> view(account, b)))));
    }

    @GET
    @Path("/{id}/balance")
    @Operation(summary = "The balance as of an instant (RFC 3339), derived from the entries; now when omitted")
    public Uni<BalanceView> balance(@PathParam("id") String id, @QueryParam("as_of") String asOfParam) {
        Instant asOf = instant(asOfParam);
        return Panache.withSession(() -> Panache.getSession().flatMap(session -> readable(session, id)
                .flatMap(account -> balances.asOf(session, account, asOf).map(b -> new BalanceView(account.id(),
                        account.currency(), Currencies.format(b.availableMinor(), account.currency()),
                        Currencies.format(b.heldMinor(), account.currency()), b.asOf())))));
    }

    @GET
    @Path("/{id}/entries")
    @Operation(summary = "The account's entries, newest first, with their posting")
    public Uni<EntriesPage> entries(@PathParam("id") String id, @QueryParam("page") String pageParam,
                                    @QueryParam("size") String sizeParam) {
        List<FieldError> errors = new ArrayList<>();
        int page = intParam(errors, "page", pageParam, 0, 0, Integer.MAX_VALUE / config.entriesPageSizeMax());
        int size = intParam(errors, "size", sizeParam, Math.min(DEFAULT_PAGE_SIZE, config.entriesPageSizeMax()), 1,
                config.entriesPageSizeMax());
        if (!errors.isEmpty()) {
            throw ProblemException.validation(errors);
        }
        return Panache.withSession(() -> Panache.getSession().flatMap(session -> readable(session, id)
                .flatMap(account -> balances.entries(session, account.id(), page, size))
                .map(list -> new EntriesPage(id, page, size, list.stream().map(e -> new EntryView(e.id(),
                        e.postingId(), e.kind(), e.transferId(), e.reference(), e.externalRef(),
                        Currencies.format(e.amountMinor(), e.currency()), e.currency(), e.createdAt())).toList()))));
    }

    /** The account if the caller may read it; 404 otherwise, exactly as if it did not exist. */
    private Uni<AccountRow> readable(Mutiny.Session session, String id) {
        boolean ops = identity.hasRole(OPS);
        String client = ops ? null : clientId();
        return accounts.find(session, id).map(account -> {
            if (account == null || !(ops || client.equals(account.owner()))) {
                throw notFound();
            }
            return account;
        });
    }

    private static AccountView view(AccountRow account, Balance b) {
        return new AccountView(account.id(), account.currency(), account.owner(),
                Currencies.format(b.availableMinor(), account.currency()),
                Currencies.format(b.heldMinor(), account.currency()), b.asOf());
    }

    private static Instant instant(String raw) {
        if (raw == null) {
            return Instant.now();
        }
        try {
            // RFC 3339: date, time and an explicit offset ("Z" or "+09:00")
            return OffsetDateTime.parse(raw).toInstant();
        } catch (DateTimeParseException e) {
            throw ProblemException.validation(List.of(new FieldError("as_of", "INVALID_FORMAT",
                    "must be an RFC 3339 instant with an offset, e.g. 2026-11-21T09:30:00Z")));
        }
    }

    private String clientId() {
        return Clients.clientId(identity);
    }

    private static ProblemException notFound() {
        return ProblemException.of(ProblemType.NOT_FOUND, "No such account");
    }
}
