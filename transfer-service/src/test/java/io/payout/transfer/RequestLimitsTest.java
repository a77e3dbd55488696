package io.payout.transfer;

import io.payout.testsupport.ServiceTestResource;
import io.payout.testsupport.Tokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;

import static io.payout.transfer.TransferApi.newKey;
import static io.payout.transfer.TransferApi.validBody;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * Request limits answered before the body is read, as problem+json with a stable code and the trace id (platform
 * http/RequestLimits), and nothing written: 413 for a declared Content-Length above the service's limit, 431 for
 * headers too large in total, 414 for an over-long request target. Raw sockets, so that a declared length can be sent
 * without its body and the HTTP exchange is exactly what a client put on the wire.
 */
@QuarkusTest
@WithTestResource(ServiceTestResource.class)
class RequestLimitsTest {
    /** payout.transfer.body-size-max-bytes (= payout.http.body-size-max-bytes). */
    static final int BODY_MAX = 16384;

    @TestHTTPResource("/")
    URL base;

    private record Answer(int status, String head, String body) {
        JsonPath problem() {
            return JsonPath.from(body);
        }
    }

    @Test
    void aDeclaredBodyAboveTheLimitIsRefusedWithoutBeingRead() throws IOException {
        var before = TransferApi.Written.now();
        // ten megabytes declared, none sent: an answer proves nothing waited for the body
        Answer a = exchange(postHead(10_000_000, "Content-Length: 10000000"), new byte[0]);
        assertProblem(a, 413, "PAYLOAD_TOO_LARGE");
        assertThat(TransferApi.Written.now()).isEqualTo(before);
    }

    @Test
    void aDeclaredBodyJustAboveTheLimitIsRefusedAndOneAtTheLimitIsRead() throws IOException {
        var before = TransferApi.Written.now();
        byte[] over = padded(BODY_MAX + 1);
        assertProblem(exchange(postHead(over.length, "Content-Length: " + over.length), over), 413,
                "PAYLOAD_TOO_LARGE");
        byte[] atLimit = padded(BODY_MAX);
        Answer read = exchange(postHead(atLimit.length, "Content-Length: " + atLimit.length), atLimit);
        assertThat(read.status()).as(read.head()).isEqualTo(201);
        assertThat(TransferApi.Written.now().transfers()).isEqualTo(before.transfers() + 1);
    }

    @Test
    void aChunkedBodyAboveTheLimitIsRefusedByTheEndpointWithProblemJson() throws IOException {
        var before = TransferApi.Written.now();
        byte[] over = padded(BODY_MAX + 1);
        Answer a = exchange(postHead(over.length, "Transfer-Encoding: chunked"), chunked(over));
        assertProblem(a, 413, "PAYLOAD_TOO_LARGE");
        assertThat(TransferApi.Written.now()).isEqualTo(before);
    }

    @Test
    void aChunkedBodyAboveTheTransportCapGetsTheTransportsBare413() throws IOException {
        var before = TransferApi.Written.now();
        byte[] huge = new byte[1024 * 1024 + 1];
        java.util.Arrays.fill(huge, (byte) ' ');
        Answer a = exchange(postHead(huge.length, "Transfer-Encoding: chunked"), chunked(huge));
        // documented: quarkus.http.limits.max-body-size answers before any handler could, without problem+json
        assertThat(a.status()).isEqualTo(413);
        assertThat(a.head().toLowerCase()).doesNotContain("application/problem+json");
        assertThat(TransferApi.Written.now()).isEqualTo(before);
    }

    @ParameterizedTest(name = "headers of {0} bytes in total → 431")
    @ValueSource(ints = {16_385, 40_000})
    void headersTooLargeInTotalAreRefused(int size) throws IOException {
        var before = TransferApi.Written.now();
        String pad = "X-Pad: " + "p".repeat(size) + "\r\n";
        byte[] body = validBody().getBytes(StandardCharsets.UTF_8);
        Answer a = exchange(postHead(body.length, "Content-Length: " + body.length + "\r\n" + pad.strip()), body);
        assertProblem(a, 431, "HEADERS_TOO_LARGE");
        assertThat(TransferApi.Written.now()).isEqualTo(before);
    }

