// The app with its local world: fresh secrets, the Slack Web API stand-in on a loopback port,
// the Partner Center emulator (unless PARTNER_CENTER_URL names a real one) serving the Graph
// stand-in under /graph/v1.0 (unless GDAP is left alone or GRAPH_URL names a Graph), and the
// settings that point the app at them. `npm start` without credentials (the local console), the tests and the
// benches all start the app through here, so its local start-up is written once.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { type Application, type StartOptions, startApplication } from "../app";
import { dataDirOnDisk, loadConfig } from "../config";
import { type Logger, createLogger } from "../logger";
import { type GraphStandIn, type GraphStandInOptions, createGraphStandIn, graphMount } from "./graph";
import { type EmulatorHandle, type EmulatorOptions, startEmulator } from "./partner-center";
import { ALEX, APPROVAL_CHANNEL, OLIVIA } from "./console/console-identities";
import { consolePageDir } from "./console/console-http";
import { ConsoleServer } from "./console/console-server";
import { LocalSlackApi, serveLocalSlackApi } from "./slack/local-slack-api";
import { SlackRequestSender } from "./slack/slack-request-signer";
import type { WorkspaceSpec } from "./slack/slack-workspace";

/** Environment variables as the app reads them: unset and blank mean the same (see loadConfig). */
export type Env = Record<string, string | undefined>;

/** How the emulator behaves (latency, rate limit, faults, seed); its port and folder come from the environment. */
export type EmulatorBehaviour = Omit<EmulatorOptions, "port" | "host" | "dataDir">;

export interface LocalWorldOptions {
  /** the app's environment: process.env for `npm start`, a few settings in tests and benches */
  env?: Env;
  /** Slack user groups and their members, for usergroups.users.list */
  usergroups?: Record<string, string[]>;
  /** changes to the Slack stand-in's workspace (its people, channels, scopes) */
  workspace?: Partial<WorkspaceSpec> | undefined;
  /** false: no emulator (the caller points each app at a Partner Center of its own) */
  emulator?: EmulatorBehaviour | false;
  /** how the Graph stand-in the emulator serves behaves; false: none (GDAP left alone) */
  graph?: GraphStandInOptions | false;
  /** hears about requests the Slack stand-in could not read */
  logger?: Logger;
}

export interface LocalAppOptions extends Omit<StartOptions, "slack"> {
  /** settings for this app only, laid over the rest */
  env?: Env;
}

export interface LocalWorld {
  /** what points an app at this world: Slack's URL and secrets, and the emulator's URL and token */
  settings: Record<string, string>;
  slack: LocalSlackApi;
  /** where the Slack stand-in listens; response_urls start with it */
  slackUrl: string;
  /** undefined when PARTNER_CENTER_URL is set or the world was asked for none */
  emulator: EmulatorHandle | undefined;
  /** the Graph stand-in the emulator serves; undefined without an emulator, with GRAPH_URL or GRAPH_DISABLED set, or when asked for none */
  graph: GraphStandIn | undefined;
  signingSecret: string;
  botToken: string;
  /** the whole environment of an app in this world: the given one, these settings, then `env` */
  appEnv(env?: Env): Env;
  /** starts the app in this process, in this world */
  startApp(options?: LocalAppOptions): Promise<Application>;
  /** signs requests into the app at `appUrl` as Slack does */
  senderFor(appUrl: string): SlackRequestSender;
  /** a response_url for a command or a button press by `user` in `channel` */
  responseUrl(channel: string, user: string): string;
  /** stops the stand-ins; the apps are the caller's to close first */
  close(): Promise<void>;
}

/** Settings that point an app at a Partner Center emulator (which takes any bearer token). */
export function emulatorSettings(url: string): Record<string, string> {
  return { PARTNER_CENTER_URL: url, PARTNER_CENTER_TOKEN: "emulator" };
}

/** Settings that point an app at a Graph stand-in's v1.0 root (which takes any bearer token). */
export function graphSettings(url: string): Record<string, string> {
  return { GRAPH_URL: url, GRAPH_TOKEN: "stand-in" };
}

