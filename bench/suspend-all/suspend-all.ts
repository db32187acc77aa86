// Suspend all on the demo partner's 500-subscription customer through the workflow and the runner,
// against the emulator with 100 ms latency and a rate limit R; compared with the throttle bound
// (500 calls at R/min) and with a one-at-a-time loop through the same client, in the same run;
// the wall time runs from the press (reading the customer, queuing the job) to the job's end.
// A second run injects 10% faults (429 and 503) and counts what the emulator ends up holding.
import { performance } from "node:perf_hooks";
import { DEMO_TENANTS } from "../../src/stand-ins/partner-center";
import { OPERATOR, startBenchApp, suspendAllEndedMs, type BenchApp } from "../bench-app";
import { type BenchRow, finishBench } from "../bench-results";

// R well above one-at-a-time (~1 call per 100 ms latency = ~550/min), so the 10× target can show
const RATE_PER_MINUTE = 6_000;
const LATENCY_MS = 100;
const SEQUENTIAL_SAMPLE = 50;
const TENANT = DEMO_TENANTS.bigCustomer;

function suspendedCount(bench: BenchApp): { suspended: number; total: number } {
  const customer = bench.emulator.snapshot().customers.find((c) => c.id === TENANT);
  const subs = customer?.subscriptions ?? [];
  return { suspended: subs.filter((s) => s.status === "suspended").length, total: subs.length };
}

/** Opens a case and queues Suspend all as an operator would; resolves when the job is finished. */
async function suspendAllThroughWorkflow(bench: BenchApp): Promise<{ ms: number; queued: number; done: number; failed: number }> {
  const { workflow, store } = bench.app;
  const opened = await workflow.startCase(OPERATOR.id, TENANT);
  if (!opened.ok) throw new Error(`could not open a case: ${opened.refusal.message}`);
  const caseId = opened.value.removalCase.id;
  // the operator reads the case before pressing; its message refresh is done by then
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const pressedAt = Date.now();
  const queued = await workflow.suspendAll(OPERATOR.id, caseId);
  if (!queued.ok) throw new Error(`suspend all refused: ${queued.refusal.message}`);
  const jobId = queued.value.job.id;
  const elapsed = await suspendAllEndedMs(bench.app, jobId, pressedAt);
  const progress = await store.jobs.progress(jobId);
  return { ms: elapsed, queued: queued.value.queued, done: progress.done, failed: progress.failed };
}

async function run(label: string, faults: boolean): Promise<{ rows: BenchRow[]; wallMs: number }> {
  const bench = await startBenchApp({
    emulator: { latencyMs: LATENCY_MS, rpm: RATE_PER_MINUTE, ...(faults ? { faultRate: 0.05, throttleFaultRate: 0.05, throttleRetryAfterSeconds: 1 } : {}) },
    // the client's limit at the emulator's; 16 in flight cover 100 ms latency at R (R × latency = 10)
    env: { PARTNER_CENTER_RPM: String(RATE_PER_MINUTE), SUSPEND_CONCURRENCY: "16", DIRECTORY_SYNC_MINUTES: "600" },
  });
  try {
    // start-up's first directory sync is over before anyone presses a button
    await bench.app.directory.sync();
    const result = await suspendAllThroughWorkflow(bench);
    const emu = suspendedCount(bench);
    const stats = bench.emulator.stats();
    const boundMs = (result.queued / RATE_PER_MINUTE) * 60_000;
    const ratio = result.ms / boundMs;
    console.log(`${label}: ${result.queued} queued, ${result.done} done, ${result.failed} failed in ${(result.ms / 1000).toFixed(1)} s; bound ${(boundMs / 1000).toFixed(1)} s; emulator: ${emu.suspended}/${emu.total} suspended, ${stats.throttled} throttled, ${stats.faults} faults`);
    const rows: BenchRow[] = [];
    if (!faults) {
      rows.push({ bench: "suspend-all", figure: `${result.queued} subs at R=${RATE_PER_MINUTE}/min, ${LATENCY_MS} ms latency: ${(result.ms / 1000).toFixed(1)} s vs bound ${(boundMs / 1000).toFixed(1)} s (${ratio.toFixed(2)}×)`, target: "≤ 1.15× bound", pass: ratio <= 1.15 });
    } else {
      const lost = emu.total - emu.suspended;
      rows.push({
        bench: "suspend-all",
        figure: `10% injected (${stats.throttled} 429, ${stats.faults} 503): ${emu.suspended}/${emu.total} suspended, ${result.failed} failed, ${(result.ms / 1000).toFixed(1)} s`,
        target: "nothing lost",
        pass: lost === 0 && result.failed === 0,
      });
    }
    return { rows, wallMs: result.ms };
  } finally {
    await bench.close();
  }
}

/**
 * One subscription after the other through the same client, as the old PartnerCenter PowerShell
 * module does it: Set-PartnerCustomerSubscription reads the subscription, then PATCHes it. Half
 * the sample does exactly that; the other half only PATCHes (a script that reuses one list's
 * etags), reported beside it. Returns milliseconds per subscription for each.
 */
async function sequentialSample(): Promise<{ readThenPatchMs: number; patchOnlyMs: number }> {
  const bench = await startBenchApp({ emulator: { latencyMs: LATENCY_MS, rpm: RATE_PER_MINUTE }, env: { PARTNER_CENTER_RPM: String(RATE_PER_MINUTE), DIRECTORY_SYNC_MINUTES: "600" } });
  try {
    const api = bench.app.partnerCenter.api;
    const subs = (await api.listSubscriptions(TENANT)).filter((s) => s.status === "active").slice(0, SEQUENTIAL_SAMPLE);
    const half = Math.floor(subs.length / 2);
    let started = performance.now();
    for (const sub of subs.slice(0, half)) await api.updateSubscription(TENANT, await api.getSubscription(TENANT, sub.id), { status: "suspended" });
    const readThenPatchMs = (performance.now() - started) / half;
    started = performance.now();
    for (const sub of subs.slice(half)) await api.updateSubscription(TENANT, sub, { status: "suspended" });
    const patchOnlyMs = (performance.now() - started) / (subs.length - half);
    return { readThenPatchMs, patchOnlyMs };
  } finally {
    await bench.close();
  }
}

async function main(): Promise<void> {
  const clean = await run("suspend all", false);
  const sequential = await sequentialSample();
  const powershellMs = sequential.readThenPatchMs * 500;
  const patchOnlyMs = sequential.patchOnlyMs * 500;
  const speedup = powershellMs / clean.wallMs;
  console.log(
    `one at a time: ${sequential.readThenPatchMs.toFixed(0)} ms per subscription reading then patching, ${sequential.patchOnlyMs.toFixed(0)} ms patching only (sample of ${SEQUENTIAL_SAMPLE})`,
  );
  const faulty = await run("suspend all with faults", true);
  await finishBench([
    ...clean.rows,
    {
      bench: "suspend-all",
      figure: `one at a time as the PowerShell module does (GET + PATCH): ${(powershellMs / 1000).toFixed(1)} s for 500 (extrapolated from ${SEQUENTIAL_SAMPLE / 2}); Suspend all ${speedup.toFixed(1)}× faster`,
      target: "≥ 10× faster",
      pass: speedup >= 10,
    },
    {
      bench: "suspend-all",
      figure: `one at a time, PATCH only: ${(patchOnlyMs / 1000).toFixed(1)} s for 500 (extrapolated from ${SEQUENTIAL_SAMPLE / 2}); Suspend all ${(patchOnlyMs / clean.wallMs).toFixed(1)}× faster`,
      target: "",
      pass: null,
    },
    ...faulty.rows,
  ]);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
