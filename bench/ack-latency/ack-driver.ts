// The second process of the ack-latency bench: sends a fixed mix of signed requests at a fixed
// rate for a bounded time (open loop: a slow answer does not slow the sending) and reports
// latencies, one round at a time as the bench asks (ack-latency.ts alternates the app and the
// bare-Bolt floor, so both see the same moments of this shared machine).
import { performance } from "node:perf_hooks";
import { SlackRequestSender } from "../../src/stand-ins/slack/slack-request-signer";
import { percentile } from "../bench-results";
import { type DriverRequest, type DriverResult, isDriverRequest, isRoundRequest, type Target } from "./ack-driver-protocol";

const USER = { id: "U0OPERATOR", name: "olivia" };
let nextResponseUrl = 0;
const CHANNEL = "C0OFFBOARD";

async function runRound(request: DriverRequest, sender: SlackRequestSender, target: Target, round: number, rate: number, count: number): Promise<DriverResult> {
  const latencies: number[] = [];
  let errors = 0;
  const inFlight: Array<Promise<void>> = [];
  const start = performance.now();
  for (let i = 0; i < count; i += 1) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    // each request its own response_url, as Slack gives: one takes only 5 posts
    const responseUrl = request.responseUrls[nextResponseUrl++ % request.responseUrls.length] ?? "";
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
  return { target, round, rate, sent: count, errors, p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: latencies[latencies.length - 1] ?? Number.NaN };
}

// The bench sends the target first, then one message per round (it lets the app finish the work
// behind each round's acks before the next); each round's result goes back as it ends.
process.once("message", (message: unknown) => {
  if (!isDriverRequest(message)) process.exit(2);
  const senders: Record<Target, SlackRequestSender> = {
    app: new SlackRequestSender(message.appUrl, message.signingSecret),
    floor: new SlackRequestSender(message.floorUrl, message.signingSecret),
  };
  process.on("message", (next: unknown) => {
    if (!isRoundRequest(next)) return;
    void runRound(message, senders[next.target], next.target, next.round, next.rate, next.count).then((result) => process.send?.(result));
  });
  process.send?.({ kind: "driver-ready" });
});
