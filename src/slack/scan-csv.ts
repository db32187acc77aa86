// The scan's CSV: one row per customer (tenant id, name, class, blockers, last activity, GDAP). Fields
// are quoted as RFC 4180 wants, and text that a spreadsheet would run as a formula (a company
// name starting with = + - @) is prefixed with ' so opening the file runs nothing.
import { BLOCKER_KIND_WORDS, type BlockerKind, scanGdapWords } from "../domain";
import type { ScannedCustomer } from "../store";

const HEADER = ["tenant id", "name", "domain", "class", "blockers", "reasons", "last activity", "GDAP relationships"];

export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function scanCsv(customers: readonly ScannedCustomer[]): string {
  const rows = customers.map((c) =>
    [
      c.tenantId,
      c.companyName,
      c.domain,
      c.cleanupClass,
      c.blockerKinds.map((k) => BLOCKER_KIND_WORDS[k as BlockerKind] ?? k).join("; "),
      c.reasons.join("; "),
      c.lastActivity ? c.lastActivity.toISOString().slice(0, 10) : "",
      c.gdap ? scanGdapWords(c.gdap) : "",
    ].map(csvField).join(","),
  );
  return [HEADER.join(","), ...rows].join("\r\n") + "\r\n";
}
