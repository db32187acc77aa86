// MS-RequestId is Partner Center's idempotency key: the same id repeats the same call. Ids
// derived from another (a follow-up call, a retry after 412) are stable, so a job resumed after a
// crash repeats each of its calls with the id it used the first time.
import crypto from "node:crypto";

export function deriveRequestId(base: string, purpose: string): string {
  const hex = crypto.createHash("sha256").update(`${base}:${purpose}`).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
