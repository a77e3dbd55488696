package io.payout.system;

import io.payout.system.FaultSchedule.Fault;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * "One intent = one withdrawal" under fire (SPEC §11, docs/fault-suite.md): two instances of every service on the
 * suite's own PostgreSQL and RabbitMQ ({@link FaultStack}), a steady stream of transfers from many clients that retry
 * with the same Idempotency-Key (some POSTs doubled on purpose), and meanwhile a seeded schedule of kill -9, SIGTERM
 * restarts, broker and database restarts and bank fault windows ({@link FaultSchedule}); then a rolling restart of
 * every service under load, one instance at a time, which must cost clients nothing. Faults cleared, it waits
 * (bounded) for quiescence, checks every invariant against the databases and the sandbox's truth, reconciles the
 * day, and writes target/fault-report-{profile}.{md,json}. Any violation fails the run naming the transfer ids.
 * <p>
 * Profiles ({@code -Dpayout.faults.profile}): short (in ./mvnw verify, ≈ 500 transfers, 20 faults) and full (≥ 10 000
 * transfers, ≥ 100 faults). Overrides: payout.faults.seed, .transfers, .mix, .clients, .rate-per-second.
 */
class CrashRestartIT {
    private static final String ACCOUNT_OK = "12345678901234";
    /** The sandbox rejects accounts ending in 0000: those transfers end FAILED, with their holds released. */
    private static final String ACCOUNT_REJECTED = "12345678900000";

    record Profile(String name, long seed, int transfers, Map<String, Integer> mix, int clients, double ratePerSecond,
                   Duration quiescenceMax) {
        static Profile fromSystemProperties() {
            String name = System.getProperty("payout.faults.profile", "short");
            boolean full = "full".equals(name);
            String mix = System.getProperty("payout.faults.mix", full
                    ? "kill-9:40,sigterm-restart:20,rabbitmq-restart:6,postgresql-restart:6,bank-faults:30"
                    : "kill-9:6,sigterm-restart:2,rabbitmq-restart:1,postgresql-restart:1,bank-faults:10");
            return new Profile(name,
                    Long.getLong("payout.faults.seed", 20261122L),
                    Integer.getInteger("payout.faults.transfers", full ? 10_000 : 500),
                    FaultSchedule.parseMix(mix),
                    Integer.getInteger("payout.faults.clients", full ? 30 : 8),
                    Double.parseDouble(System.getProperty("payout.faults.rate-per-second", full ? "4" : "3")),
                    Duration.ofMinutes(full ? 30 : 5));
        }
    }

    /** One intent: what the client saw (and, for a doubled POST, what the second request saw). */
    record Intent(int slot, String phase, String client, String key, MobileClient.Outcome outcome,
                  MobileClient.Outcome doubled) {
    }

    private final Profile profile = Profile.fromSystemProperties();
    private final FaultReport report = new FaultReport();

    @Test
    void oneIntentIsOneWithdrawalThroughCrashesRestartsAndARollingDeploy() throws Exception {
        report.put("profile", profile.name());
        report.put("seed", profile.seed());
        long started = System.nanoTime();
        FaultStack stack = FaultStack.start();
        report.put("stack_start_s", secondsSince(started));
        try {
            run(stack);
        } finally {
            report.put("total_s", secondsSince(started));
            try {
                report.write(LocalStack.ROOT.resolve("system-tests/target"), profile.name());
            } finally {
                stack.stop();
            }
        }
        assertThat(report.violations()).as("violations (also in target/fault-report-%s.md)", profile.name()).isEmpty();
    }

