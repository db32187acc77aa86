// Customer search: fills the directory with 100,000 customers through DirectoryRepository.upsertMany
// (pages, as the sync does), then runs the customer picker's typeahead query — prefixes and
// substrings of 2–6 characters — many times through the app's own search path. Reports p50/p99
// and the process's peak RSS (the whole app runs here: embedded database, emulator, Bolt).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { openDatabase } from "../../src/store";
import type { Customer } from "../../src/domain";
import { stableGuid } from "../../src/stand-ins/partner-center";
import { seededRandom } from "../../src/stand-ins/seeded-random";
import { startBenchApp } from "../bench-app";
import { type BenchRow, finishBench, ms, peakRssMb, percentile } from "../bench-results";

const CUSTOMERS = 100_000;
const PAGE = 1_000;
const QUERIES = 1_000;
const WARM_UP = 50;

const FIRST = ["Contoso", "Fabrikam", "Northwind", "Adventure", "Alpine", "Coho", "Proseware", "Trey", "Woodgrove", "Litware", "Tailspin", "Wingtip", "Lucerne", "Margie", "Humongous", "Blue", "Fourth", "Graphic", "Nod", "Relecloud", "Wide", "Southridge", "Consolidated", "Datum", "Lamna", "Boulder", "Bellows", "Munson", "Trey", "VanArsdel"];
const SECOND = ["Pharmaceuticals", "Bank", "Traders", "Works", "Ski House", "Winery", "Research", "Airlines", "Toys", "Publishing", "Insurance", "Design", "Electronics", "Logistics", "Partners", "Dairy", "Coffee", "Energy", "Foods", "Systems", "Health", "Legal", "Motors", "Studios", "Travel"];
const SUFFIX = ["", " Ltd", " B.V.", " GmbH", " Inc.", " LLC", " S.A.", " plc"];

/** A deterministic, varied directory: word pairs, a numeric branch and a legal suffix. */
function customerAt(i: number): Customer {
  const first = FIRST[i % FIRST.length] ?? "Contoso";
  const second = SECOND[Math.floor(i / FIRST.length) % SECOND.length] ?? "Works";
  const suffix = SUFFIX[Math.floor(i / (FIRST.length * SECOND.length)) % SUFFIX.length] ?? "";
  const branch = Math.floor(i / (FIRST.length * SECOND.length * SUFFIX.length));
  const companyName = `${first} ${second}${branch > 0 ? ` ${branch}` : ""}${suffix}`;
  const domain = `${first}${second.replace(/\s/g, "")}${branch}`.toLowerCase() + ".onmicrosoft.com";
  return { tenantId: stableGuid(`bench-${i}`), companyName, domain, relationshipToPartner: i % 50 === 0 ? "none" : "reseller" };
}

/** What people type into a picker: the start of a name (most), a piece of a word, a domain part, a miss. */
function typeaheadQueries(count: number): string[] {
  // seeded so every run asks the same questions
  const random = seededRandom(7);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const queries: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const length = 2 + Math.floor(random() * 5);
    const word = pick([...FIRST, ...SECOND]).replace(/\s/g, "");
    const kind = random();
    if (kind < 0.5) queries.push(word.slice(0, length));
    else if (kind < 0.8) {
      const start = Math.floor(random() * Math.max(1, word.length - length));
      queries.push(word.slice(start, start + length));
    } else if (kind < 0.9) queries.push(`${word.slice(0, 3)} ${pick(SECOND).slice(0, 2)}`);
    else queries.push(`zq${Math.floor(random() * 9999)}`.slice(0, length));
  }
  return queries;
}

/**
 * A new user's first start creates the database cluster (PGlite runs initdb in a second WebAssembly
 * instance, a one-off peak); every later start opens it. The cluster is made by a process of its
 * own, so the app's figure below is the app at work; the first-start peak is reported beside it.
 */
function createCluster(dataDir: string): number {
  const out = execFileSync(process.execPath, [__filename, "--create-cluster", dataDir], { encoding: "utf8" });
  return Number(/peak-rss-mb=(\d+(?:\.\d+)?)/.exec(out)?.[1] ?? Number.NaN);
}

async function createClusterOnly(dataDir: string): Promise<void> {
  const db = await openDatabase({ dataDir });
  await db.close();
  console.log(`peak-rss-mb=${peakRssMb().toFixed(1)}`);
}

async function main(): Promise<void> {
  // on disk, like the default DATA_DIR a new user has; a fresh directory per run
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-directory-"));
  const firstStartRss = createCluster(dataDir);
  // the whole app, so the RSS is the app's; no background sync (it would overwrite the directory)
  const bench = await startBenchApp({ background: false, dataDir });
  try {
    const directory = bench.app.store.directory;
    const fillStarted = performance.now();
    const syncedAt = new Date();
    for (let offset = 0; offset < CUSTOMERS; offset += PAGE) {
      await directory.upsertMany(Array.from({ length: Math.min(PAGE, CUSTOMERS - offset) }, (_, k) => customerAt(offset + k)), syncedAt);
    }
    // what DirectorySync does after a full sync
    await directory.refreshStatistics();
    const fillMs = performance.now() - fillStarted;
    const count = await directory.count();
    console.log(`filled ${count} customers in ${(fillMs / 1000).toFixed(1)} s; peak RSS so far ${peakRssMb().toFixed(0)} MB`);

    const queries = typeaheadQueries(WARM_UP + QUERIES);
    const timings: number[] = [];
    let hits = 0;
    for (const [index, query] of queries.entries()) {
      const started = performance.now();
      // the picker's path: DirectorySync.search, as /offboard <text> calls it
      const found = await bench.app.directory.search(query, 10);
      const elapsed = performance.now() - started;
      if (index >= WARM_UP) {
        timings.push(elapsed);
        if (found.length > 0) hits += 1;
      }
    }
    timings.sort((a, b) => a - b);
    const p50 = percentile(timings, 50);
    const p99 = percentile(timings, 99);
    const max = timings[timings.length - 1] ?? Number.NaN;
    const rss = peakRssMb();
    console.log(`${QUERIES} queries (${hits} with matches): p50 ${ms(p50)}, p99 ${ms(p99)}, max ${ms(max)}; peak RSS ${rss.toFixed(0)} MB`);
    const rows: BenchRow[] = [
      { bench: "customer-search", figure: `${count} customers filled in ${(fillMs / 1000).toFixed(1)} s`, target: "", pass: count === CUSTOMERS ? null : false },
      { bench: "customer-search", figure: `typeahead p50 ${ms(p50)}, max ${ms(max)}`, target: "", pass: null },
      { bench: "customer-search", figure: `typeahead p99 ${ms(p99)} (${QUERIES} queries)`, target: "p99 < 50 ms", pass: p99 < 50 },
      { bench: "customer-search", figure: `app peak RSS ${rss.toFixed(0)} MB (start, fill, search)`, target: "< 250 MB", pass: rss < 250 },
      { bench: "customer-search", figure: `first start only (initdb): peak RSS ${firstStartRss.toFixed(0)} MB`, target: "", pass: null },
    ];
    await finishBench(rows);
  } finally {
    await bench.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

const [flag, clusterDir] = process.argv.slice(2);
(flag === "--create-cluster" && clusterDir ? createClusterOnly(clusterDir) : main()).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
