// Acknowledgement latency: the app (with its embedded database) runs here; Slack's Web API and
// Partner Center stand-ins run in a process of their own (bench/remote-services.ts), as the real
// ones are remote; a forked driver process sends signed slash commands and button presses at
// 200/s and times each HTTP response, which Bolt sends when the listener acks. The floor is a
// bare Bolt app (bare-bolt.ts: same receiver, listeners that only ack) in a process of its own,
// measured in alternating rounds with the app, so the app's tail is judged against what this
// shared machine gives a Bolt app at the same time. After a short, uncounted warm-up (WARM_UP),
// the rounds are the steady state; between rounds the app finishes the work behind the acks.
import { type ChildProcess, fork } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { DEMO_TENANTS } from "../../src/stand-ins/partner-center";
import { INTERACTION_JOB } from "../../src/slack/interaction-jobs";
import { OPERATOR, OPS_CHANNEL, startAppAgainst } from "../bench-app";
import { type BenchRow, finishBench, ms } from "../bench-results";
import { startRemoteServices } from "../remote-services";
import { type DriverRequest, type DriverResult, type RoundRequest, type Target, isDriverResult, RATE, ROUNDS, SECONDS_PER_ROUND, WARM_UP } from "./ack-driver-protocol";
import type { FloorReady } from "./bare-bolt";

/** the targets: the median round's p99 under this, the worst round's p99 at most this many floors */
const MEDIAN_P99_MS = 50;
const WORST_TO_FLOOR = 2;
/** how long the app may take to finish a round's work before the next round starts anyway */
const DRAIN_LIMIT_MS = 120_000;

function startFloor(signingSecret: string): Promise<{ url: string; child: ChildProcess }> {
  // the app's Node flags (run-all passes them to this process), so the floor runs as the app does
  const child = fork(path.join(__dirname, "bare-bolt.js"), ["--serve"], { execArgv: process.execArgv.filter((flag) => !flag.startsWith("--cpu-prof")), stdio: ["ignore", "inherit", "inherit", "ipc"] });
  return new Promise((resolve, reject) => {
    child.once("message", (message: unknown) => resolve({ url: (message as FloorReady).floorUrl, child }));
    child.once("exit", (code) => reject(new Error(`the bare Bolt app exited with ${code ?? "a signal"}`)));
    child.send({ signingSecret });
  });
}

function startDriver(request: DriverRequest): Promise<{ round(target: Target, round: number, rate: number, count: number): Promise<DriverResult>; stop(): void }> {
  // the driver stands in for Slack: it runs on Node's defaults, not with the app's memory flags
  const driver = fork(path.join(__dirname, "ack-driver.js"), [], { execArgv: [], stdio: ["ignore", "inherit", "inherit", "ipc"] });
  let pending: { resolve: (r: DriverResult) => void; reject: (e: Error) => void } | null = null;
  driver.on("message", (message: unknown) => {
    if (isDriverResult(message)) pending?.resolve(message);
  });
  driver.on("exit", (code) => pending?.reject(new Error(`driver exited with ${code ?? "a signal"} before reporting`)));
  return new Promise((resolve) => {
    driver.once("message", () =>
      resolve({
        round: (target, round, rate, count) =>
          new Promise<DriverResult>((res, rej) => {
            pending = { resolve: res, reject: rej };
            driver.send({ kind: "round", target, round, rate, count } satisfies RoundRequest);
          }),
        stop: () => driver.disconnect(),
      }),
    );
    driver.send(request);
  });
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN;
};

