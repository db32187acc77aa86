// The durable job table for every kind of job: one job per idempotency key, one owner at a time,
// retries after a backoff, dead once out of attempts, taken over when a lease runs out.
import crypto from "node:crypto";
import { openCase } from "../../src/domain";
import { type Database, JobQueue, backoffMs, createStore } from "../../src/store";
import { describeDatabase, openTestDatabase } from "../support/test-database";

let db: Database;
let queue: JobQueue;

beforeAll(async () => {
  db = await openTestDatabase();
  queue = new JobQueue(db.pool);
});
afterAll(async () => db.close());

const KIND = "slack_interaction";
const newJob = (maxAttempts = 3) => ({ kind: KIND, key: `slack:trigger:${crypto.randomUUID()}`, payload: { type: "button", text: "it's <b>" }, requestedBy: "U1", maxAttempts });
const after = (t: Date, ms: number) => new Date(t.getTime() + ms);

describe(`durable jobs on ${describeDatabase()}`, () => {
  test("a second delivery of the same request makes no second job", async () => {
    const job = newJob();
    const [a, b] = await Promise.all([queue.enqueue(job), queue.enqueue(job)]);
    expect([a.created, b.created].sort()).toEqual([false, true]);
    const claimed = await queue.claim([KIND], "owner-a", 30_000, after(new Date(), 1));
    expect(claimed).toMatchObject({ id: a.id ?? b.id, key: job.key, payload: job.payload, attempts: 1, maxAttempts: 3, requestedBy: "U1" });
    expect(await queue.finish(claimed?.id ?? "", "owner-a", "done")).toBe(true);
  });

  test("one owner at a time, only the kinds asked for, and the claim is an attempt", async () => {
    const { id } = await queue.enqueue(newJob());
    const t0 = after(new Date(), 1);
    expect(await queue.claim(["suspend_all"], "other-kind", 30_000, t0)).toBeNull();
    const claims = await Promise.all(["a", "b", "c"].map((owner) => queue.claim([KIND], owner, 1_000, t0)));
    expect(claims.filter((c) => c?.id === id)).toHaveLength(1);
    const owner = ["a", "b", "c"][claims.findIndex((c) => c?.id === id)] ?? "";
    // the owner dies: once its lease has run out another process takes the job, as a second attempt
    expect(await queue.claim([KIND], "d", 1_000, after(t0, 500))).toBeNull();
    const takenOver = await queue.claim([KIND], "d", 1_000, after(t0, 1_500));
    expect(takenOver).toMatchObject({ id, attempts: 2 });
    // and the old owner can neither renew nor end it
    expect(await queue.renewLease(id ?? "", owner, 1_000, after(t0, 1_500))).toBe(false);
    expect(await queue.finish(id ?? "", owner, "done")).toBe(false);
    expect(await queue.failAttempt(id ?? "", owner, "late")).toBe("lost");
    expect(await queue.finish(id ?? "", "d", "done")).toBe(true);
  });

  test("a failed attempt waits out a backoff; the last one makes the job dead", async () => {
    const { id } = await queue.enqueue(newJob(2));
    const t0 = after(new Date(), 1);
    const first = await queue.claim([KIND], "a", 30_000, t0);
    expect(first?.id).toBe(id);
    // random() = 1: the longest wait, 1 s after the first attempt
    expect(await queue.failAttempt(id ?? "", "a", "Partner Center answered 503", t0, () => 1)).toBe("retry");
    expect(await queue.state(id ?? "")).toEqual({ state: "queued", attempts: 1, lastError: "Partner Center answered 503" });
    expect(await queue.claim([KIND], "b", 30_000, after(t0, 900))).toBeNull();
    const second = await queue.claim([KIND], "b", 30_000, after(t0, 1_001));
    expect(second).toMatchObject({ id, attempts: 2, lastError: "Partner Center answered 503" });
    expect(await queue.failAttempt(id ?? "", "b", "still 503", after(t0, 1_100))).toBe("dead");
    expect(await queue.state(id ?? "")).toEqual({ state: "dead", attempts: 2, lastError: "still 503" });
    expect(await queue.claim([KIND], "c", 30_000, after(t0, 3_600_000))).toBeNull();
    // the gauges see it
    const counts = await createStore(db).jobs.countByState();
    expect(counts.find((c) => c.kind === KIND && c.state === "dead")?.count).toBeGreaterThanOrEqual(1);
  });

  test("a job given back at shutdown is claimable at once and the claim is not counted", async () => {
    const { id } = await queue.enqueue(newJob());
    const t0 = after(new Date(), 1);
    expect((await queue.claim([KIND], "a", 60_000, t0))?.id).toBe(id);
    await queue.release(id ?? "", "a");
    expect(await queue.claim([KIND], "b", 60_000, t0)).toMatchObject({ id, attempts: 1 });
    expect(await queue.bury(id ?? "", "b", "gave up")).toBe(true);
    expect(await queue.unfinished([KIND])).toBe(0);
  });

  test("done requests are forgotten after a while (their keys with them); dead ones are kept", async () => {
    const job = newJob();
    const { id } = await queue.enqueue(job);
    const t0 = after(new Date(), 1);
    await queue.claim([KIND], "a", 60_000, t0);
    expect(await queue.finish(id ?? "", "a", "done")).toBe(true);
    expect(await queue.forgetDone([KIND], new Date(Date.now() - 60_000))).toBe(0);
    expect(await queue.forgetDone([KIND], after(new Date(), 60_000))).toBeGreaterThanOrEqual(1);
    expect(await queue.state(id ?? "")).toBeNull();
    const dead = await queue.state((await db.pool.query<{ id: string }>(`SELECT "id" FROM "Job" WHERE "state" = 'dead' LIMIT 1`)).rows[0]?.id ?? "");
    expect(dead?.state).toBe("dead");
    // and once forgotten, the same key could make a job again (Slack stops retrying within minutes)
    expect((await queue.enqueue(job)).created).toBe(true);
  });

  test("a dead Suspend all is resumed by Retry with its pending items and fresh attempts", async () => {
    const store = createStore(db);
    const c = await store.cases.create(openCase({ id: crypto.randomUUID(), tenantId: crypto.randomUUID(), companyName: "Contoso", domain: "contoso.example", openedBy: "U1", now: new Date() }));
    const job = await store.jobs.create({ caseId: c.id, requestedBy: "U1", items: ["s1", "s2"].map((s) => ({ subscriptionId: s, label: s, action: "suspend" as const })) });
    const claimed = await store.jobs.claimNext("a", 30_000, after(new Date(), 1));
    expect(claimed?.id).toBe(job.id);
    expect(await queue.bury(job.id, "a", "the app stopped while working on it 10 times")).toBe(true);
    expect((await store.jobs.get(job.id))?.state).toBe("dead");
    expect(await store.jobs.retryFailed(job.id)).toBe(2);
    expect(await queue.state(job.id)).toEqual({ state: "queued", attempts: 0, lastError: null });
    expect((await store.jobs.claimNext("b", 30_000, after(new Date(), 1)))?.id).toBe(job.id);
  });

  test("backoff doubles from 1 s up to a minute, half of it random", () => {
    expect([1, 2, 3].map((n) => backoffMs(n, () => 1))).toEqual([1_000, 2_000, 4_000]);
    expect(backoffMs(1, () => 0)).toBe(500);
    expect(backoffMs(30, () => 1)).toBe(60_000);
  });
});
