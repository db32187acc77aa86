// Operating the app: health and readiness routes, JSON logs free of secrets after a whole flow,
// and a graceful SIGTERM that gives its job back so another process takes it over at once.
import crypto from "node:crypto";
import { DEMO_TENANTS } from "../../src/stand-ins/partner-center/demo-partner";
import { type EmulatorHandle, startEmulator } from "../../src/stand-ins/partner-center";
import { ACTIONS } from "../../src/slack/slack-inputs";
import { APPROVER, type Harness, OPERATOR, OPS_CHANNEL, buttonsOf, startHarness, textOf, waitFor } from "../support/app-harness";
import { requestRemovalAndWait } from "../support/slack-steps";
import { createProcessWorld, parseLine, pressSuspendAll, withLogsOnFailure } from "../support/app-process";
import { appliedChanges, statusesOf } from "../support/suspension-counts";

describe("health, readiness and logs", () => {
  let h: Harness;
  // never used to get a token (PARTNER_CENTER_TOKEN wins), but present in the environment as in production
  const clientSecret = `client-secret-${crypto.randomBytes(8).toString("hex")}`;
  beforeAll(async () => {
    h = await startHarness({ env: { AZURE_TENANT_ID: "tenant", AZURE_CLIENT_ID: "client", AZURE_CLIENT_SECRET: clientSecret } });
  });
  afterAll(async () => h.close());

  test("the log output of a whole removal holds no token or secret", async () => {
    await h.command(OPERATOR, "Contoso Ltd");
    const message = await waitFor("case message", () => h.slack.messages.find((m) => m.channel === OPS_CHANNEL && m.text.includes("Contoso Ltd")));
    await h.press(OPERATOR, message, ACTIONS.suspendAll);
    await waitFor("Request removal", () => buttonsOf(message.blocks).some((b) => b.action_id === ACTIONS.requestRemoval), 30_000);
    const approval = await requestRemovalAndWait(h, OPERATOR, message);
    await h.press(APPROVER, approval, ACTIONS.approve);
    await waitFor("removed", () => textOf(approval.blocks).includes("Removed."));
    await h.app.slack.updater.settle();

    const output = h.logs.join("");
    // the logs are real: JSON lines, with the Partner Center calls and their request ids
    const lines = h.logs.flatMap((chunk) => chunk.split("\n")).filter(Boolean);
    expect(lines.every((line) => parseLine(line) !== null)).toBe(true);
    expect(lines.filter((line) => line.includes('"msg":"Partner Center call"')).length).toBeGreaterThan(5);
    for (const secret of [h.botToken, h.signingSecret, clientSecret, "emulator-token"]) expect(output).not.toContain(secret);
    expect(output).not.toMatch(/Bearer\s+\S/i);
    expect(output).not.toMatch(/xox[abpr]-/);
  });

  test("GET /healthz answers while the process is up; GET /readyz checks the database, Partner Center and the approvals channel", async () => {
    const health = await fetch(`${h.app.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok" });
    const ready = await fetch(`${h.app.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready", checks: { accepting: true, database: true, partnerCenter: true, approvalChannel: true }, problems: [], warnings: [] });

    // Partner Center goes away: not ready (answered promptly, not after the client's retries), still healthy
    await h.emulator.close();
    const notReady = await fetch(`${h.app.url}/readyz`);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toEqual({ status: "not ready", checks: { accepting: true, database: true, partnerCenter: false, approvalChannel: true }, problems: [], warnings: [] });
    expect((await fetch(`${h.app.url}/healthz`)).status).toBe(200);
  });
});

describe("graceful shutdown", () => {
  let emulator: EmulatorHandle;
  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, latencyMs: 25 });
  });
  afterAll(async () => emulator.close());

  test("SIGTERM mid-job: the process finishes the calls in flight, releases the lease and exits 0; the next process takes the job at once", async () => {
    const world = await createProcessWorld();
    try {
      // a ten-minute lease: only a released job can be taken over within this test
      const env = { JOB_LEASE_SECONDS: "600" };
      const tenant = DEMO_TENANTS.bigCustomer;
      const suspended = () => statusesOf(emulator, tenant).filter((s) => s === "suspended").length;
      const first = await world.start(emulator.url, env);
      const message = await pressSuspendAll(world, first, "Woodgrove Bank");
      await waitFor("50 subscriptions suspended", () => suspended() >= 50, 60_000);
      const exited = await first.stop("SIGTERM");
      expect(exited.code).toBe(0);
      expect(first.logs.some((l) => l.includes("shutting down"))).toBe(true);
      expect(suspended()).toBeLessThan(500);

      const db = await world.openDatabase();
      try {
        const job = await db.prisma.job.findFirstOrThrow({ where: { case: { tenantId: tenant } } });
        expect(job.state).toBe("running");
        expect(job.leaseOwner).toBeNull();
        expect(job.leaseExpiresAt).toBeNull();
        // what the emulator applied is what the job recorded: nothing was left in flight
        expect(await db.prisma.jobItem.count({ where: { jobId: job.id, state: "done" } })).toBe(suspended());
      } finally {
        await db.close();
      }

      const second = await world.start(emulator.url, env);
      await waitFor("every subscription suspended", () => suspended() === 500, 60_000);
      await withLogsOnFailure(second, waitFor("the case message shows the finished job", () => textOf(message.blocks).includes("500 / 500"), 30_000));
      await second.stop("SIGTERM");
      const applied = appliedChanges(emulator, tenant);
      expect(applied.size).toBe(500);
      expect([...applied.values()].every((n) => n === 1)).toBe(true);
      expect(emulator.stats().replays).toBe(0);
    } finally {
      await world.close();
    }
  });
});