    @ParameterizedTest(name = "request target of {0} characters → 414")
    @ValueSource(ints = {4_097, 12_000})
    void anOverLongRequestTargetIsRefused(int length) throws IOException {
        var before = TransferApi.Written.now();
        String path = "/v1/transfers?x=" + "a".repeat(length - "/v1/transfers?x=".length());
        byte[] body = validBody().getBytes(StandardCharsets.UTF_8);
        String head = "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                + Tokens.forClient(TransferApi.CLIENT_A) + "\r\nIdempotency-Key: " + newKey()
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n";
        assertProblem(exchange(head, body), 414, "URI_TOO_LONG");
        assertThat(TransferApi.Written.now()).isEqualTo(before);
    }

    @Test
    void everyListOfThisServiceRefusesAPageAboveItsMaximum() {
        String ops = "Bearer " + Tokens.forClient("ops-user", "ops");
        for (String list : new String[]{"/v1/ops/transfers/stuck?older_than=PT1M&size=201", "/v1/ops/anomalies?size=201",
                "/v1/ops/audit?size=201", "/v1/ops/dead-letters?size=201"}) {
            given().header("Authorization", ops).when().get(list).then().statusCode(400)
                    .contentType("application/problem+json").body("code", equalTo("VALIDATION_FAILED"))
                    .body("errors[0].field", equalTo("size"));
        }
    }

    private static void assertProblem(Answer a, int status, String code) {
        assertThat(a.status()).as(a.head()).isEqualTo(status);
        assertThat(a.head().toLowerCase()).contains("content-type: application/problem+json");
        assertThat(a.problem().getString("code")).isEqualTo(code);
        assertThat(a.problem().getInt("status")).isEqualTo(status);
        assertThat(a.problem().getString("trace_id")).matches("[0-9a-f]{32}");
    }

    private static String postHead(int length, String framing) {
        return "POST /v1/transfers HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                + Tokens.forClient(TransferApi.CLIENT_A) + "\r\nIdempotency-Key: " + newKey()
                + "\r\nContent-Type: application/json\r\n" + framing + "\r\n\r\n";
    }

    /** A valid transfer body padded with trailing JSON whitespace to exactly {@code size} bytes. */
    private static byte[] padded(int size) {
        String body = validBody();
        return (body + " ".repeat(size - body.getBytes(StandardCharsets.UTF_8).length)).getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] chunked(byte[] body) {
        var out = new ByteArrayOutputStream();
        for (int off = 0; off < body.length; off += 8192) {
            int n = Math.min(8192, body.length - off);
            out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, off, n);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /** Sends head and body, reads one response (to its Content-Length, or to the end of the connection). */
    private Answer exchange(String head, byte[] body) throws IOException {
        try (Socket s = new Socket(base.getHost(), base.getPort())) {
            s.setSoTimeout(60_000);
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            try {
                out.write(body);
                out.flush();
            } catch (IOException e) {
                // the server may answer and close before taking all of the body: the answer is still readable
            }
            InputStream in = s.getInputStream();
            String responseHead = readHead(in);
            int length = -1;
            for (String line : responseHead.split("\r\n")) {
                if (line.toLowerCase().startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).strip());
                }
            }
            byte[] responseBody = length >= 0 ? in.readNBytes(length) : in.readAllBytes();
            int status = Integer.parseInt(responseHead.split(" ")[1]);
            return new Answer(status, responseHead, new String(responseBody, StandardCharsets.UTF_8));
        }
    }

    private static String readHead(InputStream in) throws IOException {
        var head = new ByteArrayOutputStream();
        int matched = 0;
        int b;
        while (matched < 4 && (b = in.read()) != -1) {
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }
}
