package io.payout.sandbox;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The daily statement, a page at a time: the day's journal ({@link Executions#statementOf}) in posting order, as
 * amended by {@link StatementAmendments}, cut into pages of at most {@code statement-page-size-max} lines. A page
 * is a copy of a range of an append-only list, so the memory a request needs is bounded by the page, and a reader
 * walking the pages while the bank executes sees every line exactly once (new lines land after the last page).
 * Omitting amendments are applied before cutting, so pages stay full and contiguous.
 */
@ApplicationScoped
@Startup // checks the page sizes at start-up, not on the first statement
public class Statements {
    /** The largest statement-page-size-max a config may set: a page is built in memory. */
    static final int PAGE_SIZE_LIMIT = 100_000;

    private final Executions executions;
    private final StatementAmendments amendments;
    private final SandboxConfig config;

    /** One page; {@code has_more} says whether a next page has lines (as of this read). */
    public record Page(LocalDate date, int page, int size, List<BankResource.StatementLine> lines, boolean hasMore) {
    }

    /** A request for a page that cannot be served; every error at once. */
    public static class Invalid extends RuntimeException {
        private final List<SandboxProblem.FieldError> errors;

        Invalid(List<SandboxProblem.FieldError> errors) {
            super(errors.size() + " parameter(s) invalid", null, false, false);
            this.errors = List.copyOf(errors);
        }

        public List<SandboxProblem.FieldError> errors() {
            return errors;
        }
    }

    public Statements(Executions executions, StatementAmendments amendments, SandboxConfig config) {
        this.executions = executions;
        this.amendments = amendments;
        this.config = config;
        if (config.statementPageSizeMax() < 1 || config.statementPageSizeMax() > PAGE_SIZE_LIMIT) {
            throw new IllegalStateException("payout.sandbox.statement-page-size-max must be from 1 to "
                    + PAGE_SIZE_LIMIT + ", is " + config.statementPageSizeMax());
        }
        if (config.statementPageSize() < 1 || config.statementPageSize() > config.statementPageSizeMax()) {
            throw new IllegalStateException("payout.sandbox.statement-page-size must be from 1 to "
                    + "payout.sandbox.statement-page-size-max (" + config.statementPageSizeMax() + "), is "
                    + config.statementPageSize());
        }
    }

    /** {@code GET /v2/statements?date=&page=&size=}: page and size default to 0 and statement-page-size. */
    public Page page(String dateParam, String pageParam, String sizeParam) {
        List<SandboxProblem.FieldError> errors = new ArrayList<>();
        LocalDate date = null;
        try {
            date = LocalDate.parse(dateParam == null ? "" : dateParam);
        } catch (DateTimeParseException e) {
            errors.add(new SandboxProblem.FieldError("date", "INVALID_DATE", "must be YYYY-MM-DD"));
        }
        int page = intParam(errors, "page", pageParam, 0, 0, Integer.MAX_VALUE);
        int size = intParam(errors, "size", sizeParam, config.statementPageSize(), 1, config.statementPageSizeMax());
        if (!errors.isEmpty()) {
            throw new Invalid(errors);
        }
        List<Executions.Line> day = executions.statementOf(date);
        if (amendments.omitsAny()) {
            day = day.stream().filter(l -> amendments.apply(l).isPresent()).toList();
        }
        long from = (long) page * size;
        if (from >= day.size()) {
            return new Page(date, page, size, List.of(), false);
        }
        int to = (int) Math.min(day.size(), from + size);
        List<BankResource.StatementLine> lines = day.subList((int) from, to).stream()
                .map(amendments::apply).flatMap(Optional::stream).toList();
        return new Page(date, page, size, lines, to < day.size());
    }

    private static int intParam(List<SandboxProblem.FieldError> errors, String name, String raw, int fallback,
                                int min, int max) {
        if (raw == null || raw.isEmpty()) {
            return fallback;
        }
        try {
            int v = Integer.parseInt(raw);
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        errors.add(new SandboxProblem.FieldError(name, "OUT_OF_RANGE", "must be an integer from " + min + " to " + max));
        return fallback;
    }
}
