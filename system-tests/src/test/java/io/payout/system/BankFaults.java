package io.payout.system;

import io.restassured.response.Response;

import java.util.Map;

import static io.restassured.RestAssured.given;

/** The sandbox's fault script (SPEC §8): what the bank does wrong, and how often each fault fired. */
public final class BankFaults {
    private final Stack stack;

    public BankFaults(Stack stack) {
        this.stack = stack;
    }

    /** Replaces the script, e.g. {@code set(7, rule("timeout", 1.0))}. */
    public void set(long seed, String... rules) {
        given().baseUri(stack.url("sandbox")).contentType("application/json")
                .body("{\"seed\":" + seed + ",\"rules\":[" + String.join(",", rules) + "]}")
                .when().put("/sandbox/faults").then().statusCode(200);
    }

    public static String rule(String fault, double probability) {
        return "{\"fault\":\"" + fault + "\",\"probability\":" + probability + "}";
    }

    public static String rule(String fault, double probability, long value) {
        return "{\"fault\":\"" + fault + "\",\"probability\":" + probability + ",\"value\":" + value + "}";
    }

    public void clear() {
        given().baseUri(stack.url("sandbox")).when().delete("/sandbox/faults").then().statusCode(204);
    }

    /** fault name → times fired since the script was set. */
    public Map<String, Integer> fired() {
        Response r = given().baseUri(stack.url("sandbox")).when().get("/sandbox/faults");
        r.then().statusCode(200);
        Map<String, Integer> fired = r.jsonPath().getMap("fired");
        return fired == null ? Map.of() : fired;
    }
}
