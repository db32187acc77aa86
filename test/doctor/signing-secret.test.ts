// The doctor judges the signing secret by what the app saw of Slack's requests: started with a
// well-shaped WRONG secret (the Client Secret, say) while the Slack stand-in signs with the right
// one, every request gets 401 and the doctor names the problem and the fix; restarted with the
// right secret, one request verifies and the check passes. Stale requests point at the clock.
import crypto from "node:crypto";
import { loadConfig } from "../../src/config";
import type { CheckResult } from "../../src/doctor/doctor-check";
import { allPassed } from "../../src/doctor/doctor";
import { runConfiguredDoctor as runDoctor } from "../../src/doctor/doctor-from-env";
import type { Database } from "../../src/store";
import { type LocalWorld, createLocalWorld } from "../../src/stand-ins/local-world";
import { runDoctorCli } from "../support/doctor-cli";
import { describeDatabase, openTestDatabase } from "../support/test-database";

const NAME = "Slack: signing secret";
// what Slack sends once when the Request URL is saved: Bolt answers the challenge
const URL_VERIFICATION = JSON.stringify({ token: "legacy-unused", challenge: "challenge-123", type: "url_verification" });

let world: LocalWorld;
let db: Database;
/** 32 hex characters, as a Client Secret is: the shape check alone passes it */
const wrongSecret = crypto.randomBytes(16).toString("hex");

beforeAll(async () => {
  world = await createLocalWorld({
    env: { DATA_DIR: "memory://", EMULATOR_PORT: "0", APPROVAL_CHANNEL_ID: "C0APPROVALS", APPROVER_USERGROUP_ID: "S0APPROVERS", OPERATOR_USER_IDS: "UOLIVIA", LOG_LEVEL: "silent" },
    usergroups: { S0APPROVERS: ["UALEX", "UMAYA"] },
  });
  db = await openTestDatabase();
});

afterAll(async () => {
  await db.close();
  await world.close();
});

beforeEach(async () => {
  await db.pool.query(`DELETE FROM "SlackRequestTally"`);
});

/** The app's own run of the checks, as /readyz?detail serves it (and the admins' Home tab shows it). */
async function readyzDetail(url: string): Promise<CheckResult[]> {
  const body = (await (await fetch(`${url}/readyz?detail`)).json()) as { doctor: CheckResult[] };
  return body.doctor;
}

const check = (results: CheckResult[], name = NAME): CheckResult | undefined => results.find((r) => r.name === name);

/** The CLI reaches the app's database only on PostgreSQL: the embedded one is the running app's alone. */
const onPostgres = Boolean(process.env.DATABASE_URL);
const databaseEnv = () => (onPostgres ? { DATABASE_URL: process.env.DATABASE_URL, DATABASE_SCHEMA: db.schema } : {});

