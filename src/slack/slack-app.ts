// Builds the Bolt app on its HTTP receiver, served by our own http.Server so that health
// routes (and the local console) share the port and shutdown is ours to control. Requests that
// are signed but not shaped as Slack sends them get a 400 here (request-guard.ts).
import http from "node:http";
import type { AddressInfo } from "node:net";
import { App, type BufferedIncomingMessage, HTTPReceiver, LogLevel, type Logger as BoltLogger } from "@slack/bolt";
import { WebClient, type WebClientOptions } from "@slack/web-api";
import type { Logger } from "../logger";
import { metrics } from "../metrics";
import type { CaseChange, CaseObserver, ChangeFacts, FreshView, GaveUpNotice, OffboardingWorkflow } from "../workflow";
import type { JobProgress } from "../store";
import { ApprovalsChannel } from "./approvals-channel";
import { SlackBatchFrontEnd } from "./batch-front-end";
import { CasePlacement } from "./case-placement";
import { SlackCaseNotifier } from "./case-notifier";
import { HomePublisher } from "./home-publisher";
import { InteractionJobs, type InteractionStore } from "./interaction-jobs";
import { registerListeners } from "./listeners";
import { SlackMessageUpdater } from "./message-updater";
import { SlackScanReporter } from "./scan-reporter";
import { checkSlackRequestShape } from "./request-guard";
import { SlackRequestTally, judgeSignature } from "./request-tally";
import { SlackIdentity } from "./slack-identity";
import { SlackPeople } from "./slack-people";
import { SlackPolicyProvider, type SlackPolicyOptions } from "./slack-policy";

/** what Bolt accepts too */
const MAX_BODY_BYTES = 4 * 1024 * 1024;
const EVENTS_PATH = "/slack/events";

export interface SlackConnection {
  client: WebClient;
  apiUrl: string | undefined;
  identity: SlackIdentity;
  people: SlackPeople;
  policy: SlackPolicyProvider;
}

/**
 * The bot's Web API client and what the access policy learns through it. Made before the
 * workflow (which needs the policy) and handed to createSlackApp.
 */
export function connectSlack(settings: { botToken: string; apiUrl?: string | undefined }, policy: SlackPolicyOptions, logger: Logger): SlackConnection {
  const client = new WebClient(settings.botToken, webClientOptions(logger, settings.apiUrl));
  const identity = new SlackIdentity(client);
  const people = new SlackPeople(client, logger);
  return { client, apiUrl: settings.apiUrl, identity, people, policy: new SlackPolicyProvider(client, identity, people, policy) };
}

