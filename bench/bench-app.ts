// Starts the whole app the way a new user runs it (embedded PGlite in memory, the Partner Center
// emulator over HTTP) with a local Slack Web API stand-in, for the benchmarks. test/ is not part
// of the build, so this mirrors test/support/app-harness.ts instead of importing it.
import crypto from "node:crypto";
import { type Application, startApplication } from "../src/app";
import { loadConfig } from "../src/config";
import { createLogger } from "../src/logger";
import { type EmulatorHandle, type EmulatorOptions, startEmulator } from "../src/stand-ins/partner-center";
import { LocalSlackApi, serveLocalSlackApi } from "../src/stand-ins/slack/local-slack-api";
import type { SlackUser } from "../src/stand-ins/slack/slack-request-signer";

export const OPERATOR: SlackUser = { id: "U0OPERATOR", name: "olivia" };
export const APPROVER: SlackUser = { id: "U0APPROVER", name: "alex" };
export const OPS_CHANNEL = "C0OFFBOARD";
export const APPROVAL_CHANNEL = "C0APPROVALS";

export interface BenchApp {
  app: Application;
  slack: LocalSlackApi;
  slackUrl: string;
  emulator: EmulatorHandle;
  signingSecret: string;
  close(): Promise<void>;
}

export interface BenchAppOptions {
  env?: Record<string, string>;
  emulator?: EmulatorOptions;
  background?: boolean;
  /** where the embedded database lives; in memory unless given */
  dataDir?: string;
}

/** Where the app finds Slack and Partner Center, and the secrets it shares with them. */
export interface AppServices {
  slackApiUrl: string;
  botToken: string;
  signingSecret: string;
  partnerCenterUrl: string;
}

/** The app as `npm start` runs it, pointed at the given Slack and Partner Center. */
export async function startAppAgainst(services: AppServices, options: Omit<BenchAppOptions, "emulator"> = {}): Promise<Application> {
  const config = loadConfig({
    DATA_DIR: options.dataDir ?? "memory://",
    PORT: "0",
    LOG_LEVEL: "warn",
    PARTNER_CENTER_URL: services.partnerCenterUrl,
    PARTNER_CENTER_TOKEN: "emulator-token",
    SLACK_SIGNING_SECRET: services.signingSecret,
    SLACK_BOT_TOKEN: services.botToken,
    SLACK_API_URL: services.slackApiUrl,
    APPROVAL_CHANNEL_ID: APPROVAL_CHANNEL,
    APPROVER_USER_IDS: APPROVER.id,
    OPERATOR_USER_IDS: `${OPERATOR.id},${APPROVER.id}`,
    ...options.env,
  });
  // warnings and errors still reach stderr, so a failing run says why
  return startApplication(config, { logger: createLogger("warn", process.stderr), host: "127.0.0.1", background: options.background ?? true });
}

/** The app with the Slack stand-in and the emulator in this process, where a bench inspects them. */
export async function startBenchApp(options: BenchAppOptions = {}): Promise<BenchApp> {
  const signingSecret = crypto.randomBytes(16).toString("hex");
  const botToken = `xoxb-bench-${crypto.randomBytes(8).toString("hex")}`;
  const slack = new LocalSlackApi(botToken, {});
  const slackServer = await serveLocalSlackApi(slack);
  const slackUrl = slackServer.url;
  const emulator = await startEmulator({ port: 0, host: "127.0.0.1", ...options.emulator });
  const app = await startAppAgainst({ slackApiUrl: `${slackUrl}/api/`, botToken, signingSecret, partnerCenterUrl: emulator.url }, options);
  return {
    app,
    slack,
    slackUrl,
    emulator,
    signingSecret,
    close: async () => {
      await app.close();
      await emulator.close();
      await slackServer.close();
    },
  };
}
