// Several runners (as on several instances) claiming Suspend-all jobs from one database at the
// same time: a job is never held by two, and no subscription is worked twice.
import crypto from "node:crypto";
import { openCase } from "../../src/domain";
import { DEMO_TENANTS } from "../../src/stand-ins/partner-center/demo-partner";
import { type EmulatorHandle, startEmulator } from "../../src/stand-ins/partner-center";
import { StaticTokenProvider } from "../../src/partner-center/auth";
import { PartnerCenterRestClient } from "../../src/partner-center/rest-client";
import { type Database, type Store, createStore } from "../../src/store";
import type { PartnerCenterApi } from "../../src/partner-center/partner-center-api";
import { JobRunner, SUSPEND_ALL_JOB, SuspendAllJob } from "../../src/workflow";
import { appliedChanges, subscriptionPatches } from "../support/suspension-counts";
import { describeDatabase, openTestDatabase } from "../support/test-database";

let db: Database;
let store: Store;
let emulator: EmulatorHandle;

beforeAll(async () => {
  db = await openTestDatabase();
  store = createStore(db);
  emulator = await startEmulator({ port: 0, latencyMs: 2 });
});
afterAll(async () => {
  await db.close();
  await emulator.close();
});

/** one process's job runner, working only Suspend all, as an instance would */
function runnerFor(api: PartnerCenterApi, owner: string, concurrency: number, leaseMs = 30_000): { drain(): Promise<void> } {
  const runner = new JobRunner(store, { leaseMs, pollMs: 1_000, owner });
  runner.register(new SuspendAllJob(store, api, concurrency));
  return { drain: () => runner.drain(SUSPEND_ALL_JOB) };
}

async function newCase(tenantId: string) {
  return store.cases.create(openCase({ id: crypto.randomUUID(), tenantId, companyName: "Woodgrove Bank", domain: "woodgrovebank.onmicrosoft.com", openedBy: "U1", now: new Date() }));
}

describe(`job claims on ${describeDatabase()}`, () => {
  test("many claims at once by two owners: every job claimed exactly once", async () => {
    const c = await newCase(`tenant-${crypto.randomUUID()}`);
    const jobs = await Promise.all(Array.from({ length: 12 }, () => store.jobs.create({ caseId: c.id, requestedBy: "U1", items: [{ subscriptionId: "s", label: "s", action: "suspend" }] })));
    const claims = await Promise.all(Array.from({ length: 30 }, (_, i) => store.jobs.claimNext(i % 2 === 0 ? "owner-a" : "owner-b", 60_000)));
    const claimed = claims.filter((j) => j !== null).map((j) => j.id);
    expect(new Set(claimed).size).toBe(claimed.length);
    expect(claimed.sort()).toEqual(jobs.map((j) => j.id).sort());
    // held leases are not handed out again
    expect(await store.jobs.claimNext("owner-c", 60_000)).toBeNull();
  });

  test("two runners draining the same queue: each subscription suspended once, each job finished by one of them", async () => {
    await db.prisma.job.updateMany({ data: { state: "done" } });
    const tenant = DEMO_TENANTS.bigCustomer;
    const c = await newCase(tenant);
    const api = new PartnerCenterRestClient({ baseUrl: emulator.url, tokens: new StaticTokenProvider("t"), rpm: 60_000, maxConcurrent: 16 });
    try {
      const subscriptions = (await api.listSubscriptions(tenant)).filter((s) => s.status === "active" && s.commerceType === "legacy");
      expect(subscriptions).toHaveLength(500);
      // ten jobs of fifty, so the two runners have several to compete for
      for (let i = 0; i < 10; i++) {
        const slice = subscriptions.slice(i * 50, i * 50 + 50);
        await store.jobs.create({ caseId: c.id, requestedBy: "U1", items: slice.map((s) => ({ subscriptionId: s.id, label: s.offerName, action: "suspend", etag: s.etag ?? null })) });
      }
      const runners = ["runner-a", "runner-b"].map((owner) => runnerFor(api, owner, 4, 60_000));
      await Promise.all(runners.map((r) => r.drain()));

      const applied = appliedChanges(emulator, tenant);
      expect(applied.size).toBe(500);
      expect([...applied.values()].every((n) => n === 1)).toBe(true);
      expect(subscriptionPatches(emulator)).toBe(500);
      expect(emulator.stats().replays).toBe(0);
      const finished = await db.prisma.auditEvent.findMany({ where: { caseId: c.id, action: "subscriptions.suspend_all" } });
      expect(finished).toHaveLength(10);
      // every job finished once, by whichever runner held it
      expect(new Set(finished.map((e) => (e.detail as { jobId: string }).jobId)).size).toBe(10);
    } finally {
      await api.close();
    }
  });

  test("subscriptions changed since the job was made: one found already suspended, one retried with its current etag", async () => {
    const tenant = DEMO_TENANTS.legacyOnly;
    const c = await newCase(tenant);
    const api = new PartnerCenterRestClient({ baseUrl: emulator.url, tokens: new StaticTokenProvider("t"), rpm: 60_000 });
    try {
      const subscriptions = (await api.listSubscriptions(tenant)).filter((s) => s.status === "active");
      const [suspendedMeanwhile, touchedMeanwhile, untouched] = subscriptions;
      if (!suspendedMeanwhile || !touchedMeanwhile || !untouched) throw new Error("the demo tenant has three active legacy subscriptions");
      const job = await store.jobs.create({
        caseId: c.id,
        requestedBy: "U1",
        items: subscriptions.map((s) => ({ subscriptionId: s.id, label: s.offerName, action: "suspend", etag: s.etag ?? null })),
      });
      // someone works in Partner Center after the job was queued: both leave the job's etags stale
      await api.updateSubscription(tenant, suspendedMeanwhile, { status: "suspended" });
      const suspended = await api.updateSubscription(tenant, touchedMeanwhile, { status: "suspended" });
      await api.updateSubscription(tenant, suspended.value, { status: "active" });
      expect((await api.getSubscription(tenant, touchedMeanwhile.id)).etag).not.toBe(touchedMeanwhile.etag);

      await runnerFor(api, "runner-etags", 2).drain();

      const after = await Promise.all(subscriptions.map((s) => api.getSubscription(tenant, s.id)));
      expect(after.map((s) => s.status)).toEqual(["suspended", "suspended", "suspended"]);
      expect(await store.jobs.progress(job.id)).toEqual({ total: 3, done: 3, failed: 0, pending: 0 });
      expect((await store.jobs.get(job.id))?.state).toBe("done");
      const missing = await api.getSubscription(tenant, "00000000-0000-0000-0000-000000000000").catch((e: unknown) => e);
      expect(missing).toMatchObject({ kind: "not_found" });
    } finally {
      await api.close();
    }
  });
});