async function main(): Promise<void> {
  // one response_url per request sent, to the app and to the floor (Slack's take 5 posts each, and expire)
  const requests = 2 * (WARM_UP.count + ROUNDS * RATE * SECONDS_PER_ROUND);
  const services = await startRemoteServices({ channel: OPS_CHANNEL, user: OPERATOR.id, responseUrls: requests });
  const signingSecret = services.settings.SLACK_SIGNING_SECRET;
  if (!signingSecret) throw new Error("the remote services sent no signing secret");
  const floor = await startFloor(signingSecret);
  // on disk, as `npm start` keeps it: the acks' journal is a file there (src/store/job-journal.ts)
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "ack-bench-"));
  const app = await startAppAgainst(services.settings, { dataDir, env: { PARTNER_CENTER_RPM: "6000", DIRECTORY_SYNC_MINUTES: "600" } });
  try {
    await app.directory.sync();
    // a real case, so Re-check presses do real work
    const opened = await app.workflow.startCase(OPERATOR.id, DEMO_TENANTS.legacyOnly);
    if (!opened.ok) throw new Error(opened.refusal.message);
    const driver = await startDriver({ appUrl: app.url, floorUrl: floor.url, signingSecret, caseId: opened.value.removalCase.id, responseUrls: services.responseUrls });
    const drain = async (): Promise<number> => {
      const started = performance.now();
      while ((await app.store.queue.unfinished([INTERACTION_JOB])) > 0 && performance.now() - started < DRAIN_LIMIT_MS) await new Promise((r) => setTimeout(r, 200));
      return performance.now() - started;
    };
    // Warm-up, not counted: the first requests load code lazily in every process (Node's fetch
    // in the driver, Bolt's and Prisma's paths in the app), a one-off stall of ~100 ms.
    for (const target of ["floor", "app"] as const) {
      const warmUp = await driver.round(target, 0, WARM_UP.rate, WARM_UP.count);
      console.log(`ack-latency: ${target} warm-up ${WARM_UP.count} at ${WARM_UP.rate}/s (not counted): max ${ms(warmUp.max)}, errors ${warmUp.errors}`);
    }
    await drain();
    const results: DriverResult[] = [];
    // where an app round's tail comes from: the main thread's event loop, and how long acknowledged
    // requests wait in the journal (src/store/job-journal.ts) before the job table has them
    const loopDelay = monitorEventLoopDelay({ resolution: 5 });
    loopDelay.enable();
    const inserts: number[] = [];
    const enqueue = app.store.queue.enqueue.bind(app.store.queue);
    app.store.queue.enqueue = (job, now) => {
      const started = performance.now();
      return enqueue(job, now).finally(() => inserts.push(performance.now() - started));
    };
    for (let round = 1; round <= ROUNDS; round += 1) {
      for (const target of ["floor", "app"] as const) {
        loopDelay.reset();
        inserts.length = 0;
        const result = await driver.round(target, round, RATE, RATE * SECONDS_PER_ROUND);
        if (target === "app") {
          const sorted = [...inserts].sort((a, b) => a - b);
          console.log(`ack-latency: round ${round} app: main thread loop delay p99 ${ms(loopDelay.percentile(99) / 1e6)}, max ${ms(loopDelay.max / 1e6)}; into the job table p50 ${ms(sorted[Math.floor(sorted.length / 2)] ?? 0)}, p99 ${ms(sorted[Math.floor(sorted.length * 0.99)] ?? 0)}, max ${ms(sorted[sorted.length - 1] ?? 0)}`);
        }
        const drained = target === "app" ? await drain() : 0;
        console.log(`ack-latency: round ${round} ${target} ${RATE}/s: p50 ${ms(result.p50)}, p99 ${ms(result.p99)}, max ${ms(result.max)}, errors ${result.errors}${target === "app" ? `; work behind the acks done ${(drained / 1000).toFixed(1)} s later` : ""}`);
        results.push(result);
      }
    }
    driver.stop();
    await finishBench(summarise(results));
  } finally {
    await app.close();
    floor.child.disconnect();
    await services.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

function summarise(results: DriverResult[]): BenchRow[] {
  const of = (target: Target) => results.filter((r) => r.target === target).sort((a, b) => a.p99 - b.p99);
  const app = of("app");
  const floor = of("floor");
  const worst = app[app.length - 1];
  const floorWorst = floor[floor.length - 1];
  if (!worst || !floorWorst) return [{ bench: "ack-latency", figure: "no rounds measured", target: "", pass: false }];
  const appMedian = median(app.map((r) => r.p99));
  const floorMedian = median(floor.map((r) => r.p99));
  // the floor a round is judged against: the median of the floor's rounds, so one unlucky floor round neither helps nor hurts
  const ratio = worst.p99 / floorMedian;
  const errors = app.reduce((n, r) => n + r.errors, 0) + floor.reduce((n, r) => n + r.errors, 0);
  const rounds = (list: DriverResult[]) => [...list].sort((a, b) => a.round - b.round).map((r) => r.p99.toFixed(1)).join(", ");
  return [
    { bench: "ack-latency", figure: `bare Bolt ${RATE}/s × ${ROUNDS} rounds of ${RATE * SECONDS_PER_ROUND}: p99 per round ${rounds(floor)} ms; median ${ms(floorMedian)}, worst ${ms(floorWorst.p99)}`, target: "", pass: null },
    { bench: "ack-latency", figure: `app ${RATE}/s × ${ROUNDS} rounds: p99 per round ${rounds(app)} ms`, target: "", pass: null },
    { bench: "ack-latency", figure: `app median round p99 ${ms(appMedian)}`, target: `< ${MEDIAN_P99_MS} ms`, pass: appMedian < MEDIAN_P99_MS },
    { bench: "ack-latency", figure: `app worst round p99 ${ms(worst.p99)} (round ${worst.round}, max ${ms(worst.max)}) = ${ratio.toFixed(2)}× floor`, target: `≤ ${WORST_TO_FLOOR}× bare Bolt, no errors (${errors})`, pass: ratio <= WORST_TO_FLOOR && errors === 0 },
  ];
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
