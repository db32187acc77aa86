// Runs the whole app the way production does — real Bolt HTTP receiver, real database, the
// Partner Center emulator over HTTP — in its local world (src/stand-ins/local-world.ts), and
// drives it with signed requests as Slack would.
import { Writable } from "node:stream";
import type { Application } from "../../src/app";
import { IN_MEMORY_DATA_DIR } from "../../src/config";
import { type Logger, createLogger } from "../../src/logger";
import type { GraphStandIn, GraphStandInOptions } from "../../src/stand-ins/graph";
import type { EmulatorHandle } from "../../src/stand-ins/partner-center";
import { type EmulatorBehaviour, type Env, type LocalWorld, createLocalWorld } from "../../src/stand-ins/local-world";
import type { LocalSlackApi } from "../../src/stand-ins/slack/local-slack-api";
import { type SlackRequestSender, type SlackUser, messageState } from "../../src/stand-ins/slack/slack-request-signer";
import type { WorkspaceSpec } from "../../src/stand-ins/slack/slack-workspace";
import { actionOf } from "../../src/slack/slack-inputs";
import { testDatabaseSettings } from "./test-database";

export const OPERATOR: SlackUser = { id: "U0OPERATOR", name: "olivia" };
export const SECOND_OPERATOR: SlackUser = { id: "U0OPERATR2", name: "oscar" };
export const APPROVER: SlackUser = { id: "U0APPROVER", name: "alex" };
export const SECOND_APPROVER: SlackUser = { id: "U0APPROVR2", name: "avery" };
export const BYSTANDER: SlackUser = { id: "U0BYSTANDR", name: "nora" };
export const OPS_CHANNEL = "C0OFFBOARD";
export const APPROVAL_CHANNEL = "C0APPROVALS";

export interface Harness {
  world: LocalWorld;
  app: Application;
  slack: LocalSlackApi;
  slackUrl: string;
  emulator: EmulatorHandle;
  /** the Graph stand-in the emulator serves under /graph/v1.0 (GDAP relationships) */
  graph: GraphStandIn;
  sender: SlackRequestSender;
  signingSecret: string;
  botToken: string;
  logs: string[];
  /** signed /offboard from a user in the ops channel */
  command(user: SlackUser, text: string): Promise<{ status: number; body: string }>;
  /**
   * presses a button the app posted, found by action id (and optionally value content), sending
   * the message's state as Slack does: its boxes as shown, unless `ticks` changes them
   */
  press(user: SlackUser, message: { channel: string; ts: string }, actionId: string, valueIncludes?: string, ticks?: Record<string, boolean>): Promise<{ status: number; body: string }>;
  close(): Promise<void>;
}

/**
 * A second instance of the app on the same database, Slack stand-in and emulator: its own
 * process-like state (runner, Bolt app, port). On PostgreSQL it opens its own pool on the same
 * schema, as a second process would; on PGlite it shares the first instance's database.
 */
export async function startSecondInstance(h: Harness): Promise<{ app: Application; sender: SlackRequestSender; logs: string[] }> {
  const { logger, logs } = collectingLogger();
  const shared = process.env.DATABASE_URL ? {} : { database: h.app.db };
  const app = await h.world.startApp({ logger, ...shared });
  return { app, sender: h.world.senderFor(app.url), logs };
}

/** A debug logger whose lines the test can read. */
function collectingLogger(): { logger: Logger; logs: string[] } {
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(chunk.toString("utf8"));
      done();
    },
  });
  return { logger: createLogger("debug", sink), logs };
}

/** The app's environment in the tests: free loopback ports, the test people, Partner Center unthrottled. */
export function testAppEnv(env: Env = {}): Env {
  return {
    PORT: "0",
    EMULATOR_PORT: "0",
    PARTNER_CENTER_RPM: "6000",
    SUSPEND_CONCURRENCY: "8",
    APPROVAL_CHANNEL_ID: APPROVAL_CHANNEL,
    APPROVER_USER_IDS: `${APPROVER.id},${SECOND_APPROVER.id}`,
    OPERATOR_USER_IDS: `${OPERATOR.id},${SECOND_OPERATOR.id},${APPROVER.id}`,
    ...env,
  };
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
  /** the action, without the number a repeated button carries (suspend_subscription, not suspend_subscription.3) */
  action_id?: string;
  /** the action_id as posted */
  id?: string;
  value?: string;
  confirm?: { title?: unknown; text?: unknown; confirm?: unknown; deny?: unknown; style?: string };
  accessibility_label?: string;
}

/** Every button in a message's blocks (accessories and actions). */
export function buttonsOf(blocks: unknown[]): ButtonLike[] {
  const found: ButtonLike[] = [];
  const add = (button: ButtonLike) => found.push({ ...button, id: button.action_id, action_id: actionOf(button.action_id ?? "") });
  for (const block of blocks as Array<{ accessory?: ButtonLike & { type?: string }; elements?: Array<ButtonLike & { type?: string }> }>) {
    if (block.accessory?.type === "button") add(block.accessory);
    for (const element of block.elements ?? []) if (element.type === "button") add(element);
  }
  return found;
}

export function textOf(blocks: unknown[]): string {
  return JSON.stringify(blocks);
}

export async function startHarness(
  options: {
    env?: Record<string, string>;
    usergroups?: Record<string, string[]>;
    workspace?: Partial<WorkspaceSpec>;
    emulatorOptions?: EmulatorBehaviour;
    graphOptions?: GraphStandInOptions;
    /** false: the job runner works only Slack requests; the test drains the other kinds by hand */
    background?: boolean;
  } = {},
): Promise<Harness> {
  const database = testDatabaseSettings();
  const world = await createLocalWorld({
    env: testAppEnv({ DATA_DIR: IN_MEMORY_DATA_DIR, LOG_LEVEL: "debug", ...database.env, ...options.env }),
    usergroups: options.usergroups,
    workspace: options.workspace,
    emulator: options.emulatorOptions ?? {},
    graph: options.graphOptions ?? {},
  });
  const emulator: EmulatorHandle | undefined = world.emulator;
  const graph = world.graph;
  if (!emulator || !graph) throw new Error("the test world has no emulator or no Graph stand-in");
  const { logger, logs } = collectingLogger();
  let app: Application;
  try {
    app = await world.startApp({ logger, ...(options.background === false ? { background: false } : {}) });
  } catch (error) {
    await world.close();
    throw error;
  }
  const sender = world.senderFor(app.url);

  return {
    world,
    app,
    slack: world.slack,
    slackUrl: world.slackUrl,
    emulator,
    graph,
    sender,
    signingSecret: world.signingSecret,
    botToken: world.botToken,
    logs,
    command: (user, text) => sender.slashCommand(user, OPS_CHANNEL, text, world.responseUrl(OPS_CHANNEL, user.id)),
    press: (user, message, actionId, valueIncludes, ticks) => {
      const posted = world.slack.messages.find((m) => m.channel === message.channel && m.ts === message.ts);
      const button = buttonsOf(posted?.blocks ?? []).find((b) => b.action_id === actionId && (!valueIncludes || (b.value ?? "").includes(valueIncludes)));
      if (!button?.value || !button.id) throw new Error(`no ${actionId} button on message ${message.ts}`);
      return sender.blockAction(user, message.channel, message.ts, { action_id: button.id, value: button.value }, world.responseUrl(message.channel, user.id), {
        state: messageState(posted?.blocks ?? [], ticks),
      });
    },
    close: async () => {
      await app.close();
      await database.drop();
      await world.close();
    },
  };
}
