package dev.resilient.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.resilient.examples.Timeline.Call;
import dev.resilient.examples.Timeline.Outcome;
import dev.resilient.examples.Timeline.Tally;
import dev.resilient.runtime.RateLimitedException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo, run as the README runs it: in real time, against a server whose failures are random,
 * so no count is fixed. What is checked is that each number means what it says: the client's
 * requests (its {@code onAttempt} events) against the server's own count, each call's outcome
 * against the requests it made, the summary against the calls, and each breaker transition
 * against the attempt that caused it.
 */
class DemoTest {
    private static Demo.Summary summary;
    private static String timeline;

    @BeforeAll
    static void runTheDemo() throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
            summary = Demo.run(out);
        }
        timeline = buffer.toString(StandardCharsets.UTF_8);
    }

    @Test
    void eachCallOfTheOutagePartIsWhatItsOutcomeSays() {
        List<Call> calls = summary.outage().calls();
        assertEquals(50, calls.size());
        for (Call call : calls) {
            Tally server = call.delegates().get(0);
            String which = "call " + call.number() + " " + call + "\n" + timeline;
            assertEquals(call.outcome() == Outcome.REJECTED_AT_ONCE, server.requests() == 0,
                    "rejected at once exactly when no request reached the client: " + which);
            assertTrue(server.requests() <= 3, "at most maxAttempts requests: " + which);
            assertEquals(server.requests() == 0 ? 0 : 1, server.requests() - server.retries(), "one first attempt: " + which);
            assertTrue(server.serverRequests() >= server.requests() - server.unanswered(),
                    "the server counted every request it answered: " + which);
            switch (call.outcome()) {
                case ANSWERED -> assertEquals(0, call.answeredBy(), which);
                case FAILED -> assertEquals(server.requests(), server.failed(), which);
                case REFUSED_AFTER_REQUESTS -> {
                    assertTrue(call.causeSet(), "the refusal carries the failure before it: " + which);
                    assertEquals(server.requests(), server.failed(), which);
                }
                case REJECTED_AT_ONCE -> assertTrue(!call.causeSet(), "nothing failed before: " + which);
            }
        }
    }

    @Test
    void theServerSawWhatTheClientSent() {
        for (Demo.Part part : List.of(summary.outage(), summary.failover())) {
            for (int delegate = 0; delegate < part.delegates().size(); delegate++) {
                int sent = part.sum(delegate, Tally::requests);
                int unanswered = part.sum(delegate, Tally::unanswered);
                int counted = part.sum(delegate, Tally::serverRequests);
                String which = part.delegates().get(delegate) + ": sent " + sent + ", " + unanswered + " unanswered, counted "
                        + counted + "\n" + timeline;
                assertTrue(counted <= sent, "a server cannot see more than was sent: " + which);
                assertTrue(counted >= sent - unanswered, "it counts every request it answers: " + which);
            }
        }
        // A request the client gave up on may be counted late, during a later call; none is sent
        // while the breaker rejects calls at once.
        int unanswered = summary.outage().sum(0, Tally::unanswered);
        assertTrue(summary.outage().serverRequestsWhileRejectedAtOnce() <= unanswered, timeline);
    }

    @Test
    void theOutageSummarySaysWhatTheCallsDid() {
        List<Call> calls = summary.outage().calls();
        int answered = 0;
        int afterRetry = 0;
        int failed = 0;
        int refused = 0;
        int atOnce = 0;
        int requests = 0;
        int retries = 0;
        int counted = 0;
        int countedAtOnce = 0;
        for (Call call : calls) {
            Tally server = call.delegates().get(0);
            requests += server.requests();
            retries += server.retries();
            counted += server.serverRequests();
            switch (call.outcome()) {
                case ANSWERED -> {
                    answered++;
                    afterRetry += server.retries() > 0 ? 1 : 0;
                }
                case FAILED -> failed++;
                case REFUSED_AFTER_REQUESTS -> refused++;
                case REJECTED_AT_ONCE -> {
                    atOnce++;
                    countedAtOnce += server.serverRequests();
                }
            }
        }
        assertEquals(calls.size(), answered + failed + refused + atOnce);
        assertEquals(List.of(calls.size(), answered, afterRetry, failed, refused, atOnce), numbers(
                "(\\d+) calls: (\\d+) answered \\((\\d+) of them after a retry\\), (\\d+) failed, "
                        + "(\\d+) refused by the breaker after failed requests, (\\d+) rejected at once\\."));
        assertEquals(List.of(requests, requests - retries, retries, counted, countedAtOnce), numbers(
                "The client sent (\\d+) requests: (\\d+) first attempts and (\\d+) retries\\. "
                        + "The server counted (\\d+), (\\d+) of them during the calls rejected at once\\."));
        // Each call's result line agrees with its outcome.
        String outagePart = timeline.substring(0, timeline.indexOf("Failover: "));
        assertEquals(atOnce, occurrences(outagePart, "-> rejected at once, no request sent: circuit breaker 'weather' is OPEN"), timeline);
        assertEquals(refused, occurrences(outagePart, "-> refused by the breaker after "), timeline);
        assertEquals(failed, occurrences(outagePart, "-> failed: "), timeline);
        assertEquals(answered, occurrences(outagePart, "        -> ") - atOnce - refused - failed, timeline);
    }

    @Test
    void theOutageOpensTheBreakerWhichRejectsThenClosesAgain() {
        Demo.Part outage = summary.outage();
        assertTrue(outage.calls().stream().anyMatch(call -> call.delegates().get(0).retries() > 0), timeline);
        assertTrue(timeline.contains("retrying in"), timeline);
        assertTrue(outage.count(Outcome.REJECTED_AT_ONCE) > 0, timeline);
        int opened = outage.callOf("weather: CLOSED -> OPEN");
        int closed = outage.callOf("weather: HALF_OPEN -> CLOSED");
        assertTrue(opened > 0 && closed > opened, outage.transitions() + "\n" + timeline);
    }

    @Test
    void eachTransitionFollowsTheAttemptThatCausedIt() {
        for (Demo.Part part : List.of(summary.outage(), summary.failover())) {
            for (Call call : part.calls()) {
                for (String transition : call.transitions()) {
                    Tally primary = call.delegates().get(0);
                    if (transition.equals("weather: CLOSED -> OPEN") || transition.equals("weather: HALF_OPEN -> OPEN")) {
                        assertTrue(primary.failed() > 0, "opened by a failed request: call " + call.number() + "\n" + timeline);
                    } else if (transition.equals("weather: HALF_OPEN -> CLOSED")) {
                        assertEquals(0, call.answeredBy(), "closed by the trial call's answer: call " + call.number() + "\n" + timeline);
                    }
                }
            }
        }
        String[] lines = timeline.substring(0, timeline.indexOf("\nRetry budget: ")).split("\\R");
        int checked = 0;
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].matches(" +>> breaker '\\S+': (CLOSED|HALF_OPEN) -> OPEN")) {
                assertTrue(lines[i - 1].matches(" +attempt \\d+ .*failed \\(.*"),
                        "printed right under the failed attempt: " + lines[i - 1] + "\n" + lines[i] + "\n" + timeline);
                checked++;
            } else if (lines[i].matches(" +>> breaker '\\S+': HALF_OPEN -> CLOSED")) {
                assertTrue(lines[i - 1].matches(" +-> (?!failed|refused|rejected).*"),
                        "printed right under the answer: " + lines[i - 1] + "\n" + lines[i] + "\n" + timeline);
                checked++;
            }
        }
        assertTrue(checked >= 3, timeline); // the outage's opening and closing, the failover's opening and closing
    }

    @Test
    void failoverGoesToTheBackupWhileThePrimaryIsDownAndBackToThePrimaryOnceItIsUp() {
        Demo.Part failover = summary.failover();
        for (Call call : failover.calls()) {
            Tally primary = call.delegates().get(0);
            Tally backup = call.delegates().get(1);
            String which = "call " + call.number() + " " + call + "\n" + timeline;
            assertEquals(primary.rejected() > 0, primary.requests() == 0, "the primary is skipped exactly when not called: " + which);
            assertEquals(primary.rejected() > 0 || primary.failed() > 0, backup.requests() > 0,
                    "the backup is called exactly when the primary failed or was skipped: " + which);
            assertTrue(call.outcome() == Outcome.ANSWERED || backup.unanswered() > 0, "the healthy backup answers: " + which);
        }
        int opened = failover.callOf("weather: CLOSED -> OPEN");
        int closed = failover.callOf("weather: HALF_OPEN -> CLOSED");
        assertTrue(opened > 0 && closed > opened, "the primary's breaker opened, then closed: " + failover.transitions() + "\n" + timeline);
        assertTrue(failover.sum(0, Tally::rejected) > 0, "its open breaker spared the primary: " + timeline);
        assertTrue(failover.answeredBy(1, 0) > 0, timeline);
        assertTrue(failover.answeredBy(0, closed - 1) >= 3, "the primary answers again once back: " + timeline);
        assertTrue(timeline.contains("attempt 1 to the primary failed (HttpStatusException: HTTP 503: {\"error\":\"unavailable\"})"), timeline);
        assertTrue(timeline.contains("the primary skipped: circuit breaker 'weather' is OPEN"), timeline);
        assertTrue(timeline.contains("(from backup #1)") && timeline.contains("(from the primary)"), timeline);
    }

    @Test
    void theFailoverSummarySaysWhatTheCallsDid() {
        Demo.Part failover = summary.failover();
        List<Call> calls = failover.calls();
        int[] answeredBy = new int[2];
        int[] requests = new int[2];
        int[] failed = new int[2];
        int[] skipped = new int[2];
        int[] counted = new int[2];
        for (Call call : calls) {
            if (call.answeredBy() >= 0) {
                answeredBy[call.answeredBy()]++;
            }
            for (int i = 0; i < 2; i++) {
                Tally tally = call.delegates().get(i);
                requests[i] += tally.requests();
                failed[i] += tally.failed();
                skipped[i] += tally.rejected();
                counted[i] += tally.serverRequests();
            }
        }
        int answered = answeredBy[0] + answeredBy[1];
        assertEquals(List.of(calls.size(), answered, answeredBy[0], answeredBy[1], calls.size() - answered), numbers(
                "(\\d+) calls: (\\d+) answered, (\\d+) by the primary and (\\d+) by backup #1; (\\d+) not answered\\."));
        assertEquals(List.of(requests[0], failed[0], skipped[0], counted[0]), numbers(
                "The primary was sent (\\d+) requests \\((\\d+) failed\\) and skipped (\\d+) times by its open breaker; "
                        + "its server counted (\\d+)\\."));
        assertEquals(List.of(requests[1], failed[1], skipped[1], counted[1]), numbers(
                "Backup #1 was sent (\\d+) requests \\((\\d+) failed\\) and skipped (\\d+) times by its open breaker; "
                        + "its server counted (\\d+)\\."));
        int closed = failover.callOf("weather: HALF_OPEN -> CLOSED");
        int answeredSince = (int) calls.stream().filter(call -> call.number() >= closed && call.answeredBy() == 0).count();
        assertEquals(List.of(closed, answeredSince, calls.size() - closed + 1), numbers(
                "its breaker closed during call (\\d+), and it answered (\\d+) of the (\\d+) calls from that one on\\."));
    }

    @Test
    void withoutABudgetTheDownServerSeesEveryAttemptOfEveryCall() {
        RetryBudgetPart.Side without = summary.budget().without();
        int calls = RetryBudgetPart.Result.calls();
        assertEquals(calls, without.run().calls().size());
        assertEquals(0, without.run().answered(), "the server is down throughout");
        assertEquals(FleetClients.MAX_ATTEMPTS * calls, without.serverRequests(), timeline);
        assertEquals((FleetClients.MAX_ATTEMPTS - 1) * calls, without.retries(), timeline);
        assertEquals(0, without.refused(), timeline);
    }

    /**
     * Every call wants two retries and the budget grows by 0.2 a call, so retries are refused to
     * the end: after the last refusal, when the budget had less than one retry left, each call
     * started took its two retries, more than the 0.2 it added. So the fleet uses the budget up
     * exactly, however its threads interleave, as long as the part stays inside one window.
     */
    @Test
    void theBudgetHoldsTheFleetsRetriesToItsRatioOfTheCallsPlusItsReserve() {
        RetryBudgetPart.Side with = summary.budget().with();
        int calls = RetryBudgetPart.Result.calls();
        assertTrue(with.run().seconds() < 0.9 * FleetClients.BUDGET_WINDOW_SECONDS, "inside one window: " + with.run().seconds());
        assertEquals(calls, with.run().calls().size());
        assertEquals(50, RetryBudgetPart.Result.allowedRetries(), "0.2 x 200 calls + 1 a second x 10 s");
        assertEquals(RetryBudgetPart.Result.allowedRetries(), with.retries(), timeline);
        assertEquals(calls + with.retries(), with.serverRequests(), "each request is a first attempt or an allowed retry: " + timeline);
        // A call ends on its first refusal, or after both retries: at most a quarter of the retries' worth of calls made both.
        assertTrue(with.refused() <= calls && with.refused() >= calls - with.retries() / 2, with.refused() + " refused\n" + timeline);
        RetryBudgetPart.Side without = summary.budget().without();
        String part = timeline.substring(timeline.indexOf("\nRetry budget: "), timeline.indexOf("\nRate limit: "));
        assertEquals(List.of(without.serverRequests(), with.serverRequests()), numbers(part, "requests the server saw +(\\d+) +(\\d+)"));
        assertEquals(List.of(without.retries(), with.retries()), numbers(part, "retries made +(\\d+) +(\\d+)"));
        assertEquals(List.of(without.refused(), with.refused()), numbers(part, "retries refused +(\\d+) +(\\d+)"));
    }

    @Test
    void theRateLimitHoldsTheRequestsTheServerSeesAndRefusesTheRestBeforeSending() {
        RateLimitPart.Result rate = summary.rateLimit();
        Fleet.Run run = rate.run();
        int refused = run.failedWith(RateLimitedException.class);
        assertEquals(RateLimitPart.THREADS * RateLimitPart.CALLS_EACH, run.calls().size());
        assertEquals(run.calls().size(), run.answered() + refused, "answered or refused by the limit, nothing else: " + timeline);
        assertEquals(run.answered(), rate.serverRequests(), "a refused call sends no request: " + timeline);
        assertTrue(refused > 0, "the fleet offers more than the limit: " + timeline);
        // The bucket starts full and refills one token each per / permits: no more can pass in the run's time.
        double tokens = FleetClients.RATE_PERMITS + run.seconds() * RateLimitPart.Result.limitPerSecond();
        assertTrue(run.answered() <= tokens + 1, run.answered() + " answered in " + run.seconds() + " s\n" + timeline);
        assertTrue(rate.perSecond().size() >= 2, timeline);
        assertEquals(List.of(run.calls().size(), run.answered(), refused, rate.serverRequests()),
                numbers("(\\d+) calls in [\\d.]+ s: (\\d+) answered, (\\d+) refused with RateLimitedException; "
                        + "the server saw (\\d+) requests"));
    }

    @Test
    void repliesOf503AreRetriedAndCountedByTheBreakerWithoutEverBeingThrown() {
        FailuresAsValuesPart.Result values = summary.values();
        int attempts = 0;
        int unanswered = 0;
        for (FailuresAsValuesPart.Call call : values.calls()) {
            String which = "call " + call.number() + " " + call + "\n" + timeline;
            assertTrue(call.attempts().size() <= 3, "at most maxAttempts: " + which);
            assertEquals(Math.max(0, call.attempts().size() - 1), call.waits().size(), "a wait before each retry, none after the last: " + which);
            for (String retried : call.attempts().subList(0, call.waits().size())) {
                assertTrue(retried.equals("503") || retried.equals("no answer"), "only 503 replies and failures are retried: " + which);
            }
            assertTrue(!(call.failure() instanceof HttpStatusException), "a reply is never thrown: " + which);
            assertEquals(call.attempts().isEmpty(), call.rejectedAtOnce(), "no request only when the breaker rejected the call: " + which);
            if (call.reply() != null) {
                assertEquals(String.valueOf(call.reply().status()), call.attempts().get(call.attempts().size() - 1),
                        "the caller gets the last reply: " + which);
            }
            attempts += call.attempts().size();
            unanswered += (int) call.attempts().stream().filter("no answer"::equals).count();
        }
        assertTrue(values.serverRequests() <= attempts && values.serverRequests() >= attempts - unanswered, timeline);
        assertTrue(values.retried("503") > 0, "503 replies were retried: " + timeline);
        assertTrue(values.answered(503) > 0, "a call whose retries ran out on 503s returned the reply: " + timeline);

        // The breaker opened on replies: in consecutive mode, the four attempts up to the one that opened it were 503s.
        int opened = values.openedAt();
        assertTrue(opened > 0, "the outage opens the breaker: " + timeline);
        List<String> upToOpening = values.calls().stream().filter(call -> call.number() <= opened)
                .flatMap(call -> call.attempts().stream()).toList();
        assertEquals(List.of("503", "503", "503", "503"), upToOpening.subList(upToOpening.size() - 4, upToOpening.size()), timeline);
        assertTrue(values.calls().stream().anyMatch(FailuresAsValuesPart.Call::rejectedAtOnce), "then it rejects calls: " + timeline);
        assertTrue(values.transitions().contains("weather-api: HALF_OPEN -> CLOSED"), "and closes again: " + timeline);
        assertEquals(List.of(values.serverRequests(), values.attempts("200"), values.attempts("503"), values.retried("503")),
                numbers("The server counted (\\d+) requests; the client got (\\d+) replies of 200 and (\\d+) of 503, "
                        + "and retried (\\d+) of those 503s\\."));
    }

    /**
     * The calls are made one at a time, so a hedge's request directly follows its call's first
     * one, and of two requests in a row at most one is slow: every hedged call has a fast answer
     * to take. The bound below is the slowness itself, ten times the hedge's delay.
     */
    @Test
    void theHedgeCutsTheSlowAnswersTheCallerWouldOtherwiseWaitFor() {
        HedgePart.Side without = summary.hedge().without();
        HedgePart.Side with = summary.hedge().with();
        assertEquals(HedgePart.CALLS, without.run().answered(), timeline);
        assertEquals(HedgePart.CALLS, with.run().answered(), timeline);
        assertEquals(HedgePart.CALLS, without.serverRequests(), "one request per call without a hedge: " + timeline);
        assertEquals(0, without.hedges());
        assertTrue(without.slowCalls() >= HedgePart.CALLS / HedgePart.SLOW_EVERY, "every 10th request is slow: " + timeline);
        assertTrue(without.run().percentile(99).compareTo(HedgePart.SLOWNESS) >= 0, timeline);

        assertTrue(with.hedges() >= 1, "the hedge fired: " + timeline);
        assertTrue(with.serverRequests() <= HedgePart.CALLS + with.hedges() && with.serverRequests() > HedgePart.CALLS,
                "a second request for each hedge, some of which the server saw: " + timeline);
        assertEquals(0, with.slowCalls(), "no caller waited for a slow answer: " + timeline);
        assertTrue(with.run().percentile(99).compareTo(HedgePart.SLOWNESS) < 0, timeline);
        String part = timeline.substring(timeline.indexOf("\nHedged read: "));
        assertEquals(List.of(without.serverRequests(), with.serverRequests()), numbers(part, "requests the server saw +(\\d+) +(\\d+)"));
        assertEquals(List.of(without.slowCalls(), with.slowCalls()), numbers("calls of 500 ms or more +(\\d+) +(\\d+)"));
        assertEquals(List.of(without.hedges(), with.hedges()), numbers("second attempts started +(\\d+) +(\\d+)"));
    }

    /** The numbers of the one line of the timeline that matches {@code regex}. */
    private static List<Integer> numbers(String regex) {
        return numbers(timeline, regex);
    }

    /** The numbers of the one line of {@code text} that matches {@code regex}. */
    private static List<Integer> numbers(String text, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        assertTrue(matcher.find(), "no line matches " + regex + "\n" + timeline);
        List<Integer> numbers = new ArrayList<>();
        for (int group = 1; group <= matcher.groupCount(); group++) {
            numbers.add(Integer.parseInt(matcher.group(group)));
        }
        assertTrue(!matcher.find(), "more than one line matches " + regex);
        return numbers;
    }

    private static int occurrences(String in, String text) {
        int count = 0;
        for (int at = in.indexOf(text); at >= 0; at = in.indexOf(text, at + 1)) {
            count++;
        }
        return count;
    }
}
