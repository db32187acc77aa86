// What every bench reports: its figures as table rows, sent to run-all over IPC when forked,
// and printed either way; a missed target makes the bench exit non-zero.
export interface BenchRow {
  bench: string;
  figure: string;
  target: string;
  /** null: informational, no target */
  pass: boolean | null;
}

export interface BenchReport {
  kind: "bench-report";
  rows: BenchRow[];
}

export function isBenchReport(value: unknown): value is BenchReport {
  return typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === "bench-report" && Array.isArray((value as { rows?: unknown }).rows);
}

/** Nearest-rank percentile over an ascending-sorted array. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

export const ms = (value: number): string => `${value.toFixed(1)} ms`;

export function formatTable(rows: readonly BenchRow[]): string {
  const cells = rows.map((r) => [r.bench, r.figure, r.target, r.pass === null ? "-" : r.pass ? "pass" : "FAIL"]);
  const header = ["bench", "figure", "target", "result"];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? "").length)));
  const line = (c: string[]) => c.map((v, i) => v.padEnd(widths[i] ?? 0)).join(" | ");
  return [line(header), widths.map((w) => "-".repeat(w)).join("-|-"), ...cells.map(line)].join("\n");
}

/** Prints the rows, hands them to run-all when forked by it, and sets the exit code. */
export async function finishBench(rows: BenchRow[]): Promise<void> {
  console.log(formatTable(rows));
  if (process.send) {
    const report: BenchReport = { kind: "bench-report", rows };
    await new Promise<void>((resolve) => process.send?.(report, undefined, {}, () => resolve()));
  }
  process.exitCode = rows.some((r) => r.pass === false) ? 1 : 0;
}

/** Peak resident set size of this process so far, in MB (maxRSS is in kB). */
export function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}