export interface SlackAppOptions {
  signingSecret: string;
  botToken: string;
  /** with an app-level token the app connects over Socket Mode instead of receiving HTTP */
  appToken?: string | undefined;
  approvalChannelId: string;
  /** where case messages go when the app cannot post where /offboard was typed (else a DM) */
  defaultCaseChannelId?: string | undefined;
  connection: SlackConnection;
  workflow: OffboardingWorkflow;
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
  /** what the Slack side does when a case changes (the job runner tells it too) */
  observer: CaseObserver;
  approvals: ApprovalsChannel;
  /** the handler of acknowledged requests' jobs, for the job runner */
  interactions: InteractionJobs;
  /** how requests to /slack/events fared against the signing secret (the app writes it to the store) */
  requests: SlackRequestTally;
  /** publishes the Home tabs people have open again (the set-up checks were run) */
  refreshHomes(): void;
  server: http.Server;
  listen(port: number, host?: string): Promise<number>;
  /** Waits until the requests acknowledged so far are worked (by any instance) and the messages they caused here have gone out. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A call Slack does not answer fails after 10 s, and a failing one is retried for about a minute,
 * not the client's default half hour: a message update that old is stale anyway, and a hung call
 * would keep its failure out of the logs.
 */
function webClientOptions(logger: Logger, apiUrl: string | undefined): WebClientOptions {
  return {
    logger: boltLogger(logger),
    timeout: 10_000,
    retryConfig: { retries: 4, factor: 2, minTimeout: 1_000, maxTimeout: 30_000 },
    // counts failed Web API calls by method and Slack's error for /metrics, for every client built from these options
    fetch: metrics.slackFetch(),
    ...(apiUrl ? { slackApiUrl: apiUrl } : {}),
  };
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

/** Everything the Slack side does when a case changes: messages, people, Home tabs. */
class SlackCaseObserver implements CaseObserver {
  constructor(
    private readonly updater: SlackMessageUpdater,
    private readonly notifier: SlackCaseNotifier,
    private readonly home: HomePublisher,
  ) {}

  caseChanged(caseId: string, change: CaseChange, view?: FreshView, facts?: ChangeFacts): void {
    this.updater.caseChanged(caseId, change, view, facts);
    this.notifier.caseChanged(caseId, change, facts);
    this.home.caseChanged();
  }

  jobProgress(caseId: string, jobId: string, progress: JobProgress): void {
    this.updater.jobProgress(caseId, jobId, progress);
  }

  workGaveUp(notice: GaveUpNotice): void {
    this.updater.workGaveUp(notice);
  }
}

async function readBody(req: http.IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export function createSlackApp(options: SlackAppOptions): SlackApp {
  const logger = boltLogger(options.logger);
  const { client, identity, people, policy } = options.connection;
  // no conversation store: nothing here uses it, and Bolt's default one builds an Error (with a
  // stack trace) for every request that has no stored conversation, which is every request
  // listeners get Bolt's client for the same token, made with the same options
  const clientOptions = webClientOptions(options.logger, options.connection.apiUrl);
  const common = { authorize: identity.authorize(options.botToken), logger, clientOptions, convoStore: false as const };
  const receiver = options.appToken
    ? null
    : new HTTPReceiver({
        signingSecret: options.signingSecret,
        endpoints: [EVENTS_PATH],
        logger,
        // answer Slack as soon as the listener acks; the work goes on after
        processBeforeResponse: false,
        unhandledRequestTimeoutMillis: 2900,
      });
  const app = receiver
    ? new App({ ...common, receiver })
    : new App({ ...common, appToken: options.appToken, socketMode: true, installerOptions: { clientOptions } });
  const mentions = () => policy.approverMentions();
  const updater = new SlackMessageUpdater(client, options.workflow, options.logger);
  // where case messages go, and anything else the app posts for someone (a scan's progress and result)
  const placement = new CasePlacement(options.workflow, updater, options.defaultCaseChannelId, options.logger);
  updater.relocateWith(placement);
  const scanReporter = new SlackScanReporter(client, options.workflow, placement, options.logger);
  const notifier = new SlackCaseNotifier(client, options.workflow, options.approvalChannelId, mentions, options.logger);
  const home = new HomePublisher(client, options.workflow, options.logger);
  const approvals = new ApprovalsChannel(client, options.approvalChannelId, mentions, options.logger);
  const observer = new SlackCaseObserver(updater, notifier, home);
  options.workflow.setObserver(observer);
  options.workflow.setApprovalRequests(approvals);
  const batches = new SlackBatchFrontEnd(client, options.workflow, approvals, mentions, options.logger);
  options.workflow.setBatchFrontEnd(batches);
  const interactions = new InteractionJobs(options.interactionStore, client, options.logger, (user, team) => people.noteRequest(user, team));
  registerListeners(app, {
    interactions,
    client,
    workflow: options.workflow,
    updater,
    placement,
    home,
    people,
    approvalChannelId: options.approvalChannelId,
    logger: options.logger,
  });

  const requests = new SlackRequestTally();

  /** A Slack request: a signed one Slack would never send gets 400; the rest goes to Bolt (which answers 401 to a bad signature). */
  async function slackRequest(req: http.IncomingMessage, res: http.ServerResponse, listener: (req: http.IncomingMessage, res: http.ServerResponse) => void): Promise<void> {
    const body = await readBody(req);
    if (!body) return void res.writeHead(413).end();
    const buffered = Object.assign(req, { rawBody: body }) as BufferedIncomingMessage;
    // counted in memory only: the doctor's evidence that the signing secret is Slack's
    const verdict = judgeSignature(req, body, options.signingSecret);
    requests.record(verdict);
    const shape = checkSlackRequestShape(req.headers["content-type"], body.toString("utf8"));
    if (!shape.ok && verdict === "verified") {
      options.logger.warn({ problem: shape.problem }, "refused a signed request Slack would not send");
      return void res.writeHead(400, { "content-type": "text/plain" }).end("Bad request\n");
    }
    listener(buffered, res);
  }

  const server = http.createServer((req, res) => {
    void (async () => {
      if (options.extraRoutes && (await options.extraRoutes(req, res))) return;
      const path = new URL(req.url ?? "/", "http://app").pathname;
      if (receiver && path === EVENTS_PATH && req.method === "POST") return slackRequest(req, res, (r, w) => receiver.requestListener(r, w));
      // anything else is not ours: a plain 404, worth no more than a debug line
      options.logger.debug({ method: req.method, path }, "no such route");
      res.writeHead(404, { "content-type": "text/plain" }).end(receiver ? "Not found\n" : "Socket Mode: Slack requests arrive over the WebSocket\n");
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
    observer,
    approvals,
    interactions,
    requests,
    refreshHomes: () => home.caseChanged(),
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
      await batches.settle();
      await updater.settle();
      await notifier.settle();
      await home.settle();
    },
    close: async () => {
      if (!receiver) await app.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      // acknowledged requests wait in the job table: the job runner (stopped by the app) or the next process works them
      await batches.settle();
      await updater.settle();
      await notifier.settle();
      await scanReporter.close();
      home.stop();
      await home.settle();
    },
  };
}
