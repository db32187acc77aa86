// The portfolio scan over a generated partner of 5,000 customers, the emulator (100 ms latency,
// rate limit R) and Slack in a process of their own: the scan's wall time against the pacing
// bound (its Partner Center calls at R/min: calls per customer × N / R), and this process's peak
// RSS. Then, in a fresh app, an operator's Suspend all on a 500-subscription customer started
// while a scan runs, against Suspend all's own bound (500 calls at R/min).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { openDatabase } from "../../src/store";
import { generatedTenantId } from "../../src/stand-ins/partner-center";
import type { Application } from "../../src/app";
import { OPERATOR, OPS_CHANNEL, startAppAgainst, suspendAllEndedMs } from "../bench-app";
import { type BenchRow, finishBench, peakRssMb } from "../bench-results";
import { type ScanServices, startScanServices } from "./scan-services";

const CUSTOMERS = 5_000;
const RATE_PER_MINUTE = 12_000;
const LATENCY_MS = 100;
const RSS_LIMIT_MB = 250;
// 48 in flight: the scan may hold 36 (R × latency = 20, plus the app's own time per call), an operator's calls the rest
const ENV = { PARTNER_CENTER_RPM: String(RATE_PER_MINUTE), SUSPEND_CONCURRENCY: "48", SCAN_CONCURRENCY: "24", DIRECTORY_SYNC_MINUTES: "600" };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The database on disk, as a new user's default DATA_DIR, its cluster made by a process of its
 * own (initdb is a one-off peak of a first start; see the customer-search bench).
 */
function freshDataDir(): string {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-scan-"));
  execFileSync(process.execPath, [__filename, "--create-cluster", dataDir], { stdio: "inherit" });
  return dataDir;
}

async function startWorld(): Promise<{ services: ScanServices; app: Application; dataDir: string }> {
  const dataDir = freshDataDir();
  const services = await startScanServices({ customers: CUSTOMERS, latencyMs: LATENCY_MS, rpm: RATE_PER_MINUTE });
  const app = await startAppAgainst(services.settings, { env: ENV, dataDir });
  // start-up's directory sync is over before anyone types a command
  await app.directory.sync();
  return { services, app, dataDir };
}

async function startScan(app: Application): Promise<string> {
  const started = await app.workflow.startScan(OPERATOR.id, OPS_CHANNEL);
  if (!started.ok) throw new Error(`the scan was refused: ${started.refusal.message}`);
  return started.value.scan.jobId;
}

/** The largest of each memory figure while `work` runs, sampled every 250 ms (where the RSS goes). */
async function sampleMemory<T>(work: () => Promise<T>): Promise<{ result: T; peak: Record<string, number> }> {
  const peak: Record<string, number> = {};
  const sample = () => {
    for (const [key, value] of Object.entries(process.memoryUsage())) peak[key] = Math.max(peak[key] ?? 0, Math.round(value / 1048576));
  };
  const timer = setInterval(sample, 250);
  try {
    return { result: await work(), peak };
  } finally {
    clearInterval(timer);
    sample();
  }
}

