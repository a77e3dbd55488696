package io.payout.bankadapter;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.extension.Parameters;
import com.github.tomakehurst.wiremock.extension.ServeEventListener;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.payout.testsupport.Rows;
import io.payout.testsupport.ServiceTestResource;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * The service's own database and vhost ({@link ServiceTestResource}) plus a WireMock bank on a random port, and
 * the bank settings pointing at it: a short timeout (300 ms) so timeouts are quick to provoke, and a short
 * in-flight grace (1 s: just over the worst-case call with retries, 3 × 300 ms + back-offs, below which the inquirer would
 * raise it). The stub also records, at the moment each transfer request arrives, whether the dispatch
 * row with that ref was already committed — seen from another connection, only committed rows exist.
 */
public class BankStub extends ServiceTestResource {
    public static final int TIMEOUT_MS = 300;
    public static final int GRACE_MS = 1000;
    private static final Pattern REF = Pattern.compile("\"bank_tran_id\"\\s*:\\s*\"([A-Z0-9]+)\"");
    /** bank_tran_id → committed dispatch rows with that ref when the bank got the (latest) request. */
    private static final Map<String, Long> ROWS_AT_CALL = new ConcurrentHashMap<>();

    private static volatile WireMockServer server;

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1").extensions(new RowProbe()));
        server.start();
        config.put("payout.bank.base-url", "http://127.0.0.1:" + server.port());
        config.put("payout.bank.timeout-ms", Integer.toString(TIMEOUT_MS));
        config.put("payout.bank.in-flight-grace-ms", Integer.toString(GRACE_MS));
        return config;
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
        super.stop();
    }

    public static WireMockServer bank() {
        return server;
    }

    /** Committed dispatch rows with this ref when the bank received the transfer request; null if it never did. */
    public static Long rowsWhenTheBankWasCalled(String ref) {
        return ROWS_AT_CALL.get(ref);
    }

    static final class RowProbe implements ServeEventListener {
        @Override
        public void beforeMatch(ServeEvent event, Parameters parameters) {
            if (!"POST".equals(event.getRequest().getMethod().getName())) {
                return;
            }
            Matcher m = REF.matcher(event.getRequest().getBodyAsString());
            if (m.find()) {
                ROWS_AT_CALL.put(m.group(1), Rows.count("select count(*) from dispatches where external_ref = ?", m.group(1)));
            }
        }

        @Override
        public String getName() {
            return "dispatch-row-probe";
        }
    }
}
