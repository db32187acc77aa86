// `npm run doctor` against the local world (the Slack stand-in and the Partner Center emulator),
// all well and then with one fault at a time: each names the problem and its fix and fails.
import fs from "node:fs";
import path from "node:path";
import { loadConfig } from "../../src/config";
import { type CheckResult, formatReport } from "../../src/doctor/doctor-check";
import { allPassed } from "../../src/doctor/doctor";
import { runConfiguredDoctor as runDoctor, runDoctorFromEnv } from "../../src/doctor/doctor-from-env";
import { projectRoot } from "../../src/project-root";
import { type Database, openDatabase } from "../../src/store";
import { type LocalWorld, createLocalWorld } from "../../src/stand-ins/local-world";
import { runDoctorCli as runCli } from "../support/doctor-cli";

const APPROVALS = "C0APPROVALS";
const APPROVERS = "S0APPROVERS";

let world: LocalWorld;
let db: Database;

beforeAll(async () => {
  world = await createLocalWorld({
    env: { DATA_DIR: "memory://", EMULATOR_PORT: "0", APPROVAL_CHANNEL_ID: APPROVALS, APPROVER_USERGROUP_ID: APPROVERS, OPERATOR_USER_IDS: "UOLIVIA", LOG_LEVEL: "silent" },
    usergroups: { [APPROVERS]: ["UALEX", "UMAYA"] },
  });
  // the app's embedded database, migrated as the app does at start; the doctor is handed its pool as /readyz is
  db = await openDatabase({ dataDir: "memory://" });
});

afterAll(async () => {
  await db.close();
  await world.close();
});

afterEach(() => {
  world.emulator?.reset();
});

function failures(results: CheckResult[]): CheckResult[] {
  return results.filter((r) => r.status === "failed");
}

describe("npm run doctor against the stand-ins", () => {
  it("prints every check ✔ and exits 0 when all is well", async () => {
    const results = await runDoctor(loadConfig(world.appEnv()), { pool: db.pool });
    expect(failures(results)).toEqual([]);
    const names = results.filter((r) => r.status === "ok").map((r) => r.name);
    expect(names).toEqual(
      expect.arrayContaining([
        "Database",
        "Slack: signing secret",
        "Slack: bot token (auth.test)",
        "Slack: bot scopes",
        "Clock",
        `Slack: approvals channel ${APPROVALS}`,
        "Slack: approvers",
        "Partner Center: app-only call (GET /customers?size=1)",
        "Partner Center: App+User call (GET /customers/relationshiprequests)",
        "Microsoft Graph (GDAP): GET /tenantRelationships/delegatedAdminRelationships?$top=1",
      ]),
    );
    expect(results.find((r) => r.name === "Slack: approvers")?.detail).toContain("2 member(s)");
    // the signing secret cannot be verified through any Slack API, and the line says so
    expect(results.find((r) => r.name === "Slack: signing secret")?.detail).toContain("Slack has no API to verify it");

    const cli = await runCli(world.appEnv());
    expect(cli.stdout).toContain("✔ Environment: parses");
    expect(cli.stdout).toContain("✔ Slack: bot token (auth.test)");
    expect(cli.stdout).not.toContain("✘");
    expect(cli.stdout).toContain("All checks passed.");
    expect(cli.code).toBe(0);
    // no secret reaches the report
    expect(cli.stdout).not.toContain(world.botToken);
    expect(cli.stdout).not.toContain(world.signingSecret);
  }, 60_000);

  it("names a bot that is not in the approvals channel, and the fix", async () => {
    world.slack.workspace.setBotMember(APPROVALS, false);
    try {
      const cli = await runCli(world.appEnv());
      expect(cli.code).toBe(1);
      // #approvals is private in the stand-in's workspace: a bot not in it cannot see it at all, as in Slack
      expect(cli.stdout).toMatch(/✘ Slack: approvals channel C0APPROVALS: Slack says channel_not_found/);
      expect(cli.stdout).toContain("invite the bot first (/invite @offboarding)");
      expect(cli.stdout).toContain("1 check failed.");
    } finally {
      world.slack.workspace.setBotMember(APPROVALS, true);
    }
  }, 60_000);

  it("names an expired or invalid Partner Center token, and the fix", async () => {
    // Partner Center answers 401 to a token it no longer accepts; the emulator is told to, for both calls
    world.emulator?.configure({ failNext: [{ status: 401 }, { status: 401 }] });
    const results = await runDoctor(loadConfig(world.appEnv()), { pool: db.pool });
    expect(allPassed(results)).toBe(false);
    const failed = failures(results);
    expect(failed.map((r) => r.name)).toEqual(["Partner Center: app-only call (GET /customers?size=1)", "Partner Center: App+User call (GET /customers/relationshiprequests)"]);
    expect(failed[0]?.detail).toContain("Partner Center refused the credentials (401)");
    expect(failed[0]?.fix).toContain("PARTNER_CENTER_TOKEN is refused");
    expect(formatReport(results)).toContain("2 checks failed.");
  });

  it("names a Graph it cannot read GDAP relationships from, and the fix", async () => {
    // GDAP is on and GRAPH_URL names a Graph where nothing listens (port 1)
    const results = await runDoctor(loadConfig(world.appEnv({ GRAPH_URL: "http://127.0.0.1:1/v1.0" })), { pool: db.pool, timeoutMs: 5_000 });
    const failed = failures(results);
    expect(failed.map((r) => r.name)).toEqual(["Microsoft Graph (GDAP): GET /tenantRelationships/delegatedAdminRelationships?$top=1"]);
    expect(failed[0]?.fix).toContain("DelegatedAdminRelationship.ReadWrite.All");
    const off = await runDoctor(loadConfig(world.appEnv({ GRAPH_URL: undefined, GRAPH_DISABLED: "true" })), { pool: db.pool });
    expect(off.find((r) => r.name === "Microsoft Graph (GDAP)")).toMatchObject({ status: "skipped" });
  });

  it("names a database it cannot reach, and the fix", async () => {
    // nothing listens on port 1
    const results = await runDoctor(loadConfig(world.appEnv({ DATABASE_URL: "postgresql://postgres@127.0.0.1:1/test" })), { timeoutMs: 5_000 });
    const failed = failures(results);
    expect(failed.map((r) => r.name)).toEqual(["Database"]);
    expect(failed[0]?.detail).toContain("PostgreSQL at 127.0.0.1:1/test cannot be reached");
    expect(failed[0]?.fix).toContain("check DATABASE_URL");
    expect(allPassed(results)).toBe(false);
  });

  it("names a Slack scope the token lacks, and the fix", async () => {
    world.slack.workspace.scopes.delete("usergroups:read");
    try {
      const results = await runDoctor(loadConfig(world.appEnv()), { pool: db.pool });
      const failed = failures(results);
      expect(failed.map((r) => r.name)).toEqual(["Slack: bot scopes", "Slack: approvers"]);
      expect(failed[0]?.detail).toContain("the token lacks usergroups:read");
      expect(failed[0]?.fix).toContain("reinstall the app");
      expect(failed[1]?.detail).toContain("the token lacks usergroups:read");
    } finally {
      world.slack.workspace.scopes.add("usergroups:read");
    }
  });

  it("says what it can of a signing secret: its shape, and that Slack cannot verify it", async () => {
    // the Verification Token (24 letters and digits) pasted where the signing secret belongs
    const results = await runDoctorFromEnv(world.appEnv({ SLACK_SIGNING_SECRET: "AbCdEf0123456789AbCdEf01" }), { pool: db.pool });
    const failed = failures(results);
    expect(failed.map((r) => r.name)).toEqual(["Slack: signing secret"]);
    expect(failed[0]?.fix).toContain("Basic Information → App Credentials → Signing Secret");
  });

  it("reports a configuration that does not parse as the one failure", async () => {
    const results = await runDoctorFromEnv(world.appEnv({ SLACK_BOT_TOKEN: "not-a-token" }));
    expect(results).toEqual([expect.objectContaining({ name: "Environment", status: "failed", detail: "SLACK_BOT_TOKEN: must be a bot token starting with xoxb-" })]);
  });
});