    private void run(FaultStack stack) throws Exception {
        Payout payout = new Payout(stack);
        Invariants invariants = new Invariants(payout);
        BankFaults bank = new BankFaults(stack);
        List<Fault> schedule = FaultSchedule.plan(profile.seed(), profile.mix());

        // --- clients: own token, own funded account ---
        List<String[]> clients = new ArrayList<>();
        long deposit = 1_000L * profile.transfers() * 2;
        for (int c = 0; c < profile.clients(); c++) {
            String client = "mobile-" + c + "-" + UUID.randomUUID().toString().substring(0, 8);
            clients.add(new String[]{client, stack.token(client), payout.fundedAccount(client, deposit)});
        }
        MobileClient mobile = new MobileClient(
                FaultStack.INSTANCES.stream().map(i -> stack.url(i, "transfer")).toList(), Duration.ofSeconds(120));

        // --- the steady stream, paced across all client threads (see Pacer) ---
        ConcurrentLinkedQueue<Intent> intents = new ConcurrentLinkedQueue<>();
        AtomicBoolean stopLoad = new AtomicBoolean();
        AtomicReference<String> phase = new AtomicReference<>("chaos");
        Pacer pacer = new Pacer(profile.ratePerSecond(), (int) (profile.transfers() * 0.7));
        ExecutorService load = Executors.newFixedThreadPool(profile.clients());
        ExecutorService doubles = Executors.newCachedThreadPool();
        long t0 = System.nanoTime();
        for (int c = 0; c < profile.clients(); c++) {
            String[] me = clients.get(c);
            load.submit(() -> {
                while (!stopLoad.get()) {
                    int slot = pacer.next();
                    if (slot < 0) {
                        Thread.sleep(200); // this phase's share is sent: wait for the next phase
                        continue;
                    }
                    intents.add(send(mobile, doubles, me, slot, phase.get()));
                }
                return null;
            });
        }

        // --- the fault schedule, spread over the time the transfers take ---
        long chaosStarted = System.nanoTime();
        // the faults spread over the time the schedule's share of transfers takes
        double plannedSeconds = profile.transfers() * 0.7 / profile.ratePerSecond();
        long gapNanos = (long) (plannedSeconds / Math.max(1, schedule.size()) * 1e9);
        Map<String, Future<?>> restarting = new ConcurrentHashMap<>();
        ExecutorService restarts = Executors.newFixedThreadPool(FaultStack.SERVICES.size());
        Map<String, Integer> injected = new TreeMap<>();
        List<String> faultLog = Collections.synchronizedList(new ArrayList<>());
        List<String> ungraceful = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger killedMidSaga = new AtomicInteger();
        for (Fault fault : schedule) {
            sleepUntil(chaosStarted + fault.index() * gapNanos);
            switch (fault.kind()) {
                case FaultSchedule.KILL, FaultSchedule.TERM -> {
                    // one instance of a service down at a time: the other keeps serving
                    Future<?> previous = restarting.get(fault.service());
                    if (previous != null) {
                        previous.get(5, TimeUnit.MINUTES);
                    }
                    long inFlight = payout.count("transfer",
                            "select count(*) from transfers where state not in ('SETTLED', 'FAILED')");
                    if (FaultSchedule.KILL.equals(fault.kind())) {
                        stack.kill(fault.instance(), fault.service());
                        if (inFlight > 0) {
                            killedMidSaga.incrementAndGet();
                        }
                    }
                    restarting.put(fault.service(), restarts.submit(() -> {
                        if (FaultSchedule.TERM.equals(fault.kind()) && !stack.terminate(fault.instance(), fault.service())) {
                            ungraceful.add(fault.describe());
                        }
                        stack.start(fault.instance(), fault.service());
                        return null;
                    }));
                    faultLog.add("#" + fault.index() + " " + fault.describe() + " (" + inFlight + " transfers in flight)");
                }
                case FaultSchedule.RABBITMQ -> {
                    stack.restartRabbitmq();
                    faultLog.add("#" + fault.index() + " " + fault.describe());
                }
                case FaultSchedule.POSTGRES -> {
                    stack.restartPostgres();
                    faultLog.add("#" + fault.index() + " " + fault.describe());
                }
                case FaultSchedule.BANK -> {
                    bank.set(profile.seed() + fault.index(), fault.bankRules().toArray(String[]::new));
                    Thread.sleep(Math.min(8_000, Math.max(2_000, gapNanos / 2_000_000)));
                    bank.clear();
                    faultLog.add("#" + fault.index() + " " + fault.describe() + " " + fault.bankRules());
                }
                default -> throw new IllegalStateException(fault.kind());
            }
            injected.merge(fault.kind(), 1, Integer::sum);
        }
        for (Future<?> f : restarting.values()) {
            f.get(5, TimeUnit.MINUTES);
        }
        bank.clear();
        report.put("chaos_s", secondsSince(chaosStarted));
        report.put("faults_injected", injected);
        report.put("faults_total", injected.values().stream().mapToInt(Integer::intValue).sum());
        report.put("kill9_with_transfers_in_flight", killedMidSaga.get());
        report.put("fault_log", faultLog);
        report.violation("graceful shutdown (exited within " + FaultStack.GRACE_SECONDS + " s of SIGTERM)", ungraceful);

        // --- a rolling deploy under load: every service, one instance at a time (services in parallel) ---
        phase.set("rolling");
        // half the rate for as long as the rolling restart lasts, however long that is
        pacer.limit(profile.ratePerSecond() / 2, Integer.MAX_VALUE);
        long rollingStarted = System.nanoTime();
        List<CompletableFuture<Void>> rolls = new ArrayList<>();
        for (String service : FaultStack.SERVICES) {
            rolls.add(CompletableFuture.runAsync(() -> {
                for (String instance : FaultStack.INSTANCES) {
                    try {
                        if (!stack.terminate(instance, service)) {
                            ungraceful.add("rolling " + service + "-" + instance);
                        }
                        stack.start(instance, service);
                    } catch (Exception e) {
                        throw new IllegalStateException("rolling " + service + "-" + instance, e);
                    }
                }
            }, restarts));
        }
        CompletableFuture.allOf(rolls.toArray(CompletableFuture[]::new)).get(15, TimeUnit.MINUTES);
        report.put("rolling_restart_s", secondsSince(rollingStarted));
        phase.set("after");
        pacer.limit(profile.ratePerSecond(), profile.transfers());
        // the stream goes on until the profile's number of transfers was attempted
        await().atMost(Duration.ofMinutes(30)).pollInterval(Duration.ofMillis(500)).until(pacer::exhausted);
        stopLoad.set(true);
        load.shutdown();
        assertThat(load.awaitTermination(5, TimeUnit.MINUTES)).isTrue();
        doubles.shutdown();
        assertThat(doubles.awaitTermination(5, TimeUnit.MINUTES)).isTrue();
        restarts.shutdown();
        report.put("load_s", secondsSince(t0));

        // --- quiescence: every transfer at its end and its ledger posting landed ---
        long quiet = System.nanoTime();
        boolean quiescent = true;
        try {
            await().atMost(profile.quiescenceMax()).pollInterval(Duration.ofSeconds(1)).until(() ->
                    invariants.unfinished().isEmpty() && invariants.stateDisagreements().isEmpty());
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            quiescent = false;
        }
        report.put("quiescent", quiescent);
        report.put("time_to_quiescence_s", secondsSince(quiet));

        figures(payout, mobile, intents);
        invariants.violations().forEach((name, list) -> report.violation("invariant " + name, list));
        reconcile(payout);
    }

