// The counts of Slack's requests per instance (the doctor's evidence about the signing secret):
// written whole, read back with their times in UTC, written only when they changed, and kept
// when the instance is gone.
import { type Database, SlackRequestRepository, SlackRequestWriter } from "../../src/store";
import { SlackRequestTally, emptyCounts } from "../../src/slack/request-tally";
import { describeDatabase, openTestDatabase } from "../support/test-database";

let db: Database;
let repository: SlackRequestRepository;

beforeAll(async () => {
  db = await openTestDatabase();
  repository = new SlackRequestRepository(db.pool);
});
afterAll(async () => db.close());
beforeEach(async () => {
  await db.pool.query(`DELETE FROM "SlackRequestTally"`);
});

describe(`counts of Slack's requests on ${describeDatabase()}`, () => {
  test("a row is written whole and read back with the same instants", async () => {
    const tally = new SlackRequestTally();
    tally.record("verified", new Date("2026-12-24T09:00:00.123Z"));
    tally.record("bad-signature", new Date("2026-12-24T10:00:00.000Z"));
    tally.record("bad-signature", new Date("2026-12-24T10:05:00.000Z"));
    tally.record("stale", new Date("2026-12-24T10:06:00.000Z"));
    tally.record("unsigned", new Date("2026-12-24T10:07:00.000Z"));
    await repository.save("i-1", new Date("2026-12-24T08:00:00Z"), tally.snapshot(), new Date("2026-12-24T10:10:00Z"));

    const [row, ...others] = await repository.list();
    expect(others).toEqual([]);
    expect(row).toEqual({
      instance: "i-1",
      startedAt: new Date("2026-12-24T08:00:00Z"),
      updatedAt: new Date("2026-12-24T10:10:00Z"),
      verified: 1,
      lastVerifiedAt: new Date("2026-12-24T09:00:00.123Z"),
      badSignature: 2,
      lastBadSignatureAt: new Date("2026-12-24T10:05:00.000Z"),
      badSignatureStreak: 2,
      badSignatureStreakSince: new Date("2026-12-24T10:00:00.000Z"),
      stale: 1,
      lastStaleAt: new Date("2026-12-24T10:06:00.000Z"),
      staleStreak: 1,
      staleStreakSince: new Date("2026-12-24T10:06:00.000Z"),
    });

    // a verified request ends the refusals' runs; the totals stay
    tally.record("verified", new Date("2026-12-24T11:00:00Z"));
    await repository.save("i-1", new Date("2026-12-24T08:00:00Z"), tally.snapshot(), new Date("2026-12-24T11:00:01Z"));
    expect(await repository.list()).toEqual([
      expect.objectContaining({ verified: 2, badSignature: 2, badSignatureStreak: 0, badSignatureStreakSince: null, stale: 1, staleStreak: 0, startedAt: new Date("2026-12-24T08:00:00Z") }),
    ]);
  });

  test("the writer writes only what changed, keeps the rows at close, and drops long-gone instances' rows", async () => {
    await repository.save("gone", new Date("2026-01-01T00:00:00Z"), emptyCounts(), new Date("2026-01-01T00:00:00Z"));
    const tally = new SlackRequestTally();
    const errors: unknown[] = [];
    const writer = new SlackRequestWriter(repository, tally, "i-2", { intervalMs: 60_000, retentionMs: 24 * 3600_000, onError: (e) => errors.push(e) });
    writer.start();
    // nothing counted, nothing written (and nothing pruned yet)
    await writer.flush();
    expect((await repository.list()).map((r) => r.instance)).toEqual(["gone"]);

    const saves = jest.spyOn(repository, "save");
    tally.record("bad-signature");
    await writer.flush();
    let rows = await repository.list();
    expect(rows.map((r) => r.instance)).toEqual(["i-2"]);

    // unchanged: the row is not written again
    await writer.flush();
    expect(saves).toHaveBeenCalledTimes(1);

    tally.record("bad-signature");
    await writer.close();
    rows = await repository.list();
    expect(rows).toEqual([expect.objectContaining({ instance: "i-2", badSignature: 2, badSignatureStreak: 2 })]);
    expect(saves).toHaveBeenCalledTimes(2);
    saves.mockRestore();
    expect(errors).toEqual([]);
  });
});
