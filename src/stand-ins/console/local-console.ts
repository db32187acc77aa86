// Runs the app without a Slack workspace: a local stand-in answers the app's Web API calls, and
// a page on the app's port plays Slack's client, sending signed requests into the same receiver.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { type Application, startApplication } from "../../app";
import type { Config } from "../../config";
import { type Logger, createLogger } from "../../logger";
import { projectRoot } from "../../project-root";
import { LocalSlackApi, serveLocalSlackApi } from "../slack/local-slack-api";
import { SlackRequestSender } from "../slack/slack-request-signer";
import { startLocalPartnerCenter } from "../partner-center";
import { ALEX, APPROVAL_CHANNEL, OLIVIA } from "./console-identities";
import { ConsoleServer } from "./console-server";

export interface LocalConsoleOptions {
  logger?: Logger;
  /** where the app listens; loopback unless asked, since the console lets anyone act as anyone */
  host?: string;
}

const LOOPBACK = ["127.0.0.1", "localhost", "::1"];

/** The page ships as files next to this module's source, found the same way from src/ and dist/. */
export function consolePageDir(): string {
  return path.join(projectRoot(), "src", "stand-ins", "console", "page");
}

export async function startLocalConsole(config: Config, options: LocalConsoleOptions = {}): Promise<Application & { consoleUrl: string }> {
  const logger = options.logger ?? createLogger(config.LOG_LEVEL);
  const host = options.host ?? "127.0.0.1";
  const pageDir = consolePageDir();
  if (!fs.existsSync(path.join(pageDir, "index.html"))) throw new Error(`the local console's page is missing from ${pageDir}`);

  // fresh per run and never printed: nothing outside this process can sign as Slack
  const signingSecret = crypto.randomBytes(32).toString("hex");
  const botToken = `xoxb-local-${crypto.randomBytes(24).toString("hex")}`;
  const slack = new LocalSlackApi(botToken);

  // The Web API stand-in gets its own loopback port: the app's client needs the URL before the
  // app listens, and with PORT=0 the app's port is not known until then.
  const slackServer = await serveLocalSlackApi(slack, (error) => logger.warn({ err: String(error) }, "local Slack API request failed"));
  const slackBaseUrl = slackServer.url;
  const closeSlackServer = () => slackServer.close();

  const consoleServer = new ConsoleServer({
    slack,
    slackBaseUrl,
    pageDir,
    logger,
    allowedHosts: LOOPBACK.includes(host) ? ["127.0.0.1", "localhost", "[::1]"] : [],
  });
  const consoleConfig: Config = {
    ...config,
    // the console's three people: Olivia operates, Alex operates and approves, Nora does neither
    OPERATOR_USER_IDS: [OLIVIA.id, ALEX.id],
    APPROVER_USER_IDS: [ALEX.id],
    APPROVER_USERGROUP_ID: undefined,
    APPROVAL_CHANNEL_ID: APPROVAL_CHANNEL.id,
  };

  let app: Application;
  try {
    app = await startApplication(consoleConfig, {
      logger,
      host,
      slack: { signingSecret, botToken, apiUrl: `${slackBaseUrl}/api/`, approvalChannelId: APPROVAL_CHANNEL.id },
      extraRoutes: (req, res) => consoleServer.handle(req, res),
      localPartnerCenter: startLocalPartnerCenter,
    });
  } catch (error) {
    consoleServer.close();
    await closeSlackServer();
    throw error;
  }
  consoleServer.attach(new SlackRequestSender(app.url, signingSecret));
  const running = app;
  return {
    ...running,
    consoleUrl: `http://localhost:${running.port}/`,
    close: async () => {
      // long polls first, or the app's server would wait for them to time out
      consoleServer.close();
      await running.close();
      await closeSlackServer();
    },
  };
}