async function scanAlone(): Promise<BenchRow[]> {
  const { services, app, dataDir } = await startWorld();
  console.log(`app started, directory synced: peak RSS so far ${peakRssMb().toFixed(0)} MB, now ${JSON.stringify(process.memoryUsage())}`);
  try {
    const before = (await services.stats()).total;
    const started = performance.now();
    const { result: jobId, peak } = await sampleMemory(async () => {
      const id = await startScan(app);
      for (;;) {
        const scan = await app.store.scans.get(id);
        if (scan && !scan.active) return id;
        await sleep(100);
      }
    });
    const elapsed = performance.now() - started;
    console.log(`memory during the scan, largest of each (MB): ${JSON.stringify(peak)}`);
    const stats = await services.stats();
    const counts = await app.store.scans.counts(jobId);
    const calls = stats.total - before;
    const boundMs = (calls / RATE_PER_MINUTE) * 60_000;
    const ratio = elapsed / boundMs;
    const rss = peakRssMb();
    console.log(`scan: ${counts.done} customers, ${calls} calls (${(calls / counts.done).toFixed(2)} per customer), ${(elapsed / 1000).toFixed(1)} s; bound ${(boundMs / 1000).toFixed(1)} s; ${stats.throttled} throttled; classes ${JSON.stringify(counts.byClass)}; CSV ${stats.csvRows} rows`);
    return [
      {
        bench: "portfolio-scan",
        figure: `${counts.done} customers, ${(calls / counts.done).toFixed(2)} calls each at R=${RATE_PER_MINUTE}/min, ${LATENCY_MS} ms latency: ${(elapsed / 1000).toFixed(1)} s vs bound ${(boundMs / 1000).toFixed(1)} s (${ratio.toFixed(2)}×)`,
        target: "≤ 1.15× bound",
        pass: ratio <= 1.15 && counts.done === CUSTOMERS && stats.csvRows === CUSTOMERS,
      },
      { bench: "portfolio-scan", figure: `peak RSS of the app during the scan: ${rss.toFixed(0)} MB`, target: `< ${RSS_LIMIT_MB} MB`, pass: rss < RSS_LIMIT_MB },
    ];
  } finally {
    await app.close();
    await services.close();
    // each run's database is some 65 MB on disk
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function suspendAllDuringScan(): Promise<BenchRow[]> {
  const { services, app, dataDir } = await startWorld();
  try {
    const tenant = generatedTenantId(0);
    const opened = await app.workflow.startCase(OPERATOR.id, tenant);
    if (!opened.ok) throw new Error(`could not open a case: ${opened.refusal.message}`);
    const jobId = await startScan(app);
    // the scan is under way (its calls fill the background slots) when the operator presses
    for (;;) {
      if ((await app.store.scans.counts(jobId)).done >= 500) break;
      await sleep(50);
    }
    const pressedAt = Date.now();
    const queued = await app.workflow.suspendAll(OPERATOR.id, opened.value.removalCase.id);
    if (!queued.ok) throw new Error(`suspend all refused: ${queued.refusal.message}`);
    const queuedMs = Date.now() - pressedAt;
    const elapsed = await suspendAllEndedMs(app, queued.value.job.id, pressedAt);
    const progress = await app.store.jobs.progress(queued.value.job.id);
    const scanActive = (await app.store.scans.get(jobId))?.active ?? false;
    const boundMs = (queued.value.queued / RATE_PER_MINUTE) * 60_000;
    const ratio = elapsed / boundMs;
    console.log(`suspend all during the scan: ${progress.done}/${queued.value.queued} done, ${progress.failed} failed, ${(elapsed / 1000).toFixed(2)} s (the press's live read and queuing ${(queuedMs / 1000).toFixed(2)} s); bound ${(boundMs / 1000).toFixed(1)} s; scan still running: ${scanActive}`);
    return [
      {
        bench: "portfolio-scan",
        figure: `Suspend all (${queued.value.queued} subs) during the scan: ${(elapsed / 1000).toFixed(1)} s vs bound ${(boundMs / 1000).toFixed(1)} s (${ratio.toFixed(2)}×)`,
        target: "≤ 1.15× bound",
        pass: ratio <= 1.15 && progress.failed === 0 && scanActive,
      },
    ];
  } finally {
    await app.close();
    await services.close();
    // each run's database is some 65 MB on disk
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  // SCAN_BENCH_PART=during runs only the Suspend all during a scan (when working on that figure)
  const alone = process.env.SCAN_BENCH_PART === "during" ? [] : await scanAlone();
  const during = await suspendAllDuringScan();
  await finishBench([...alone, ...during]);
}

if (process.argv[2] === "--create-cluster") {
  void openDatabase({ dataDir: process.argv[3] ?? "" }).then((db) => db.close());
} else {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