export async function createLocalWorld(options: LocalWorldOptions = {}): Promise<LocalWorld> {
  const base = options.env ?? {};
  // the given environment is checked before anything starts; a bad value stops here
  const config = loadConfig(base);
  // fresh per world and never printed: nothing outside can sign as this world's Slack
  // 32 hex characters, the shape of Slack's own signing secrets
  const signingSecret = crypto.randomBytes(16).toString("hex");
  const botToken = `xoxb-local-${crypto.randomBytes(24).toString("hex")}`;
  const slack = new LocalSlackApi(botToken, { usergroups: options.usergroups ?? {}, ...options.workspace });
  // the approvals channel exists and the bot was invited to it, as docs/deploy.md asks (the local
  // workspace has C0APPROVALS; a test naming another gets it too)
  if (config.APPROVAL_CHANNEL_ID) slack.workspace.ensureChannel(config.APPROVAL_CHANNEL_ID, { name: "approvals", kind: "private", bot: true });
  // its own loopback port: the app's client needs the URL before the app listens (PORT=0)
  const slackServer = await serveLocalSlackApi(slack, (error) => options.logger?.warn({ err: String(error) }, "local Slack API request failed"));
  let emulator: EmulatorHandle | undefined;
  let graph: GraphStandIn | undefined;
  try {
    if (options.emulator !== false && !config.PARTNER_CENTER_URL) {
      if (options.graph !== false && !config.GRAPH_DISABLED && !config.GRAPH_URL) graph = createGraphStandIn(options.graph ?? {});
      const mounts = [...(options.emulator?.mounts ?? []), ...(graph ? [graphMount(graph)] : [])];
      emulator = await startEmulator({ ...options.emulator, mounts, port: config.EMULATOR_PORT, host: "127.0.0.1", dataDir: dataDirOnDisk(config) });
    }
  } catch (error) {
    await slackServer.close();
    throw error;
  }
  const settings: Record<string, string> = {
    SLACK_SIGNING_SECRET: signingSecret,
    SLACK_BOT_TOKEN: botToken,
    SLACK_API_URL: `${slackServer.url}/api/`,
    // HTTP to the stand-in, whatever the environment says about Socket Mode
    SLACK_APP_TOKEN: "",
    ...(emulator ? emulatorSettings(emulator.url) : {}),
    // the emulator's Graph, or, with none and no GRAPH_URL given, GDAP left alone (a Partner Center URL needs a word on Graph)
    ...(emulator && graph ? graphSettings(`${emulator.origin}${graph.basePath}`) : emulator && !config.GRAPH_URL ? { GRAPH_DISABLED: "true" } : {}),
  };
  const appEnv = (env: Env = {}): Env => ({ ...base, ...settings, ...env });
  return {
    settings,
    slack,
    slackUrl: slackServer.url,
    emulator,
    graph,
    signingSecret,
    botToken,
    appEnv,
    startApp: ({ env, ...startOptions } = {}) => startLocalApp(appEnv(env), startOptions),
    // trigger_ids come from the stand-in, which then holds views.open to Slack's rules
    senderFor: (appUrl) => new SlackRequestSender(appUrl, signingSecret, { triggers: slack }),
    responseUrl: (channel, user) => slack.createResponseUrl(slackServer.url, channel, user),
    close: async () => {
      await emulator?.close();
      await slackServer.close();
    },
  };
}

/** The app in this process, on loopback unless asked, with `env` (a world's, or one sent from another process). */
export function startLocalApp(env: Env, options: LocalAppOptions = {}): Promise<Application> {
  const { env: overrides, ...startOptions } = options;
  return startApplication(loadConfig({ ...env, ...overrides }), { host: "127.0.0.1", ...startOptions });
}

export interface LocalConsoleOptions {
  logger?: Logger;
  /** where the app listens; loopback unless asked, since the console lets anyone act as anyone */
  host?: string;
}

const LOOPBACK = ["127.0.0.1", "localhost", "::1"];

/** The local world's people and channel: Olivia operates, Alex operates and approves, Nora does neither. */
export const LOCAL_PEOPLE: Readonly<Env> = {
  OPERATOR_USER_IDS: `${OLIVIA.id},${ALEX.id}`,
  APPROVER_USER_IDS: ALEX.id,
  APPROVER_USERGROUP_ID: "",
  APPROVAL_CHANNEL_ID: APPROVAL_CHANNEL.id,
};

/**
 * `npm start` without Slack credentials: the app in its local world, with a page on the app's
 * port that plays Slack's client and sends signed requests into the same receiver.
 */
export async function startLocalConsole(env: Env, options: LocalConsoleOptions = {}): Promise<Application & { consoleUrl: string }> {
  const pageDir = consolePageDir();
  if (!fs.existsSync(path.join(pageDir, "index.html"))) throw new Error(`the local console's page is missing from ${pageDir}`);
  const host = options.host ?? "127.0.0.1";
  const logger = options.logger ?? createLogger(loadConfig(env).LOG_LEVEL);
  // the console's people, whoever the environment names
  const world = await createLocalWorld({ env: { ...env, ...LOCAL_PEOPLE }, logger });
  const consoleServer = new ConsoleServer({
    slack: world.slack,
    slackBaseUrl: world.slackUrl,
    pageDir,
    logger,
    allowedHosts: LOOPBACK.includes(host) ? ["127.0.0.1", "localhost", "[::1]"] : [],
  });
  let app: Application;
  try {
    app = await world.startApp({ logger, host, extraRoutes: (req, res) => consoleServer.handle(req, res) });
  } catch (error) {
    consoleServer.close();
    await world.close();
    throw error;
  }
  consoleServer.attach(world.senderFor(app.url));
  const running = app;
  return {
    ...running,
    consoleUrl: `http://localhost:${running.port}/`,
    close: async () => {
      // long polls first, or the app's server would wait for them to time out
      consoleServer.close();
      await running.close();
      await world.close();
    },
  };
}
