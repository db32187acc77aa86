// Kills the app process in the middle of a portfolio scan and starts another on the same
// database: the new process takes the scan over once the dead one's lease runs out, reads only
// the customers the first had not finished, and posts the result once.
import { DEMO_TENANTS, type EmulatorHandle, startEmulator } from "../../src/stand-ins/partner-center";
import { OPERATOR, OPS_CHANNEL, waitFor } from "../support/app-harness";
import { type ProcessWorld, createProcessWorld, withLogsOnFailure } from "../support/app-process";
import { describeDatabase } from "../support/test-database";

let world: ProcessWorld;
let emulator: EmulatorHandle;

beforeAll(async () => {
  world = await createProcessWorld();
  // slow enough that the kill lands with some customers read and some not
  emulator = await startEmulator({ port: 0, latencyMs: 150 });
});
afterAll(async () => {
  await world.close();
  await emulator.close();
});

/** tenants whose own resources a slice of the emulator's log touched */
function tenantsTouched(paths: string[]): Set<string> {
  const touched = new Set<string>();
  for (const path of paths) {
    const match = /\/customers\/([0-9a-f-]{36})/i.exec(path);
    if (match?.[1]) touched.add(match[1].toLowerCase());
  }
  return touched;
}

test(`SIGKILL mid-scan: a restart reads only the customers not yet finished (${describeDatabase()})`, async () => {
  const env = { JOB_LEASE_SECONDS: "2", SCAN_CONCURRENCY: "1", DIRECTORY_SYNC_MINUTES: "600" };
  const first = await world.start(emulator.url, env);
  const sent = await first.sender.slashCommand(OPERATOR, OPS_CHANNEL, "scan", world.responseUrl(OPS_CHANNEL, OPERATOR.id));
  expect(sent.status).toBe(200);
  await withLogsOnFailure(
    first,
    waitFor("six customers being read", () => tenantsTouched(emulator.requests().map((r) => r.path)).size >= 6, 60_000),
  );
  await first.stop("SIGKILL");
  const atKill = emulator.requests().length;

  const db = await world.openDatabase();
  let finished: Set<string>;
  try {
    const scan = await db.prisma.scan.findFirstOrThrow();
    expect(scan.active).toBe(true);
    const done = await db.prisma.scanCustomer.findMany({ where: { jobId: scan.jobId, state: "done" } });
    finished = new Set(done.map((c) => c.tenantId));
    expect(finished.size).toBeGreaterThan(0);
    expect(finished.size).toBeLessThan(17);
  } finally {
    await db.close();
  }

  const second = await world.start(emulator.url, env);
  await withLogsOnFailure(
    second,
    waitFor("the scan's result in the channel", () => world.slack.channelMessages(OPS_CHANNEL).find((m) => m.text.startsWith("Portfolio scan finished")), 90_000),
  );
  await second.stop("SIGTERM");

  // after the kill, no finished customer was read again; every other one was
  const touchedAfter = tenantsTouched(emulator.requests().slice(atKill).map((r) => r.path));
  for (const tenant of finished) expect({ tenant, readAgain: touchedAfter.has(tenant) }).toEqual({ tenant, readAgain: false });
  expect(touchedAfter.size + finished.size).toBeGreaterThanOrEqual(17);

  const after = await world.openDatabase();
  try {
    const scan = await after.prisma.scan.findFirstOrThrow();
    expect(scan.active).toBe(false);
    expect(scan.resultTs).not.toBeNull();
    const rows = await after.prisma.scanCustomer.findMany({ where: { jobId: scan.jobId } });
    expect(rows).toHaveLength(17);
    expect(rows.every((r) => r.state === "done")).toBe(true);
    expect(rows.find((r) => r.tenantId === DEMO_TENANTS.clean)?.cleanupClass).toBe("ready");
  } finally {
    await after.close();
  }
  // one result, one CSV: the restart did not post them twice
  expect(world.slack.channelMessages(OPS_CHANNEL).filter((m) => m.text.startsWith("Portfolio scan finished"))).toHaveLength(1);
  expect(world.slack.files.shared).toHaveLength(1);
});