    /**
     * Hands out slots (intent numbers) at a rate, up to a limit: 70 % of the transfers during the fault schedule,
     * then as many as the rolling restart takes at half the rate, then the rest. A slot is due one interval after the
     * previous one; a worker sleeps until its slot is due; none when the limit is reached (-1).
     */
    private static final class Pacer {
        private long intervalNanos;
        private int limit;
        private int next;
        private long due = System.nanoTime();

        Pacer(double ratePerSecond, int limit) {
            limit(ratePerSecond, limit);
        }

        synchronized void limit(double ratePerSecond, int limit) {
            this.intervalNanos = (long) (1e9 / ratePerSecond);
            this.limit = limit;
            this.due = Math.max(due, System.nanoTime());
        }

        synchronized boolean exhausted() {
            return next >= limit;
        }

        int next() throws InterruptedException {
            int slot;
            long at;
            synchronized (this) {
                if (next >= limit) {
                    return -1;
                }
                slot = next++;
                at = due;
                due = Math.max(due, System.nanoTime() - intervalNanos * 10) + intervalNanos;
            }
            sleepUntil(at);
            return slot;
        }
    }

    private Intent send(MobileClient mobile, ExecutorService doubles, String[] me, int slot, String phase) {
        Random random = new Random(profile.seed() * 31 + slot);
        String key = UUID.nameUUIDFromBytes((profile.seed() + "/" + slot).getBytes()).toString();
        String account = random.nextInt(10) == 0 ? ACCOUNT_REJECTED : ACCOUNT_OK;
        String body = """
                {"source_account":"%s","destination":{"bank_code":"004","account_number":"%s"},
                 "amount":"1000","currency":"KRW","memo":"fault suite %d"}""".formatted(me[2], account, slot);
        int first = random.nextInt(2);
        // a double tap: the same request again, at the same time, on the other instance
        CompletableFuture<MobileClient.Outcome> second = random.nextInt(20) == 0
                ? CompletableFuture.supplyAsync(() -> mobile.postTransfer(me[1], key, body, first + 1), doubles)
                : null;
        MobileClient.Outcome outcome = mobile.postTransfer(me[1], key, body, first);
        return new Intent(slot, phase, me[0], key, outcome, second == null ? null : second.join());
    }

