// `npm run doctor` next to a running app on the embedded database (DATA_DIR on disk): PGlite takes
// one process, so the CLI asks the app for the checks it ran (/readyz?detail) and prints them as
// the app's. Started with a well-shaped WRONG signing secret while the Slack stand-in signs with
// the right one, a request gets 401 and the CLI names the problem and the fix and exits 1; with
// the right secret, exit 0. Whatever else answers on PORT is a plain ✘, never taken as the app.
import crypto from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { RUNNING_APP, runningAppChecks } from "../../src/doctor/running-app";
import { type LocalWorld, createLocalWorld } from "../../src/stand-ins/local-world";
import { runDoctorCli } from "../support/doctor-cli";

// what Slack sends once when the Request URL is saved: Bolt answers the challenge
const URL_VERIFICATION = JSON.stringify({ token: "legacy-unused", challenge: "challenge-123", type: "url_verification" });
/** 32 hex characters, as a Client Secret is: the shape check alone passes it */
const wrongSecret = crypto.randomBytes(16).toString("hex");

let world: LocalWorld;
let dataDir: string;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "doctor-app-"));
  world = await createLocalWorld({
    env: { DATA_DIR: dataDir, EMULATOR_PORT: "0", APPROVAL_CHANNEL_ID: "C0APPROVALS", APPROVER_USERGROUP_ID: "S0APPROVERS", OPERATOR_USER_IDS: "UOLIVIA", LOG_LEVEL: "silent" },
    usergroups: { S0APPROVERS: ["UALEX", "UMAYA"] },
  });
});

