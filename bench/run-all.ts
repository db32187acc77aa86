// Runs every bench in a child process of its own (so each reports its own peak RSS), collects the
// rows they send over IPC, prints one table, and exits non-zero when any target is missed.
import { fork } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { type BenchRow, formatTable, isBenchReport } from "./bench-results";

const BENCHES = ["suspend-all/suspend-all.js", "customer-search/customer-search.js", "ack-latency/ack-latency.js", "portfolio-scan/portfolio-scan.js"];

const ROOT = path.resolve(__dirname, "..", "..");

/**
 * The Node flags and environment `npm start` runs the app with (package.json config.nodeFlags and
 * config.mallocEnv), so each bench measures the app as it runs.
 */
function startSettings(): { flags: string[]; env: Record<string, string> } {
  const manifest = z.object({ config: z.object({ nodeFlags: z.string().default(""), mallocEnv: z.string().default("") }).default({ nodeFlags: "", mallocEnv: "" }) });
  const { config } = manifest.parse(JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")));
  const env: Record<string, string> = {};
  for (const pair of config.mallocEnv.split(/\s+/).filter(Boolean)) {
    const match = /^([A-Z_]+)=(\S*)$/.exec(pair);
    if (!match?.[1] || match[2] === undefined) throw new Error(`config.mallocEnv: unreadable ${pair}`);
    env[match[1]] = match[2];
  }
  return { flags: config.nodeFlags.split(/\s+/).filter(Boolean), env };
}

function runBench(file: string): Promise<{ rows: BenchRow[]; code: number | null }> {
  return new Promise((resolve) => {
    const rows: BenchRow[] = [];
    const { flags, env } = startSettings();
    const child = fork(path.join(__dirname, file), [], { execArgv: flags, env: { ...process.env, ...env }, stdio: ["ignore", "inherit", "inherit", "ipc"] });
    child.on("message", (message: unknown) => {
      if (isBenchReport(message)) rows.push(...message.rows);
    });
    child.on("exit", (code) => resolve({ rows, code }));
  });
}

async function main(): Promise<void> {
  const all: BenchRow[] = [];
  let failed = false;
  for (const file of BENCHES) {
    const name = file.split("/")[0] ?? file;
    console.log(`\n== ${name}`);
    const { rows, code } = await runBench(file);
    all.push(...rows);
    if (code !== 0) failed = true;
    // a bench that died before reporting still shows up, as a failure
    if (rows.length === 0) all.push({ bench: name, figure: `exited with ${code ?? "a signal"} before reporting`, target: "", pass: false });
  }
  console.log(`\n${formatTable(all)}`);
  process.exitCode = failed || all.some((r) => r.pass === false) ? 1 : 0;
}

void main();
