// Portfolio clean-up: starting a scan of every customer, where it stands, its result (counts per
// class, the top reasons, every customer's row for the CSV) and the clean-up candidates. The
// scan itself is worked by PortfolioScanJob.
import crypto from "node:crypto";
import { BATCHABLE_CLASSES, BLOCKER_KIND_WORDS, type BlockerKind, CLEANUP_CLASSES, type CleanupClass, scanGdapOpen } from "../domain";
import type { ScanCounts, ScanRecord, ScannedCustomer } from "../store";
import { type Outcome, success } from "./results";
import type { WorkflowContext } from "./workflow-context";

/** tries per scan: each one resumes where the last stopped */
export const SCAN_ATTEMPTS = 5;

export interface ScanStarted {
  /** false: a scan was already running, and this is it */
  created: boolean;
  scan: ScanRecord;
}

export interface ScanStatus {
  scan: ScanRecord;
  counts: ScanCounts;
}

export interface ScanReport extends ScanStatus {
  /** the most common reasons among blocked and unreadable customers, most common first */
  topReasons: Array<{ cleanupClass: CleanupClass; reason: string; customers: number }>;
  /** every customer read, in list order */
  customers: ScannedCustomer[];
  /** the candidates' GDAP relationships; null when the scan read none (GDAP off) */
  gdap: { withAccess: number; notRead: number } | null;
}

export async function startScan(ctx: WorkflowContext, actor: string, channelId: string): Promise<Outcome<ScanStarted>> {
  const permission = await ctx.permit(actor, "operate", "scan.start", null);
  if (!permission.ok) return permission;
  const started = await ctx.store.scans.start({ requestedBy: actor, channelId, key: `scan:${crypto.randomUUID()}`, maxAttempts: SCAN_ATTEMPTS }, ctx.clock());
  if (started.created) {
    await ctx.store.audit.append({ actor, action: "scan.started", outcome: "ok", detail: { jobId: started.scan.jobId, channelId }, at: ctx.clock() });
    ctx.onScanQueued();
  }
  return success(started);
}

/** The running scan, else the last one; null when there has never been one. */
export async function scanStatus(ctx: WorkflowContext, actor: string): Promise<Outcome<ScanStatus | null>> {
  const permission = await ctx.permit(actor, "operate", "scan.status", null);
  if (!permission.ok) return permission;
  const scan = await ctx.store.scans.latest();
  return success(scan ? { scan, counts: await ctx.store.scans.counts(scan.jobId) } : null);
}

export async function scanReport(ctx: WorkflowContext, jobId: string, topReasons = 5): Promise<ScanReport | null> {
  const scan = await ctx.store.scans.get(jobId);
  if (!scan) return null;
  const [counts, customers] = await Promise.all([ctx.store.scans.counts(jobId), ctx.store.scans.results(jobId)]);
  return { scan, counts, customers, topReasons: tallyReasons(customers).slice(0, topReasons), gdap: tallyGdap(customers) };
}

/** Candidates that still grant the partner admin access, and those whose GDAP could not be read. */
export function tallyGdap(customers: readonly ScannedCustomer[]): ScanReport["gdap"] {
  const read = customers.filter((c) => c.gdap && c.gdap.read !== "not_checked");
  if (read.length === 0) return null;
  return { withAccess: read.filter((c) => c.gdap && scanGdapOpen(c.gdap)).length, notRead: read.filter((c) => c.gdap?.read === "failed").length };
}

/** Blocked customers counted by kind of blocker, unreadable ones by Partner Center's message. */
export function tallyReasons(customers: readonly ScannedCustomer[]): ScanReport["topReasons"] {
  const tally = new Map<string, { cleanupClass: CleanupClass; reason: string; customers: number }>();
  const count = (cleanupClass: CleanupClass, reason: string) => {
    const key = `${cleanupClass}:${reason}`;
    const entry = tally.get(key) ?? { cleanupClass, reason, customers: 0 };
    entry.customers += 1;
    tally.set(key, entry);
  };
  for (const c of customers) {
    if (c.cleanupClass === "blocked") for (const kind of c.blockerKinds) count("blocked", BLOCKER_KIND_WORDS[kind as BlockerKind] ?? kind);
    if (c.cleanupClass === "unreadable") count("unreadable", c.reasons[0] ?? "unreadable");
  }
  return [...tally.values()].sort((a, b) => b.customers - a.customers || a.reason.localeCompare(b.reason));
}

export interface CleanupCandidates {
  scan: ScanRecord;
  customers: ScannedCustomer[];
}

/**
 * The latest scan's customers of these classes (the Home tab's clean-up candidates: the classes a
 * batch may take), up to `limit` of each class so one class never crowds out another, for an
 * operator; undefined for anyone else (nothing to show them), null when no scan has run.
 */
export async function cleanupCandidates(ctx: WorkflowContext, actor: string, classes: readonly CleanupClass[] = BATCHABLE_CLASSES, limit = 20): Promise<CleanupCandidates | null | undefined> {
  if (!(await ctx.checkRole(actor, "operate")).ok) return undefined;
  const scan = await ctx.store.scans.latest();
  if (!scan) return null;
  const wanted = classes.filter((c) => CLEANUP_CLASSES.includes(c));
  const lists = await Promise.all(wanted.map((c) => ctx.store.scans.results(scan.jobId, [c], limit)));
  return { scan, customers: lists.flat() };
}

/** One scan with its counts (the progress bar). */
export async function scanProgress(ctx: WorkflowContext, jobId: string): Promise<ScanStatus | null> {
  const scan = await ctx.store.scans.get(jobId);
  return scan ? { scan, counts: await ctx.store.scans.counts(jobId) } : null;
}

/** The scan's progress message, and the channel that took it (where it was started, or where the front end had to post it instead). */
export function placeScanMessage(ctx: WorkflowContext, jobId: string, ts: string, channelId: string): Promise<void> {
  return ctx.store.scans.setMessage(jobId, ts, channelId);
}

export function placeScanResult(ctx: WorkflowContext, jobId: string, ts: string, channelId: string): Promise<void> {
  return ctx.store.scans.setResult(jobId, ts, channelId);
}
