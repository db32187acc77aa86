// Builds the Bolt app on its HTTP receiver, served by our own http.Server so that health
// routes (and the local console) share the port and shutdown is ours to control.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { App, type Authorize, HTTPReceiver, LogLevel, type Logger as BoltLogger } from "@slack/bolt";
import { WebClient, type WebClientOptions } from "@slack/web-api";
import type { Logger } from "../logger";
import { metrics } from "../metrics";
import type { DirectorySync, OffboardingWorkflow } from "../workflow";
import { InteractionJobs, type InteractionStore } from "./interaction-jobs";
import { registerListeners } from "./listeners";
import { SlackMessageUpdater } from "./message-updater";
import { SlackScanReporter } from "./scan-reporter";

export interface SlackAppOptions {
  signingSecret: string;
  botToken: string;
  /** with an app-level token the app connects over Socket Mode instead of receiving HTTP */
  appToken?: string | undefined;
  apiUrl?: string | undefined;
  approvalChannelId: string;
  workflow: OffboardingWorkflow;
  directory: DirectorySync;
  /** where acknowledged requests are kept as durable jobs until worked */
  interactionStore: InteractionStore;
  logger: Logger;
  /** more routes on the same port: health checks, the local console */
  extraRoutes?: (req: http.IncomingMessage, res: http.ServerResponse) => boolean | Promise<boolean>;
}

export interface SlackApp {
  app: App;
  client: WebClient;
  updater: SlackMessageUpdater;
  /** draws portfolio scans in their channel */
  scanReporter: SlackScanReporter;
  /** the handler of acknowledged requests' jobs, for the job runner */
  interactions: InteractionJobs;
  server: http.Server;
  listen(port: number, host?: string): Promise<number>;
  /** Waits until the requests acknowledged so far are worked (by any instance) and the message updates they caused here have gone out. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

function boltLogger(logger: Logger): BoltLogger {
  let level = LogLevel.INFO;
  return {
    debug: (...msg: unknown[]) => logger.debug({ bolt: msg.map(String).join(" ") }),
    info: (...msg: unknown[]) => logger.info({ bolt: msg.map(String).join(" ") }),
    warn: (...msg: unknown[]) => logger.warn({ bolt: msg.map(String).join(" ") }),
    error: (...msg: unknown[]) => logger.error({ bolt: msg.map(String).join(" ") }),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}

/**
 * The bot's identity for every request, from one auth.test. Given a token, Bolt either calls
 * auth.test at construction and keeps a failure for good, or (verification off) calls it again
 * before every single listener, which cost each request a Web API round trip ahead of its ack.
 * Here the first request asks, later ones reuse the answer, and a failed ask is retried next time.
 */
function cachedAuthorize(client: WebClient, botToken: string): Authorize<boolean> {
  let identity: Promise<{ botId: string; botUserId: string }> | null = null;
  return async () => {
    const asked = (identity ??= client.auth.test().then((result) => ({ botId: result.bot_id ?? "", botUserId: result.user_id ?? "" })));
    try {
      return { botToken, ...(await asked) };
    } catch (error) {
      if (identity === asked) identity = null;
      throw error;
    }
  };
}

export function createSlackApp(options: SlackAppOptions): SlackApp {
  const logger = boltLogger(options.logger);
  // A call Slack does not answer fails after 10 s, and a failing one is retried for about a
  // minute, not the client's default half hour: a message update that old is stale anyway, and
  // a hung call would keep its failure out of the logs.
  const clientOptions: WebClientOptions = {
    logger,
    timeout: 10_000,
    retryConfig: { retries: 4, factor: 2, minTimeout: 1_000, maxTimeout: 30_000 },
    // counts failed Web API calls by method and Slack's error for /metrics, for every client built from these options
    fetch: metrics.slackFetch(),
    ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}),
  };
  // the bot token's client, for messages sent outside a request (progress, approvals); listeners get Bolt's client for the same token
  const client = new WebClient(options.botToken, clientOptions);
  // no conversation store: nothing here uses it, and Bolt's default one builds an Error (with a
  // stack trace) for every request that has no stored conversation, which is every request
  const common = { authorize: cachedAuthorize(client, options.botToken), logger, clientOptions, convoStore: false as const };
  const receiver = options.appToken
    ? null
    : new HTTPReceiver({
        signingSecret: options.signingSecret,
        endpoints: ["/slack/events"],
        logger,
        // answer Slack as soon as the listener acks; the work goes on after
        processBeforeResponse: false,
        unhandledRequestTimeoutMillis: 2900,
      });
  const app = receiver
    ? new App({ ...common, receiver })
    : new App({ ...common, appToken: options.appToken, socketMode: true, installerOptions: { clientOptions } });
  const updater = new SlackMessageUpdater(client, options.workflow, options.logger);
  options.workflow.setObserver(updater);
  const scanReporter = new SlackScanReporter(client, options.workflow, options.logger);
  const interactions = new InteractionJobs(options.interactionStore, client, options.logger);
  registerListeners(app, {
    interactions,
    client,
    workflow: options.workflow,
    directory: options.directory,
    updater,
    approvalChannelId: options.approvalChannelId,
    logger: options.logger,
  });

  const server = http.createServer((req, res) => {
    void (async () => {
      if (options.extraRoutes && (await options.extraRoutes(req, res))) return;
      if (receiver) receiver.requestListener(req, res);
      else res.writeHead(404, { "content-type": "text/plain" }).end("Socket Mode: Slack requests arrive over the WebSocket\n");
    })().catch((error: unknown) => {
      options.logger.error({ err: String(error) }, "request failed");
      if (!res.headersSent) res.writeHead(500).end();
    });
  });

  return {
    app,
    client,
    updater,
    scanReporter,
    interactions,
    server,
    listen: async (port, host) => {
      const bound = await new Promise<number>((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
      });
      // Socket Mode: open the WebSocket; the HTTP server still serves health (and console) routes
      if (!receiver) await app.start();
      return bound;
    },
    settle: async () => {
      await interactions.settle();
      await updater.settle();
    },
    close: async () => {
      if (!receiver) await app.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      // acknowledged requests wait in the job table: the job runner (stopped by the app) or the next process works them
      await updater.settle();
    },
  };
}
