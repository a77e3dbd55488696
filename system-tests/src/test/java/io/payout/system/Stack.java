package io.payout.system;

import java.util.List;
import java.util.Map;

/** A running payout stack as the suites see it: where each process answers, tokens, and read-only SQL. */
public interface Stack {
    /** The base URL of a process: transfer, ledger, bank_adapter, webhook, sandbox (the first instance if several). */
    String url(String service);

    /** A local-profile token exactly as a developer would get it ({@code deploy/local/token.sh}). */
    String token(String clientId, String... roles) throws Exception;

    /** DEV-ONLY: the webhook secret deploy/local/lib/stack.sh gives the sandbox and webhook-service. */
    default String webhookSecret() {
        String fromEnv = System.getenv("PAYOUT_WEBHOOK_SECRET");
        return fromEnv != null ? fromEnv : "whsec_ZGV2LW9ubHktd2ViaG9vay1zZWNyZXQtMzJieXRlcyE=";
    }

    String vhost();

    /** Read-only SQL on a service's database (transfer, ledger, bank_adapter, webhook). */
    List<Map<String, Object>> query(String service, String sql, Object... params);
}
