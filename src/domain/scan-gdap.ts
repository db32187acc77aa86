// What the portfolio scan says of a candidate's GDAP relationships. Removing the reseller
// relationship does not end them, and an offboarded customer that still grants the partner admin
// roles is what the security guidance asks partners to clean up; so the scan reads them for the
// customers it offers for removal (ready and suspend-only), with the same per-status decisions an
// approved removal would take (gdap.ts). They never change a customer's class.
import type { CleanupClass } from "./cleanup-classes";
import { type GdapRelationship, planGdapEnding } from "./gdap";

export type ScanGdap =
  /** GDAP is off (GRAPH_DISABLED), or the class is not one offered for removal */
  | { read: "not_checked" }
  | { read: "ok"; toEnd: number; unrecognised: number; total: number }
  | { read: "failed"; error: string };

/** The classes whose GDAP relationships the scan reads: the ones it offers for removal. */
export function scanReadsGdap(cleanupClass: CleanupClass): boolean {
  return cleanupClass === "ready" || cleanupClass === "suspend_only";
}

export function summarizeScanGdap(relationships: readonly GdapRelationship[]): ScanGdap {
  const plan = planGdapEnding(relationships);
  return { read: "ok", toEnd: plan.toTerminate.length + plan.toDelete.length, unrecognised: plan.unrecognised.length, total: relationships.length };
}

/** The scan's line (and CSV field) for it, in words. */
export function scanGdapWords(gdap: ScanGdap): string {
  if (gdap.read === "not_checked") return "";
  if (gdap.read === "failed") return `not read: ${gdap.error}`;
  if (gdap.total === 0) return "none";
  const parts = [`${gdap.toEnd} to end`];
  // fail closed: a status the app does not know is named, never counted as ended
  if (gdap.unrecognised > 0) parts.push(`${gdap.unrecognised} in a status the app does not recognise`);
  const ended = gdap.total - gdap.toEnd - gdap.unrecognised;
  if (ended > 0) parts.push(`${ended} ended or ending`);
  return parts.join(", ");
}

/** Whether the customer still grants the partner admin access the removal would leave in place. */
export function scanGdapOpen(gdap: ScanGdap): boolean {
  return gdap.read === "ok" && gdap.toEnd + gdap.unrecognised > 0;
}
