// How Slack's requests to /slack/events fared, one row per running instance: the doctor's only
// evidence about the signing secret, since Slack has no API to verify one. The app counts in
// memory (slack/request-tally.ts) and writes the whole row now and then; no secret or signature
// is ever stored. Plain pg, so the doctor reads it with the pool it is given.
import type pg from "pg";

/** One instance's counts since it started; each "streak" counts refusals since its last verified request. */
export interface SlackRequestCounts {
  verified: number;
  lastVerifiedAt: Date | null;
  badSignature: number;
  lastBadSignatureAt: Date | null;
  badSignatureStreak: number;
  badSignatureStreakSince: Date | null;
  /** refused before the signature was looked at: the timestamp was over 5 minutes old by this machine's clock */
  stale: number;
  lastStaleAt: Date | null;
  staleStreak: number;
  staleStreakSince: Date | null;
}

export interface SlackRequestTallyRow extends SlackRequestCounts {
  instance: string;
  startedAt: Date;
  updatedAt: Date;
}

const DATES = ["lastVerifiedAt", "lastBadSignatureAt", "badSignatureStreakSince", "lastStaleAt", "staleStreakSince"] as const;
const COUNTS = ["verified", "badSignature", "badSignatureStreak", "stale", "staleStreak"] as const;

/** UTC ISO text, as Prisma stores DateTime in timestamp(3), whatever the server's time zone */
const utc = (date: Date | null): string | null => (date ? date.toISOString() : null);

export class SlackRequestRepository {
  constructor(private readonly pool: pg.Pool) {}

  /** Writes an instance's counts as they stand (the row is the instance's own, so the last write wins). */
  async save(instance: string, startedAt: Date, counts: SlackRequestCounts, now = new Date()): Promise<void> {
    const columns = ["instance", "startedAt", "updatedAt", ...COUNTS, ...DATES];
    const values = [instance, utc(startedAt), utc(now), ...COUNTS.map((c) => counts[c]), ...DATES.map((d) => utc(counts[d]))];
    const placeholders = columns.map((column, i) => (column === "instance" || (COUNTS as readonly string[]).includes(column) ? `$${i + 1}` : `$${i + 1}::timestamp(3)`));
    const updates = columns.filter((c) => c !== "instance" && c !== "startedAt").map((c) => `"${c}" = EXCLUDED."${c}"`);
    await this.pool.query(
      `INSERT INTO "SlackRequestTally" (${columns.map((c) => `"${c}"`).join(", ")}) VALUES (${placeholders.join(", ")}) ON CONFLICT ("instance") DO UPDATE SET ${updates.join(", ")}`,
      values,
    );
  }

  /** Every instance's row, newest first. */
  async list(): Promise<SlackRequestTallyRow[]> {
    // timestamp(3) holds UTC wall time: read as timestamptz, so pg does not take it for local time
    const asUtc = (column: string) => `"${column}" AT TIME ZONE 'UTC' AS "${column}"`;
    const result = await this.pool.query<SlackRequestTallyRow>(
      `SELECT "instance", ${["startedAt", "updatedAt", ...DATES].map(asUtc).join(", ")}, ${COUNTS.map((c) => `"${c}"`).join(", ")} FROM "SlackRequestTally" ORDER BY "updatedAt" DESC`,
    );
    return result.rows;
  }

  /** Drops the rows of instances not heard from since `cutoff` (each process start makes one). */
  async forgetOlderThan(cutoff: Date): Promise<number> {
    const result = await this.pool.query(`DELETE FROM "SlackRequestTally" WHERE "updatedAt" < $1::timestamp(3)`, [utc(cutoff)]);
    return result.rowCount ?? 0;
  }
}

/** What is counted in memory (slack/request-tally.ts), as the writer sees it. */
export interface SlackRequestCountsSource {
  /** grows with every request counted */
  changes(): number;
  snapshot(): SlackRequestCounts;
}

export interface SlackRequestWriterOptions {
  /** how often changed counts are written */
  intervalMs: number;
  /** other instances' rows older than this are dropped, once per process */
  retentionMs: number;
  onError: (error: unknown) => void;
}

/**
 * Writes one instance's counts when they changed: on a timer, before the doctor reads them, and at
 * shutdown. Never on the ack path, which only bumps counters in memory.
 */
export class SlackRequestWriter {
  private readonly startedAt = new Date();
  private written = 0;
  private pruned = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly repository: SlackRequestRepository,
    private readonly source: SlackRequestCountsSource,
    private readonly instance: string,
    private readonly options: SlackRequestWriterOptions,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.flush().catch(this.options.onError), this.options.intervalMs);
    this.timer.unref();
  }

  async flush(): Promise<void> {
    const changes = this.source.changes();
    if (changes === this.written) return;
    await this.repository.save(this.instance, this.startedAt, this.source.snapshot());
    this.written = changes;
    if (this.pruned) return;
    await this.repository.forgetOlderThan(new Date(Date.now() - this.options.retentionMs));
    this.pruned = true;
  }

  /** Stops the timer and writes what is left (call once nothing more is counted). */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }
}