describe(`the signing secret, judged by Slack's requests (${describeDatabase()})`, () => {
  it("a well-shaped wrong secret: Slack's requests get 401 and the doctor names it and the fix; the right one then passes", async () => {
    const wrong = await world.startApp({ env: { PORT: "0", SLACK_SIGNING_SECRET: wrongSecret }, background: false, database: db });
    try {
      // the stand-in signs as Slack does, with the secret Slack holds (the world's)
      expect((await world.senderFor(wrong.url).send(URL_VERIFICATION, "application/json")).status).toBe(401);
      expect((await world.senderFor(wrong.url).send(URL_VERIFICATION, "application/json")).status).toBe(401);

      const served = check(await readyzDetail(wrong.url));
      expect(served).toMatchObject({ status: "failed" });
      expect(served?.detail).toMatch(/^2 requests to \/slack\/events since \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ were refused: their signatures do not match SLACK_SIGNING_SECRET; none has matched$/);
      expect(served?.fix).toContain("Basic Information → App Credentials → Signing Secret (not the Client Secret");
    } finally {
      await wrong.close();
    }

    // the doctor in-process, with the running app's database, as `npm run doctor` on PostgreSQL does
    const results = await runDoctor(loadConfig(world.appEnv({ SLACK_SIGNING_SECRET: wrongSecret })), { pool: db.pool });
    expect(allPassed(results)).toBe(false);
    expect(results.filter((r) => r.status === "failed").map((r) => r.name)).toEqual([NAME]);
    expect(check(results)?.detail).toContain("2 requests to /slack/events since");

    const cli = await runDoctorCli(world.appEnv({ SLACK_SIGNING_SECRET: wrongSecret, ...databaseEnv() }));
    expect(cli.stdout).not.toContain(wrongSecret);
    expect(cli.stdout).not.toContain(world.signingSecret);
    if (onPostgres) {
      expect(cli.code).toBe(1);
      expect(cli.stdout).toMatch(/✘ Slack: signing secret: 2 requests to \/slack\/events since .* were refused: their signatures do not match SLACK_SIGNING_SECRET/);
      expect(cli.stdout).toContain("    fix: copy it from api.slack.com/apps → your app → Basic Information → App Credentials → Signing Secret (not the Client Secret");
      expect(cli.stdout).toContain("1 check failed.");
    } else {
      // the embedded database is the running app's alone: the CLI says where the verdict is
      expect(cli.stdout).toContain("✔ Slack: signing secret: has the shape of a Slack signing secret");
      expect(cli.stdout).toContain("its /readyz?detail shows this check with it");
    }

    // put right: restarted with Slack's secret, one request verifies and the check passes
    const right = await world.startApp({ env: { PORT: "0" }, background: false, database: db });
    try {
      expect((await world.senderFor(right.url).send(URL_VERIFICATION, "application/json")).status).toBe(200);
      const served = check(await readyzDetail(right.url));
      expect(served).toMatchObject({ status: "ok" });
      expect(served?.detail).toMatch(/^matches Slack's: the last request from Slack verified at \d{4}-.*Z \(1 request verified in all\)$/);
    } finally {
      await right.close();
    }
    const after = await runDoctor(loadConfig(world.appEnv()), { pool: db.pool });
    expect(after.filter((r) => r.status === "failed")).toEqual([]);
    if (onPostgres) {
      const fixed = await runDoctorCli(world.appEnv(databaseEnv()));
      expect(fixed.stdout).toContain("✔ Slack: signing secret: matches Slack's");
      expect(fixed.code).toBe(0);
    }
  }, 120_000);

  it("requests refused as stale point at the clock, in both checks", async () => {
    const app = await world.startApp({ env: { PORT: "0" }, background: false, database: db });
    try {
      // signed with the right secret, ten minutes ago: what a clock ten minutes fast sees
      const tenMinutesAgo = Math.floor(Date.now() / 1000) - 600;
      expect((await world.senderFor(app.url).send(URL_VERIFICATION, "application/json", {}, tenMinutesAgo)).status).toBe(401);
      const results = await readyzDetail(app.url);
      const secret = check(results);
      expect(secret).toMatchObject({ status: "failed" });
      expect(secret?.detail).toMatch(/^1 request to \/slack\/events since .*Z was refused as stale: .* \(see the Clock check\)$/);
      expect(secret?.fix).toContain("synchronise the clock (NTP");
      expect(check(results, "Clock")?.detail).toMatch(/1 request from Slack since .*Z was refused as stale \(see Slack: signing secret\)$/);
    } finally {
      await app.close();
    }
  }, 60_000);

  it("counts no request without Slack's signature: a stray POST does not condemn the secret", async () => {
    const app = await world.startApp({ env: { PORT: "0" }, background: false, database: db });
    try {
      const stray = await fetch(`${app.url}/slack/events`, { method: "POST", headers: { "content-type": "application/json" }, body: URL_VERIFICATION });
      expect(stray.status).toBe(401);
      const served = check(await readyzDetail(app.url));
      expect(served).toMatchObject({ status: "ok" });
      expect(served?.detail).toContain("no request from Slack seen yet to check it against");
    } finally {
      await app.close();
    }
  }, 60_000);
});