describe("/readyz?detail", () => {
  it("carries the doctor's checks, without changing readiness; plain /readyz does not run them", async () => {
    const app = await world.startApp({ env: { PORT: "0" }, background: false, database: db });
    try {
      world.slack.workspace.setBotMember(APPROVALS, false);
      const callsBefore = world.slack.calls.length;
      const plain = (await (await fetch(`${app.url}/readyz`)).json()) as Record<string, unknown>;
      expect(plain.doctor).toBeUndefined();
      expect(world.slack.calls.length).toBe(callsBefore);

      const response = await fetch(`${app.url}/readyz?detail`);
      const body = (await response.json()) as { status: string; doctor: CheckResult[]; doctorCheckedAt: string };
      expect(response.status).toBe(200);
      expect(body.status).toBe("ready");
      // when they ran, for `npm run doctor` to say
      expect(body.doctorCheckedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      const channel = body.doctor.find((r) => r.name === `Slack: approvals channel ${APPROVALS}`);
      expect(channel).toEqual(expect.objectContaining({ status: "failed", fix: expect.stringContaining("invite the bot first (/invite @offboarding)") }));
      expect(body.doctor.find((r) => r.name === "Database")?.status).toBe("ok");
      expect(JSON.stringify(body)).not.toContain(world.botToken);
    } finally {
      world.slack.workspace.setBotMember(APPROVALS, true);
      await app.close();
    }
  }, 60_000);
});

describe("the commands the README gives", () => {
  it("npm run doctor builds and runs the module these tests run; the README and the guide name both", () => {
    const root = projectRoot();
    const scripts = (JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
    expect(scripts.doctor).toBe("npm run build --silent && node dist/src/doctor/doctor-main.js");
    expect(fs.existsSync(path.join(root, "src", "doctor", "doctor-main.ts"))).toBe(true);
    for (const doc of ["README.md", path.join("docs", "deploy.md")]) {
      const text = fs.readFileSync(path.join(root, doc), "utf8");
      expect(text).toContain("npm run doctor");
      expect(text).toContain("node dist/src/doctor/doctor-main.js");
    }
  });
});