afterAll(async () => {
  await world.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

/** A loopback port nothing listens on (taken and given back). */
async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Something else on a port, answering every request with `body`. */
async function impostor(body: string, status = 200): Promise<{ port: number; close: () => Promise<void> }> {
  const server = http.createServer((_req, res) => res.writeHead(status, { "content-type": "application/json" }).end(body));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { port: (server.address() as AddressInfo).port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe("npm run doctor while the app holds the embedded database", () => {
  it("prints the running app's checks: a wrong signing secret is a ✘ with its fix and exit 1; the right one exits 0", async () => {
    const wrong = await world.startApp({ env: { PORT: "0", SLACK_SIGNING_SECRET: wrongSecret }, background: false });
    try {
      // the stand-in signs as Slack does, with the secret Slack holds (the world's)
      expect((await world.senderFor(wrong.url).send(URL_VERIFICATION, "application/json")).status).toBe(401);

      const cli = await runDoctorCli(world.appEnv({ SLACK_SIGNING_SECRET: wrongSecret, PORT: String(wrong.port) }));
      expect(cli.stdout).toMatch(
        new RegExp(`^✔ ${RUNNING_APP}: the embedded database in ${dataDir} is open in a running app, which alone may read it: the checks below are that app's own \\(http://127\\.0\\.0\\.1:${wrong.port}/readyz\\?detail\\), run at \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z$`, "m"),
      );
      expect(cli.stdout).toMatch(/^✘ Slack: signing secret: 1 request to \/slack\/events since \d{4}-.*Z was refused: .*do not match SLACK_SIGNING_SECRET; none has matched$/m);
      expect(cli.stdout).toContain("    fix: copy it from api.slack.com/apps → your app → Basic Information → App Credentials → Signing Secret (not the Client Secret");
      // the app's own Database check: it holds the database the CLI may not open
      expect(cli.stdout).toMatch(/^✔ Database: /m);
      expect(cli.stdout).toContain("1 check failed.");
      expect(cli.stdout).not.toContain(wrongSecret);
      expect(cli.stdout).not.toContain(world.signingSecret);
      expect(cli.code).toBe(1);

      // the database is held but nothing answers on the CLI's PORT: said, with the fix
      const elsewhere = await runDoctorCli(world.appEnv({ SLACK_SIGNING_SECRET: wrongSecret, PORT: String(await closedPort()) }));
      expect(elsewhere.stdout).toMatch(new RegExp(`^✘ ${RUNNING_APP}: the embedded database in ${dataDir} is open in a running app, which alone may read it, and http://127\\.0\\.0\\.1:\\d+/readyz\\?detail did not answer: .*ECONNREFUSED`, "m"));
      expect(elsewhere.stdout).toContain("    fix: run the doctor with the running app's PORT (and DATA_DIR)");
      expect(elsewhere.code).toBe(1);
    } finally {
      await wrong.close();
    }

    // no app holds it: the CLI checks the rest itself, as before, and says where the verdict is
    const alone = await runDoctorCli(world.appEnv({ SLACK_SIGNING_SECRET: wrongSecret }));
    expect(alone.stdout).not.toContain(RUNNING_APP);
    expect(alone.stdout).toContain("✔ Slack: signing secret: has the shape of a Slack signing secret");
    expect(alone.stdout).toContain("its /readyz?detail shows this check with it");

    // put right: restarted with Slack's secret on the same DATA_DIR, one request verifies
    const right = await world.startApp({ env: { PORT: "0" }, background: false });
    try {
      expect((await world.senderFor(right.url).send(URL_VERIFICATION, "application/json")).status).toBe(200);
      const fixed = await runDoctorCli(world.appEnv({ PORT: String(right.port) }));
      expect(fixed.stdout).toContain(`✔ ${RUNNING_APP}: the embedded database in ${dataDir} is open in a running app`);
      expect(fixed.stdout).toMatch(/^✔ Slack: signing secret: matches Slack's: the last request from Slack verified at /m);
      expect(fixed.stdout).toContain("All checks passed.");
      expect(fixed.code).toBe(0);
    } finally {
      await right.close();
    }
  }, 170_000);
});

describe("what answers on PORT, read as the running app's checks", () => {
  it("is a plain ✘ when it is not the app's answer, whatever its status", async () => {
    const answers: Array<[string, number]> = [
      [JSON.stringify({ status: "ready", checks: {}, problems: [], warnings: [] }), 200],
      [JSON.stringify({ doctor: [{ name: "Slack", status: "fine", detail: "x" }], doctorCheckedAt: new Date().toISOString() }), 200],
      [JSON.stringify({ doctor: [{ name: "Slack", status: "ok", detail: "x" }], doctorCheckedAt: "yesterday" }), 200],
      ["<html>a proxy's page</html>", 200],
      [JSON.stringify({ doctor: [{ name: "Slack", status: "ok", detail: "x" }], doctorCheckedAt: new Date().toISOString() }), 404],
      ["x".repeat(300 * 1024), 200],
    ];
    for (const [body, status] of answers) {
      const other = await impostor(body, status);
      try {
        const results = await runningAppChecks("/srv/data", other.port);
        expect(results).toEqual([
          expect.objectContaining({ name: RUNNING_APP, status: "failed", detail: expect.stringContaining(`answered HTTP ${status} with something other than the app's set-up checks`) }),
        ]);
      } finally {
        await other.close();
      }
    }
  });

  it("takes the app's answer (503 too), printing no control character from it", async () => {
    const checkedAt = "2025-03-04T05:06:07.089Z";
    const body = {
      status: "not ready",
      doctor: [
        { name: "Database", status: "ok", detail: "the embedded database answers" },
        { name: "Partner Center", status: "failed", detail: "unreachable\u001b[2J\r\nfake ✔ line" },
      ],
      doctorCheckedAt: checkedAt,
    };
    const app = await impostor(JSON.stringify(body), 503);
    try {
      const results = await runningAppChecks("/srv/data", app.port);
      expect(results[0]).toMatchObject({ name: RUNNING_APP, status: "ok", detail: expect.stringContaining(`run at ${checkedAt}`) });
      expect(results.slice(1)).toEqual([
        { name: "Database", status: "ok", detail: "the embedded database answers" },
        // a ✘ the app sent without a fix still gets one to print
        { name: "Partner Center", status: "failed", detail: "unreachable [2J  fake ✔ line", fix: "see the app's log" },
      ]);
    } finally {
      await app.close();
    }
  });
});