    private void figures(Payout payout, MobileClient mobile, ConcurrentLinkedQueue<Intent> intents) {
        List<Intent> all = new ArrayList<>(intents);
        List<Intent> accepted = all.stream().filter(i -> i.outcome().accepted()).toList();
        report.put("transfers_attempted", all.size());
        report.put("transfers_accepted", accepted.size());
        report.put("transfers_by_phase", all.stream()
                .collect(Collectors.groupingBy(Intent::phase, TreeMap::new, Collectors.counting())));
        report.put("client_retries", mobile.retries());
        report.put("doubled_posts", all.stream().filter(i -> i.doubled() != null).count());
        Map<String, Long> errorsByPhase = all.stream().filter(i -> !i.outcome().accepted())
                .collect(Collectors.groupingBy(Intent::phase, TreeMap::new, Collectors.counting()));
        report.put("client_visible_errors_after_retries", errorsByPhase);
        Map<String, Object> states = new TreeMap<>();
        payout.query("transfer", "select state, count(*) n from transfers group by state")
                .forEach(r -> states.put((String) r.get("state"), r.get("n")));
        report.put("transfers_by_state", states);
        report.put("double_executions", payout.executions().values().stream().filter(n -> n > 1).count());
        Map<String, Object> sums = new TreeMap<>();
        payout.query("ledger", "select currency, sum(amount_minor) s from entries group by currency")
                .forEach(r -> sums.put((String) r.get("currency"), r.get("s")));
        report.put("ledger_sum_by_currency", sums);

        // a rolling restart must cost the clients nothing; the chaos errors are figures (a PostgreSQL restart can
        // outlast a retry budget), their transfers still have to satisfy every invariant
        report.violation("client-visible errors during the rolling restart", all.stream()
                .filter(i -> "rolling".equals(i.phase()) && !i.outcome().accepted())
                .map(i -> "intent " + i.client() + "/" + i.key() + ": " + i.outcome().status() + " "
                        + abbreviate(i.outcome().detail()))
                .toList());
        report.violation("a doubled POST answered with another transfer", all.stream()
                .filter(i -> i.doubled() != null && i.doubled().accepted() && i.outcome().accepted()
                        && !i.doubled().id().equals(i.outcome().id()))
                .map(i -> "intent " + i.key() + ": " + i.outcome().id() + " and " + i.doubled().id()).toList());
        Set<String> known = payout.query("transfer", "select id::text id from transfers").stream()
                .map(r -> (String) r.get("id")).collect(Collectors.toSet());
        List<String> lost = accepted.stream().map(i -> i.outcome().id()).filter(id -> !known.contains(id)).toList();
        report.put("lost_transfers", lost.size());
        report.violation("lost (accepted, not in the transfer database)", lost);
        List<String> stuck = payout.query("transfer",
                        "select id::text id, state from transfers where state not in ('SETTLED', 'FAILED')").stream()
                .map(r -> r.get("id") + " " + r.get("state")).toList();
        report.put("stuck_transfers", stuck.size());
    }

    private void reconcile(Payout payout) {
        List<String> mismatches = new ArrayList<>();
        Map<String, Object> byDate = new LinkedHashMap<>();
        for (Map<String, Object> d : payout.query("transfer",
                "select distinct value_date::text d from transfers where value_date is not null order by 1")) {
            String date = (String) d.get("d");
            JsonPath r = payout.ops("ledger").contentType("application/json")
                    .body("{\"date\":\"" + date + "\",\"reason\":\"fault suite\"}")
                    .when().post("/v1/reconciliations").then().statusCode(201).extract().jsonPath();
            byDate.put(date, Map.of("status", r.getString("status"), "matched", r.getLong("matched"),
                    "mismatches", r.getList("mismatches").size()));
            if (!"COMPLETED".equals(r.getString("status"))) {
                mismatches.add(date + ": reconciliation " + r.getString("status"));
            }
            for (Map<String, Object> m : r.<Map<String, Object>>getList("mismatches")) {
                mismatches.add(date + " " + m.get("kind") + " transfer " + m.get("transfer_id") + " ref " + m.get("external_ref"));
            }
        }
        report.put("reconciliation", byDate);
        report.put("reconciliation_mismatches", mismatches.size());
        report.violation("reconciliation mismatches", mismatches);
    }

    private static String abbreviate(String s) {
        return s == null || s.length() <= 200 ? s : s.substring(0, 200) + "…";
    }

    private static double secondsSince(long nanos) {
        return Math.round((System.nanoTime() - nanos) / 1e8) / 10.0;
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long ms = (nanoTime - System.nanoTime()) / 1_000_000;
        if (ms > 0) {
            Thread.sleep(ms);
        }
    }
}
