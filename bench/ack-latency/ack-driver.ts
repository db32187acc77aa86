// The second process of the ack-latency bench: sends a fixed mix of signed requests at each rate
// for a bounded time (open loop: a slow answer does not slow the sending) and reports latencies.
import { performance } from "node:perf_hooks";
import { SlackRequestSender } from "../../src/stand-ins/slack/slack-request-signer";
import { percentile } from "../bench-results";
import { type DriverRequest, type DriverResult, isDriverRequest, RATES, SECONDS_PER_RATE, WARM_UP } from "./ack-driver-protocol";

const USER = { id: "U0OPERATOR", name: "olivia" };
const CHANNEL = "C0OFFBOARD";

async function runRate(request: DriverRequest, sender: SlackRequestSender, rate: number, count = rate * SECONDS_PER_RATE): Promise<DriverResult> {
  const latencies: number[] = [];
  let errors = 0;
  const inFlight: Array<Promise<void>> = [];
  const start = performance.now();
  for (let i = 0; i < count; i += 1) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const responseUrl = request.responseUrls[i % request.responseUrls.length] ?? "";
    // a third each: help, a customer lookup that opens the case view, a Re-check press
    const kind = i % 3;
    const sent = performance.now();
    const call =
      kind === 0
        ? sender.slashCommand(USER, CHANNEL, "help", responseUrl)
        : kind === 1
          ? sender.slashCommand(USER, CHANNEL, "Trey Research", responseUrl)
          : sender.blockAction(USER, CHANNEL, "1.000001", { action_id: "recheck", value: JSON.stringify({ c: request.caseId }) }, responseUrl);
    inFlight.push(
      call.then(
        (response) => {
          latencies.push(performance.now() - sent);
          if (response.status !== 200) errors += 1;
        },
        () => {
          errors += 1;
        },
      ),
    );
  }
  await Promise.all(inFlight);
  latencies.sort((a, b) => a - b);
  return { rate, sent: count, errors, p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: latencies[latencies.length - 1] ?? Number.NaN };
}

process.once("message", (message: unknown) => {
  if (!isDriverRequest(message)) process.exit(2);
  void (async () => {
    const sender = new SlackRequestSender(message.appUrl, message.signingSecret);
    // Warm-up, not counted: the first requests load code lazily in both processes (Node's fetch
    // here, Bolt's and Prisma's paths in the app), which shows up as a one-off stall of ~100 ms.
    const warmUp = await runRate(message, sender, WARM_UP.rate, WARM_UP.count);
    console.log(`driver: warm-up ${WARM_UP.count} requests at ${WARM_UP.rate}/s (not counted): max ${warmUp.max.toFixed(1)} ms, errors ${warmUp.errors}`);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const results: DriverResult[] = [];
    for (const rate of RATES) {
      const result = await runRate(message, sender, rate);
      console.log(`driver: ${rate}/s: p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms, max ${result.max.toFixed(1)} ms, errors ${result.errors}`);
      results.push(result);
      // let the app finish the work behind the acks before the next rate
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
    process.send?.({ results }, undefined, {}, () => process.exit(0));
  })();
});
