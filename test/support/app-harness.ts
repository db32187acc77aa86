// Runs the whole app the way production does — real Bolt HTTP receiver, real database, the
// Partner Center emulator over HTTP — with a local stand-in for the Slack Web API, and drives it
// with signed requests as Slack would.
import crypto from "node:crypto";
import { Writable } from "node:stream";
import pg from "pg";
import { type Application, startApplication } from "../../src/app";
import { loadConfig } from "../../src/config";
import { createLogger } from "../../src/logger";
import { type EmulatorHandle, startEmulator } from "../../src/stand-ins/partner-center";
import { LocalSlackApi, serveLocalSlackApi } from "../../src/stand-ins/slack/local-slack-api";
import { SlackRequestSender, type SlackUser } from "../../src/stand-ins/slack/slack-request-signer";

export const OPERATOR: SlackUser = { id: "U0OPERATOR", name: "olivia" };
export const SECOND_OPERATOR: SlackUser = { id: "U0OPERATR2", name: "oscar" };
export const APPROVER: SlackUser = { id: "U0APPROVER", name: "alex" };
export const SECOND_APPROVER: SlackUser = { id: "U0APPROVR2", name: "avery" };
export const BYSTANDER: SlackUser = { id: "U0BYSTANDR", name: "nora" };
export const OPS_CHANNEL = "C0OFFBOARD";
export const APPROVAL_CHANNEL = "C0APPROVALS";

export interface Harness {
  app: Application;
  slack: LocalSlackApi;
  slackUrl: string;
  emulator: EmulatorHandle;
  sender: SlackRequestSender;
  signingSecret: string;
  botToken: string;
  logs: string[];
  /** signed /offboard from a user in the ops channel */
  command(user: SlackUser, text: string): Promise<{ status: number; body: string }>;
  /** presses a button the app posted, found by action id (and optionally value content) */
  press(user: SlackUser, message: { channel: string; ts: string }, actionId: string, valueIncludes?: string): Promise<{ status: number; body: string }>;
  close(): Promise<void>;
}

/**
 * A second instance of the app on the same database, Slack stand-in and emulator: its own
 * process-like state (runner, Bolt app, port). On PostgreSQL it opens its own pool on the same
 * schema, as a second process would; on PGlite it shares the first instance's database.
 */
export async function startSecondInstance(h: Harness): Promise<{ app: Application; sender: SlackRequestSender; logs: string[] }> {
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(chunk.toString("utf8"));
      done();
    },
  });
  const shared = process.env.DATABASE_URL ? {} : { database: h.app.db };
  const app = await startApplication(h.app.config, { logger: createLogger("debug", sink), host: "127.0.0.1", ...shared });
  return { app, sender: new SlackRequestSender(app.url, h.signingSecret), logs };
}

/** Waits until `check` returns a value (not undefined/false), or fails after `ms`. */
export async function waitFor<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

interface ButtonLike {
  action_id?: string;
  value?: string;
}

/** Every button in a message's blocks (accessories and actions). */
export function buttonsOf(blocks: unknown[]): ButtonLike[] {
  const found: ButtonLike[] = [];
  for (const block of blocks as Array<{ accessory?: ButtonLike & { type?: string }; elements?: Array<ButtonLike & { type?: string }> }>) {
    if (block.accessory?.type === "button") found.push(block.accessory);
    for (const element of block.elements ?? []) if (element.type === "button") found.push(element);
  }
  return found;
}

export function textOf(blocks: unknown[]): string {
  return JSON.stringify(blocks);
}

export async function startHarness(options: { env?: Record<string, string>; usergroups?: Record<string, string[]>; emulatorOptions?: Parameters<typeof startEmulator>[0] } = {}): Promise<Harness> {
  const signingSecret = crypto.randomBytes(16).toString("hex");
  const botToken = `xoxb-test-${crypto.randomBytes(8).toString("hex")}`;
  const slack = new LocalSlackApi(botToken, options.usergroups ?? {});
  const slackServer = await serveLocalSlackApi(slack);
  const slackUrl = slackServer.url;
  const emulator = await startEmulator({ port: 0, ...(options.emulatorOptions ?? {}) });

  const schema = process.env.DATABASE_URL ? `test_${crypto.randomBytes(6).toString("hex")}` : undefined;
  const config = loadConfig({
    DATA_DIR: "memory://",
    ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL, DATABASE_SCHEMA: schema } : {}),
    PORT: "0",
    LOG_LEVEL: "debug",
    PARTNER_CENTER_URL: emulator.url,
    PARTNER_CENTER_TOKEN: "emulator-token",
    PARTNER_CENTER_RPM: "6000",
    SLACK_SIGNING_SECRET: signingSecret,
    SLACK_BOT_TOKEN: botToken,
    SLACK_API_URL: `${slackUrl}/api/`,
    APPROVAL_CHANNEL_ID: APPROVAL_CHANNEL,
    APPROVER_USER_IDS: `${APPROVER.id},${SECOND_APPROVER.id}`,
    OPERATOR_USER_IDS: `${OPERATOR.id},${SECOND_OPERATOR.id},${APPROVER.id}`,
    SUSPEND_CONCURRENCY: "8",
    ...(options.env ?? {}),
  });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(chunk.toString("utf8"));
      done();
    },
  });
  const app = await startApplication(config, { logger: createLogger("debug", sink), host: "127.0.0.1" });
  const sender = new SlackRequestSender(app.url, signingSecret);

  return {
    app,
    slack,
    slackUrl,
    emulator,
    sender,
    signingSecret,
    botToken,
    logs,
    command: (user, text) => sender.slashCommand(user, OPS_CHANNEL, text, slack.createResponseUrl(slackUrl, OPS_CHANNEL, user.id)),
    press: (user, message, actionId, valueIncludes) => {
      const posted = slack.messages.find((m) => m.channel === message.channel && m.ts === message.ts);
      const button = buttonsOf(posted?.blocks ?? []).find((b) => b.action_id === actionId && (!valueIncludes || (b.value ?? "").includes(valueIncludes)));
      if (!button?.value) throw new Error(`no ${actionId} button on message ${message.ts}`);
      return sender.blockAction(user, message.channel, message.ts, { action_id: actionId, value: button.value }, slack.createResponseUrl(slackUrl, message.channel, user.id));
    },
    close: async () => {
      await app.close();
      if (schema) {
        const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
        await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await pool.end();
      }
      await emulator.close();
      await slackServer.close();
    },
  };
}
