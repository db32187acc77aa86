// Kills the app process in the middle of a 500-subscription Suspend all and restarts it on the
// same database: the restarted process takes the job over once the dead one's lease runs out and
// finishes it, every subscription suspended once.
import { DEMO_TENANTS } from "../../src/stand-ins/partner-center/demo-partner";
import { type EmulatorHandle, startEmulator } from "../../src/stand-ins/partner-center";
import { describeDatabase } from "../support/test-database";
import { textOf, waitFor } from "../support/app-harness";
import { type ProcessWorld, createProcessWorld, pressSuspendAll, withLogsOnFailure } from "../support/app-process";
import { appliedChanges, statusesOf, subscriptionPatches } from "../support/suspension-counts";

const TENANT = DEMO_TENANTS.bigCustomer;
const suspended = (emulator: EmulatorHandle) => statusesOf(emulator, TENANT).filter((s) => s === "suspended").length;

let world: ProcessWorld;
let emulator: EmulatorHandle;

beforeAll(async () => {
  world = await createProcessWorld();
  // some latency, so the job takes a few seconds and the kill lands in the middle of it
  emulator = await startEmulator({ port: 0, latencyMs: 25 });
});
afterAll(async () => {
  await world.close();
  await emulator.close();
});

test(`SIGKILL in the middle of Suspend all on 500 subscriptions: a restart finishes it, each applied once (${describeDatabase()})`, async () => {
  const env = { JOB_LEASE_SECONDS: "2" };
  expect(suspended(emulator)).toBe(0);
  expect(statusesOf(emulator, TENANT)).toHaveLength(500);

  const first = await world.start(emulator.url, env);
  const message = await pressSuspendAll(world, first, "Woodgrove Bank");
  await waitFor("100 subscriptions suspended", () => suspended(emulator) >= 100, 60_000);
  const killed = await first.stop("SIGKILL");
  expect(killed.signal).toBe("SIGKILL");
  const atKill = suspended(emulator);
  expect(atKill).toBeLessThan(500);

  // same database, new process: it claims the job when the dead process's lease has run out
  const second = await world.start(emulator.url, env);
  await waitFor("every subscription suspended", () => suspended(emulator) === 500, 90_000);
  await withLogsOnFailure(second, waitFor("the case message shows the finished job", () => textOf(message.blocks).includes("500 / 500"), 30_000));
  expect(textOf(message.blocks)).not.toContain("failed");
  await second.stop("SIGTERM");

  // each subscription's change was applied exactly once. The PATCH count can be higher: calls in
  // flight at the kill reached the emulator (and were applied) but their answers were never
  // recorded; the restart repeats them with the item's stored MS-RequestId and the emulator
  // replays its first answer instead of applying again. So PATCHes = 500 applied + replays.
  const applied = appliedChanges(emulator, TENANT);
  expect(applied.size).toBe(500);
  expect([...applied.values()].every((n) => n === 1)).toBe(true);
  expect(subscriptionPatches(emulator)).toBe(500 + emulator.stats().replays);
  expect(emulator.stats().byStatus["412"] ?? 0).toBe(0);

  // the job's own record agrees: done, every item recorded once, the second process finished it
  const db = await world.openDatabase();
  try {
    const job = await db.prisma.job.findFirstOrThrow({ where: { case: { tenantId: TENANT } } });
    expect(job.state).toBe("done");
    expect(job.leaseOwner).toBeNull();
    const items = await db.prisma.jobItem.findMany({ where: { jobId: job.id } });
    expect(items).toHaveLength(500);
    expect(items.every((i) => i.state === "done" && i.attempts === 1)).toBe(true);
    const finished = await db.prisma.auditEvent.count({ where: { tenantId: TENANT, action: "subscriptions.suspend_all", outcome: "ok" } });
    expect(finished).toBe(1);
  } finally {
    await db.close();
  }
});
