package io.payout.transfer;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.payout.testsupport.ServiceTestResource;

import java.util.HashMap;
import java.util.Map;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * The service's own database and vhost ({@link ServiceTestResource}) plus one WireMock server on a random port
 * standing in for ledger-service, bank-adapter-service and webhook-service (their paths do not overlap), with the
 * ops page's clients pointed at it.
 */
public class OtherServicesStub extends ServiceTestResource {
    /** Far above a stub's answer time even on a loaded machine; the "slow" stub answers after twice this. */
    public static final int CALL_TIMEOUT_MS = 3000;

    private static volatile WireMockServer server;

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        server = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        String url = "http://127.0.0.1:" + server.port();
        config.put("payout.transfer.ops-page.ledger-url", url);
        config.put("payout.transfer.ops-page.bank-adapter-url", url);
        config.put("payout.transfer.ops-page.webhook-url", url);
        config.put("payout.transfer.ops-page.call-timeout-ms", Integer.toString(CALL_TIMEOUT_MS));
        // every DISPATCHED transfer counts as stuck, so the dashboard test needs no clock
        config.put("payout.transfer.ops-page.stuck-after-ms", "0");
        return config;
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
        super.stop();
    }

    public static WireMockServer services() {
        return server;
    }
}
