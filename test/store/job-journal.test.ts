// The journal the embedded database's acks are persisted in: a job appended is in the table a turn
// later, a process that dies between the append and the move leaves it for the next start, a
// second delivery stays one job, and a database that is away loses nothing.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { type Database, JobJournal, JobQueue, type NewQueuedJob } from "../../src/store";
import { describeDatabase, openTestDatabase } from "../support/test-database";

let db: Database;
let queue: JobQueue;
let dir: string;

beforeAll(async () => {
  db = await openTestDatabase();
  queue = new JobQueue(db.pool);
});
afterAll(async () => db.close());
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "job-journal-"));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const KIND = `journal_test_${crypto.randomUUID().slice(0, 8)}`;
const newJob = (): NewQueuedJob => ({ kind: KIND, key: `slack:trigger:${crypto.randomUUID()}`, payload: { type: "button", text: "it's <b>" }, requestedBy: "U1", maxAttempts: 3 });
const quiet = { moved: () => undefined, moveFailed: () => undefined };

async function jobsWithKeys(keys: string[]): Promise<Array<{ key: string; payload: unknown; state: string }>> {
  const { rows } = await db.pool.query<{ key: string; payload: unknown; state: string }>(`SELECT "key", "payload", "state" FROM "Job" WHERE "key" = ANY($1::text[]) ORDER BY "createdAt"`, [keys]);
  return rows;
}

describe(`the acks' job journal on ${describeDatabase()}`, () => {
  test("appended jobs reach the table after the turn, each once, and the file is emptied", async () => {
    const moved: Array<[number, number]> = [];
    const journal = new JobJournal(dir, (job, now) => queue.enqueue(job, now), { ...quiet, moved: (created, duplicates) => moved.push([created, duplicates]) });
    await journal.recover();
    const jobs = [newJob(), newJob(), newJob()];
    const again = jobs[0] ?? newJob();
    for (const job of jobs) journal.append(job);
    // Slack's retry of the first request: the same key
    journal.append(again);
    // persisted in the request's turn, before anything reached the database
    const onDisk = fs.readFileSync(path.join(dir, "accepted-jobs.jsonl"), "utf8").trim().split("\n");
    expect(onDisk).toHaveLength(4);
    expect(await jobsWithKeys(jobs.map((j) => j.key))).toHaveLength(0);
    await journal.flushed();
    const rows = await jobsWithKeys(jobs.map((j) => j.key));
    expect(rows.map((r) => r.key).sort()).toEqual(jobs.map((j) => j.key).sort());
    expect(rows[0]).toMatchObject({ payload: { type: "button", text: "it's <b>" }, state: "queued" });
    expect(moved.reduce((n, [created]) => n + created, 0)).toBe(3);
    expect(moved.reduce((n, [, duplicates]) => n + duplicates, 0)).toBe(1);
    expect(journal.backlog).toBe(0);
    await journal.close();
    expect(fs.readFileSync(path.join(dir, "accepted-jobs.jsonl"), "utf8")).toBe("");
  });

  test("what a killed process left in its journal is moved at the next start, torn last line skipped", async () => {
    const first = newJob();
    const second = newJob();
    // a process died after acking two requests, and inside the write of a third
    const line = (job: NewQueuedJob) => `${JSON.stringify({ ...job, at: new Date().toISOString() })}\n`;
    fs.writeFileSync(path.join(dir, "accepted-jobs.jsonl"), `${line(first)}${line(second)}{"kind":"${KIND}","key":"slack:trig`);
    const journal = new JobJournal(dir, (job, now) => queue.enqueue(job, now), quiet);
    expect(await journal.recover()).toBe(2);
    expect((await jobsWithKeys([first.key, second.key])).map((r) => r.key).sort()).toEqual([first.key, second.key].sort());
    expect(fs.readFileSync(path.join(dir, "accepted-jobs.jsonl"), "utf8")).toBe("");
    // a second start finds nothing left to move, and makes no second job
    await journal.close();
    const next = new JobJournal(dir, (job, now) => queue.enqueue(job, now), quiet);
    expect(await next.recover()).toBe(0);
    await next.close();
  });

  test("while the database is away the lines wait on disk and move once it answers", async () => {
    let away = true;
    const failures: unknown[] = [];
    const journal = new JobJournal(
      dir,
      (job, now) => (away ? Promise.reject(new Error("connection refused")) : queue.enqueue(job, now)),
      { ...quiet, moveFailed: (error) => failures.push(error) },
    );
    await journal.recover();
    const job = newJob();
    journal.append(job);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(failures.length).toBeGreaterThan(0);
    expect(journal.backlog).toBe(1);
    // the line stays in the file, and appends meanwhile join it
    const later = newJob();
    journal.append(later);
    const onDisk = fs.readFileSync(path.join(dir, "accepted-jobs.jsonl"), "utf8");
    expect(onDisk).toContain(job.key);
    expect(onDisk).toContain(later.key);
    away = false;
    await journal.flushed();
    expect((await jobsWithKeys([job.key, later.key])).map((r) => r.key).sort()).toEqual([job.key, later.key].sort());
    expect(fs.readFileSync(path.join(dir, "accepted-jobs.jsonl"), "utf8")).toBe("");
    await journal.close();
  });

  test("in memory (DATA_DIR in memory) it keeps no file and still moves every job", async () => {
    const journal = new JobJournal(null, (job, now) => queue.enqueue(job, now), quiet);
    await journal.recover();
    const job = newJob();
    journal.append(job);
    await journal.flushed();
    expect(await jobsWithKeys([job.key])).toHaveLength(1);
    await journal.close();
    expect(() => journal.append(newJob())).toThrow(/closed/);
  });
});
