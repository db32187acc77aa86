// How an acknowledged Slack request is persisted on the embedded database without waiting for it.
// The embedded PGlite answers one statement at a time on one connection, shared with everything
// the job runner does; an ack that waited for its insert waited behind that work (bench, 200/s:
// the insert's p99 20–180 ms, most of the ack's tail). Here the request is appended to a journal
// file in DATA_DIR with one synchronous write (the page cache keeps it through a crash, a SIGKILL
// or an OOM kill of the process), the ack goes out, and the journal is moved into the job table
// (keyed, ON CONFLICT DO NOTHING, so a line moved twice is one job) in the next turns. At start the
// app moves whatever a dead process left here before its runner claims anything.
//
// Only for the embedded database: PGlite's files take one process, so no other instance can need
// a journal line. On PostgreSQL the insert is the persistence (another instance may take the job).
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import type { NewQueuedJob } from "./job-queue";

const line = z.object({
  kind: z.string().min(1),
  key: z.string().min(1),
  payload: z.unknown(),
  requestedBy: z.string(),
  maxAttempts: z.number().int().positive(),
  at: z.iso.datetime(),
});
type JournalLine = z.infer<typeof line>;

/** Where the moved lines go: the job table's keyed insert (JobQueue.enqueue). */
export type JobInsert = (job: NewQueuedJob, now: Date) => Promise<{ created: boolean }>;

export interface JournalEvents {
  /** jobs were moved into the table (created: how many were new; the rest were second deliveries) */
  moved(created: number, duplicates: number): void;
  /** a move failed (the database is away); it is tried again, nothing is lost */
  moveFailed(error: unknown): void;
}

/** Retry of a failed move: soon, as acks keep appending meanwhile. */
const RETRY_MS = 500;
/** a journal never emptied (acks without a pause) is rewritten with only its unmoved lines past this */
const MAX_JOURNAL_BYTES = 4 * 1024 * 1024;

/**
 * An append-only journal of accepted jobs, one file: appends go to its end; once every line in it is
 * in the table it is truncated (one syscall, no file opened or renamed on the acks' thread). Lines
 * are read whole; a torn last line (the process died inside a write) was never acknowledged.
 */
export class JobJournal {
  private readonly file: string;
  private fd: number | null = null;
  /** bytes in the file since it was last emptied */
  private written = 0;
  /** lines in the file not yet in the table */
  private pending: JournalLine[] = [];
  /** lines being inserted now */
  private inFlight = 0;
  private scheduled = false;
  private moving: Promise<void> | null = null;
  private retry: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly waiters: Array<() => void> = [];

  /** `dir`: a directory only the app's user may enter (in DATA_DIR), null to keep the journal in memory */
  constructor(
    dir: string | null,
    private readonly insert: JobInsert,
    private readonly events: JournalEvents,
  ) {
    this.file = dir ? path.join(dir, "accepted-jobs.jsonl") : "";
    if (dir) fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  }

  /**
   * Moves what an earlier process left (it died between an ack and the move) into the table. Call
   * once at start, before the runner claims; appends are taken from then on.
   */
  async recover(): Promise<number> {
    if (!this.file) return 0;
    const left = readLines(this.file);
    const results = await Promise.all(left.map((entry) => this.insert(toJob(entry), new Date(entry.at))));
    this.fd = fs.openSync(this.file, "a", 0o600);
    fs.ftruncateSync(this.fd, 0);
    return results.filter((r) => r.created).length;
  }

  /**
   * In the request's turn: the job is persisted when this returns (one write to the page cache),
   * and in the table within a turn or two. Throws when it could not be written.
   */
  append(job: NewQueuedJob, now = new Date()): void {
    if (this.closed) throw new Error("the job journal is closed");
    const entry: JournalLine = { kind: job.kind, key: job.key, payload: job.payload, requestedBy: job.requestedBy, maxAttempts: job.maxAttempts, at: now.toISOString() };
    if (this.file) {
      this.fd ??= fs.openSync(this.file, "a", 0o600);
      const text = `${JSON.stringify(entry)}\n`;
      fs.writeSync(this.fd, text);
      this.written += Buffer.byteLength(text);
    }
    this.pending.push(entry);
    this.schedule();
  }

  /** Resolves once every line appended so far is in the table (tests, shutdown). */
  flushed(): Promise<void> {
    if (this.backlog === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** lines not yet in the table */
  get backlog(): number {
    return this.pending.length + this.inFlight;
  }

  /** Moves what it can, then takes no more appends; lines not moved stay on disk for the next start. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    await this.moving;
    if (this.backlog > 0) await this.moveNow().catch(() => undefined);
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }

  private schedule(): void {
    if (this.scheduled || this.retry || this.moving) return;
    this.scheduled = true;
    // the requests that arrive in this turn go in one move, after their acks are written
    setImmediate(() => {
      this.scheduled = false;
      if (!this.moving) this.moving = this.moveNow().then(this.moveEnded, this.moveEnded);
    });
  }

  private readonly moveEnded = (error?: unknown): void => {
    this.moving = null;
    if (error !== undefined) {
      this.events.moveFailed(error);
      if (!this.closed) this.retry = setTimeout(() => ((this.retry = null), this.schedule()), RETRY_MS);
      return;
    }
    if (this.pending.length > 0) this.schedule();
    else for (const resolve of this.waiters.splice(0)) resolve();
  };

  /** Inserts the pending lines (and those appended meanwhile), then empties the file. */
  private async moveNow(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      this.inFlight = batch.length;
      let results: Array<{ created: boolean }>;
      try {
        results = await Promise.all(batch.map((entry) => this.insert(toJob(entry), new Date(entry.at))));
      } catch (error) {
        // still in the file; tried again with whatever came meanwhile
        this.pending = [...batch, ...this.pending];
        throw error;
      } finally {
        this.inFlight = 0;
      }
      const created = results.filter((r) => r.created).length;
      this.events.moved(created, batch.length - created);
      if (this.written > MAX_JOURNAL_BYTES && this.pending.length > 0) this.rewrite();
    }
    // every line in the file is in the table (appends run on this thread, not inside this check)
    if (this.fd !== null && this.written > 0) {
      fs.ftruncateSync(this.fd, 0);
      this.written = 0;
    }
  }

  /** Replaces the file by one holding only the lines not yet moved (acks that never paused). */
  private rewrite(): void {
    if (!this.file || this.fd === null) return;
    const text = this.pending.map((entry) => `${JSON.stringify(entry)}\n`).join("");
    const next = `${this.file}.next`;
    fs.writeFileSync(next, text, { mode: 0o600 });
    fs.renameSync(next, this.file);
    fs.closeSync(this.fd);
    this.fd = fs.openSync(this.file, "a", 0o600);
    this.written = Buffer.byteLength(text);
  }
}

function toJob(entry: JournalLine): NewQueuedJob {
  return { kind: entry.kind, key: entry.key, payload: entry.payload, requestedBy: entry.requestedBy, maxAttempts: entry.maxAttempts };
}

/** The whole lines of a journal file that parse; a torn or foreign line is skipped. */
function readLines(file: string): JournalLine[] {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    return [];
  }
  const lines: JournalLine[] = [];
  for (const raw of text.split("\n")) {
    if (!raw.trim()) continue;
    try {
      const parsed = line.safeParse(JSON.parse(raw));
      if (parsed.success) lines.push(parsed.data);
    } catch {
      // the last line of a process killed inside its write: never acknowledged
    }
  }
  return lines;
}
