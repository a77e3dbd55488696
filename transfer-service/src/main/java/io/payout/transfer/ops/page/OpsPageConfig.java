package io.payout.transfer.ops.page;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.net.URI;

/** The ops web page, under {@code payout.transfer.ops-page}. */
@ConfigMapping(prefix = "payout.transfer.ops-page")
public interface OpsPageConfig {
    /** Base URL of ledger-service (postings of a transfer). */
    @WithDefault("http://localhost:8081")
    URI ledgerUrl();

    /** Base URL of bank-adapter-service (the bank dispatch of a transfer). */
    @WithDefault("http://localhost:8082")
    URI bankAdapterUrl();

    /** Base URL of webhook-service (webhooks received for an external_ref). */
    @WithDefault("http://localhost:8083")
    URI webhookUrl();

    /** Longest wait for one of those services; after it the section shows "unavailable" and the page still renders. */
    @WithDefault("2000")
    long callTimeoutMs();

    /** The dashboard lists transfers DISPATCHED longer than this and still DISPATCHED or EXPIRED. */
    @WithDefault("300000")
    long stuckAfterMs();

    /** Rows per list on the dashboard and in search results. */
    @WithDefault("50")
    int rowsMax();

    /** Whether the session cookie is marked Secure (HTTPS only); off only for plain-HTTP local runs. */
    @WithDefault("true")
    boolean cookieSecure();
}
