// Counts what the emulator really applied: a PATCH answered 2xx that was not a replay of an
// MS-RequestId it had already applied. A replay is Partner Center's idempotency at work (the
// same call repeated after a crash), not a second suspension.
import type { EmulatorHandle } from "../../src/stand-ins/partner-center";

const SUBSCRIPTION_PATCH = "PATCH /customers/{id}/subscriptions/{id}";

export function subscriptionPatches(emulator: EmulatorHandle): number {
  return emulator.stats().byRoute[SUBSCRIPTION_PATCH] ?? 0;
}

/** subscription id → how many times a change to it was applied */
export function appliedChanges(emulator: EmulatorHandle, tenantId: string): Map<string, number> {
  // the emulator keeps the last 2,000 requests; a count over a trimmed list would be wrong
  if (emulator.stats().total >= 2_000) throw new Error("too many requests for the emulator's request log; count on a smaller run");
  const applied = new Map<string, number>();
  for (const r of emulator.requests()) {
    if (r.route !== SUBSCRIPTION_PATCH || r.replayed || r.status < 200 || r.status >= 300) continue;
    const [, , customer, , subscription] = r.path.split("/");
    if (customer?.toLowerCase() !== tenantId.toLowerCase() || !subscription) continue;
    applied.set(subscription.toLowerCase(), (applied.get(subscription.toLowerCase()) ?? 0) + 1);
  }
  return applied;
}

export function statusesOf(emulator: EmulatorHandle, tenantId: string): string[] {
  return emulator.snapshot().customers.find((c) => c.id === tenantId)?.subscriptions.map((s) => s.status) ?? [];
}
