// One line of the doctor's report: what was checked, whether it holds, and what to do when not.

export type CheckStatus = "ok" | "failed" | "skipped";

export interface CheckResult {
  /** what was checked, e.g. "Slack: bot token (auth.test)" */
  name: string;
  status: CheckStatus;
  /** what was found, in plain words; never a secret */
  detail: string;
  /** what to do about it (failed checks always have one) */
  fix?: string;
}

export const ok = (name: string, detail: string): CheckResult => ({ name, status: "ok", detail });
export const failed = (name: string, detail: string, fix: string): CheckResult => ({ name, status: "failed", detail, fix });
export const skipped = (name: string, detail: string): CheckResult => ({ name, status: "skipped", detail });

const MARK: Record<CheckStatus, string> = { ok: "✔", failed: "✘", skipped: "–" };

/** The report as printed: one line per check, the fix indented under each ✘. */
export function formatReport(results: CheckResult[]): string {
  const lines: string[] = [];
  for (const result of results) {
    lines.push(`${MARK[result.status]} ${result.name}: ${result.detail}`);
    if (result.status === "failed" && result.fix) lines.push(`    fix: ${result.fix}`);
  }
  const failures = results.filter((r) => r.status === "failed").length;
  lines.push(failures === 0 ? "All checks passed." : `${failures} check${failures === 1 ? "" : "s"} failed.`);
  return lines.join("\n") + "\n";
}

/** An Error's message, or the thing itself as text. */
export function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Settles with `work`, or rejects once `ms` have passed. */
export function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
