// GDAP endings on the jobs' tables: held until the removal is confirmed, then claimed through the
// job queue by one owner, listed once, and never mistaken for a Suspend-all job.
import crypto from "node:crypto";
import { type PreconditionResult, type RemovalCase, type Transition, approve, beginRemoval, completeRemoval, openCase, requestRemoval } from "../../src/domain";
import { type Database, GDAP_ENDING, GDAP_LIST_ITEM, SUSPEND_ALL, type Store, createStore, gdapProgress } from "../../src/store";
import { describeDatabase, openTestDatabase } from "../support/test-database";

let db: Database;
let store: Store;

beforeAll(async () => {
  db = await openTestDatabase();
  store = createStore(db);
});
afterAll(async () => db.close());

const now = new Date("2026-12-01T10:00:00Z");
const ready: PreconditionResult = { ready: true, blockers: [], notices: [] };

async function step(c: RemovalCase, move: (c: RemovalCase) => Transition): Promise<RemovalCase> {
  const moved = move(c);
  if (!moved.ok) throw new Error(moved.refusal.message);
  expect(await store.cases.saveTransition(moved.next)).toBe(true);
  return moved.next;
}

/** A case approved for removal, and a function that confirms the removal. */
async function approvedCase(): Promise<{ c: RemovalCase; remove: () => Promise<RemovalCase> }> {
  const opened = await store.cases.create(openCase({ id: crypto.randomUUID(), tenantId: crypto.randomUUID(), companyName: "Fourth Coffee", domain: "fourthcoffee.example", openedBy: "U1", now }));
  let c = await step(opened, (x) => requestRemoval(x, "U1", ready, now, 3_600_000, "Contract ended"));
  c = await step(c, (x) => approve(x, "U2", now));
  const approvedOne = c;
  return {
    c: approvedOne,
    remove: async () => {
      const removing = await step(approvedOne, (x) => beginRemoval(x, ready));
      return step(removing, (x) => completeRemoval(x, now));
    },
  };
}

const listedAudit = (c: RemovalCase) => ({ actor: "U2", action: "gdap.listed", outcome: "ok" as const, caseId: c.id, tenantId: c.tenantId, detail: {} });

describe(`GDAP jobs on ${describeDatabase()}`, () => {
  test("a held job waits for the removal, is then claimed by one owner, and is no Suspend-all job", async () => {
    const { c, remove } = await approvedCase();
    const job = await store.gdapJobs.hold(c.id, "U2");
    expect(job.state).toBe("held");
    expect((await store.gdapJobs.items(job.id)).map((i) => [i.relationshipId, i.action, i.state])).toEqual([[GDAP_LIST_ITEM, "list", "pending"]]);

    // approved is not removed: nothing is released, nobody may start ending GDAP relationships yet
    expect(await store.gdapJobs.releaseHeld(c.id)).toBe(0);
    expect(await store.queue.claim([GDAP_ENDING], "a", 1000)).toBeNull();
    await remove();
    // the sweep's form (no case named) finds it as well
    expect(await store.gdapJobs.releaseHeld()).toBe(1);
    expect(await store.gdapJobs.releaseHeld()).toBe(0);
    // the Suspend-all side neither claims nor shows it
    expect(await store.queue.claim([SUSPEND_ALL], "s", 1000)).toBeNull();
    expect(await store.jobs.latestForCase(c.id)).toBeNull();

    const t0 = new Date();
    const claims = await Promise.all([store.queue.claim([GDAP_ENDING], "a", 1000, t0), store.queue.claim([GDAP_ENDING], "b", 1000, t0)]);
    expect(claims.filter((j) => j?.id === job.id)).toHaveLength(1);
    expect(await store.queue.claim([GDAP_ENDING], "c", 1000, t0)).toBeNull();
    const claimed = await store.gdapJobs.get(job.id);
    expect(claimed?.state).toBe("running");
    // its owner dies: once the lease has run out another takes it over, and the first cannot renew
    const later = new Date(t0.getTime() + 2000);
    expect((await store.queue.claim([GDAP_ENDING], "c", 1000, later))?.id).toBe(job.id);
    expect(await store.queue.renewLease(job.id, claimed?.leaseOwner ?? "", 1000, later)).toBe(false);
  });

  test("a second approval replaces the held job; keeping them cancels it", async () => {
    const { c } = await approvedCase();
    const first = await store.gdapJobs.hold(c.id, "U2");
    const second = await store.gdapJobs.hold(c.id, "U3");
    expect((await store.gdapJobs.get(first.id))?.state).toBe("cancelled");
    expect((await store.gdapJobs.latestForCase(c.id))?.id).toBe(second.id);
    expect(await store.gdapJobs.cancelHeld(c.id)).toBe(1);
    expect(await store.gdapJobs.latestForCase(c.id)).toBeNull();
  });

  test("the listing adds the relationships once, with its audit event; failed items go back for a retry", async () => {
    const { c, remove } = await approvedCase();
    const job = await store.gdapJobs.hold(c.id, "U2");
    await remove();
    await store.gdapJobs.releaseHeld(c.id);
    const listed = [
      { relationshipId: "r-1", name: "Helpdesk", action: "terminate" as const },
      { relationshipId: "r-2", name: "Draft", action: "delete" as const },
    ];
    await store.gdapJobs.recordListed(job.id, listed, listedAudit(c));
    // a repeat (a resumed job that listed again) adds nothing twice
    await store.gdapJobs.recordListed(job.id, listed, listedAudit(c));
    const items = await store.gdapJobs.items(job.id);
    expect(items.map((i) => [i.relationshipId, i.action, i.state])).toEqual([
      [GDAP_LIST_ITEM, "list", "done"],
      ["r-2", "delete", "pending"],
      ["r-1", "terminate", "pending"],
    ]);
    expect(gdapProgress(items)).toEqual({ total: 2, done: 0, failed: 0, pending: 2 });
    expect((await db.prisma.job.findUniqueOrThrow({ where: { id: job.id } })).total).toBe(2);
    expect((await store.audit.listByCase(c.id)).filter((e) => e.action === "gdap.listed")).toHaveLength(2);

    const audit = (relationshipId: string, outcome: "ok" | "failed") => ({ actor: "U2", action: "gdap.final_status", outcome, caseId: c.id, tenantId: c.tenantId, detail: { relationshipId } });
    await store.jobs.recordItems(job.id, [
      { subscriptionId: "r-1", state: "failed", lastError: "Graph refused to end it: not now", audit: audit("r-1", "failed") },
      { subscriptionId: "r-2", state: "done", lastError: null, audit: audit("r-2", "ok") },
    ]);
    const claimed = await store.queue.claim([GDAP_ENDING], "a", 60_000);
    expect(claimed?.id).toBe(job.id);
    expect(await store.jobs.finish(job.id, "a", "failed")).toBe(true);
    const before = (await store.gdapJobs.items(job.id)).find((i) => i.relationshipId === "r-1");
    expect(before).toMatchObject({ state: "failed", lastError: "Graph refused to end it: not now", attempts: 1 });
    expect(await store.jobs.retryFailed(job.id)).toBe(1);
    const after = (await store.gdapJobs.items(job.id)).find((i) => i.relationshipId === "r-1");
    expect(after).toMatchObject({ state: "pending", lastError: null });
    expect(after?.clientRequestId).not.toBe(before?.clientRequestId);
    expect((await store.gdapJobs.get(job.id))?.state).toBe("queued");
    expect((await store.queue.claim([GDAP_ENDING], "b", 60_000))?.id).toBe(job.id);
  });
});
