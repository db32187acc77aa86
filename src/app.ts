// The composition root: opens the database, Partner Center (the local stand-in the caller passes
// when no real one is configured), the workflow and its background workers, and the Slack front end on one port.
import crypto from "node:crypto";
import type http from "node:http";
import path from "node:path";
import { type Config, dataDirOnDisk } from "./config";
import type { CheckResult } from "./doctor/doctor-check";
import { CheckCache } from "./doctor/check-cache";
import { runDoctor } from "./doctor/doctor";
import { type Logger, createLogger } from "./logger";
import { type GraphConnection, connectGraph } from "./graph/connect-graph";
import { metrics } from "./metrics";
import { type LocalPartnerCenterStarter, type PartnerCenterConnection, connectPartnerCenter } from "./partner-center/connect-partner-center";
import { connectSlack, createSlackApp, type SlackApp } from "./slack/slack-app";
import { BATCH_REMOVAL, type Database, JobJournal, type NewQueuedJob, PORTFOLIO_SCAN, SlackRequestWriter, type Store, createStore, openDatabase } from "./store";
import { INTERACTION_ATTEMPTS, INTERACTION_JOB, type Interaction } from "./slack/interaction-jobs";
import { DirectorySync, GdapEndingJob, JobRunner, OffboardingWorkflow, PortfolioScanJob, SUSPEND_ALL_JOB, SuspendAllJob, notePartnerCenterRequest } from "./workflow";

export interface SlackSettings {
  /** HTTP mode; unused in Socket Mode */
  signingSecret: string;
  botToken: string;
  /** xapp- token: Socket Mode instead of the HTTP receiver */
  appToken?: string | undefined;
  apiUrl?: string | undefined;
  approvalChannelId: string;
  /** where case messages go when the app cannot post where /offboard was typed */
  defaultCaseChannelId?: string | undefined;
}

export interface Application {
  config: Config;
  logger: Logger;
  db: Database;
  store: Store;
  partnerCenter: PartnerCenterConnection;
  /** Microsoft Graph for GDAP relationships (api null when GRAPH_DISABLED) */
  graph: GraphConnection;
  workflow: OffboardingWorkflow;
  directory: DirectorySync;
  /** works every durable job: acknowledged Slack requests and Suspend all */
  runner: JobRunner;
  slack: SlackApp;
  port: number;
  url: string;
  /** stops taking work, releases what is in flight, closes everything */
  close(): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
  /** Slack credentials; the local console passes its own */
  slack?: SlackSettings;
  /** more routes on the app's port, checked after the health routes */
  extraRoutes?: (req: http.IncomingMessage, res: http.ServerResponse) => boolean | Promise<boolean>;
  /** background workers (job runner, sync, expiry) start unless false; tests drive them by hand */
  background?: boolean;
  host?: string;
  /** an already-open database to share (two instances on one embedded PGlite in tests); the caller closes it */
  database?: Database;
  /** starts the local Partner Center used when PARTNER_CENTER_URL is unset (the emulator, from src/stand-ins) */
  localPartnerCenter?: LocalPartnerCenterStarter;
}

const READY_PING_MS = 3_000;
/** /readyz?detail runs the doctor's checks at most this often: they call Slack and Partner Center */
const DOCTOR_DETAIL_MS = 60_000;
/** the token cache's row: one Entra ID app, one cache */
export const TOKEN_CACHE_ROW = "partner-center";
const PROCESSED_KEY_RETENTION_MS = 24 * 3600_000;
/** an approved case not removed by then is resumed by the sweep: past every attempt of its Approve job */
const STUCK_APPROVAL_MS = 5 * 60_000;
/** how often the counts of Slack's requests (signatures verified or refused) are written, off the ack path */
const REQUEST_TALLY_FLUSH_MS = 15_000;
/** an instance's counts are kept this long after it was last heard from */
const REQUEST_TALLY_RETENTION_MS = 30 * 24 * 3600_000;
/** how long shutdown waits for the jobs in hand, within a typical 30 s termination grace */
const SHUTDOWN_GRACE_MS = 20_000;

/** Settles with `work`, or rejects once `ms` have passed (the work itself is left to finish). */
function withinMs<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export function slackSettingsFrom(config: Config): SlackSettings | null {
  if (!config.SLACK_BOT_TOKEN || !config.APPROVAL_CHANNEL_ID) return null;
  if (!config.SLACK_SIGNING_SECRET && !config.SLACK_APP_TOKEN) return null;
  return {
    signingSecret: config.SLACK_SIGNING_SECRET ?? "",
    botToken: config.SLACK_BOT_TOKEN,
    appToken: config.SLACK_APP_TOKEN,
    apiUrl: config.SLACK_API_URL,
    approvalChannelId: config.APPROVAL_CHANNEL_ID,
    defaultCaseChannelId: config.DEFAULT_CASE_CHANNEL_ID,
  };
}

export async function startApplication(config: Config, options: StartOptions = {}): Promise<Application> {
  const logger = options.logger ?? createLogger(config.LOG_LEVEL);
  const slackSettings = options.slack ?? slackSettingsFrom(config);
  if (!slackSettings) throw new Error("Slack settings are missing: set SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET and APPROVAL_CHANNEL_ID, or run without them for the local console");

  const db = options.database ?? (await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.DATA_DIR, schema: config.DATABASE_SCHEMA }));
  const closers: Array<() => Promise<void>> = options.database ? [] : [() => db.close()];
  const closeAll = async () => {
    for (const close of closers.reverse()) await close().catch((error: unknown) => logger.warn({ err: String(error) }, "close failed"));
  };
  try {
    const store = createStore(db);
    const tokenCache = { load: () => store.tokenCache.load(TOKEN_CACHE_ROW), save: (data: string) => store.tokenCache.save(TOKEN_CACHE_ROW, data) };
    // each Partner Center call is counted in /metrics and named (its MS-RequestId) in the log line of the job that made it
    const calls = {
      partnerCenterCall: (operation: string, status: number | "unreachable", ms: number, requestId: string) => {
        metrics.partnerCenterCall(operation, status, ms);
        notePartnerCenterRequest(requestId);
      },
    };
    const partnerCenter = await connectPartnerCenter(config, { logger, metrics: calls, startLocal: options.localPartnerCenter, tokenCache });
    closers.push(() => partnerCenter.close());
    const graph = connectGraph(config, { logger, localGraphUrl: partnerCenter.localGraphUrl });
    closers.push(() => graph.close());

    const leaseMs = config.JOB_LEASE_SECONDS * 1000;
    // poll at least twice per lease, so a job whose owner died is picked up soon after its lease ends
    const instance = `${process.pid}-${crypto.randomUUID().slice(0, 8)}`;
    const runner = new JobRunner(store, { leaseMs, pollMs: Math.min(2_000, Math.ceil(leaseMs / 2)), owner: instance }, logger);
    const suspendAll = new SuspendAllJob(store, partnerCenter.api, config.SUSPEND_CONCURRENCY, undefined, logger);
    runner.register(suspendAll);
    const scan = new PortfolioScanJob(store, partnerCenter.api, config.SCAN_CONCURRENCY, undefined, logger, graph.api);
    runner.register(scan);
    // ends GDAP relationships once a removal is confirmed; none when GRAPH_DISABLED
    const gdapEnding = graph.api ? new GdapEndingJob(store, graph.api, {}, undefined, logger) : null;
    if (gdapEnding) runner.register(gdapEnding);
    const directory = new DirectorySync(store, partnerCenter.api, undefined, logger);
    // the policy (and the client it asks Slack through) is needed before the workflow and the Bolt app
    const connection = connectSlack(
      slackSettings,
      {
        operators: config.OPERATOR_USER_IDS,
        operatorGroupId: config.OPERATOR_USERGROUP_ID,
        approvers: config.APPROVER_USER_IDS,
        approverGroupId: config.APPROVER_USERGROUP_ID,
        approvalTtlMs: config.APPROVAL_TTL_HOURS * 3600_000,
      },
      logger,
    );
    // npm run doctor's checks against the running app's own pool and client, kept between runs
    // for /readyz?detail and the admins' Home tabs
    // the counts of Slack's requests are written first, so the signing secret is judged on all seen so far
    let flushRequestTally = async (): Promise<void> => undefined;
    const setupChecks = new CheckCache(async () => {
      await flushRequestTally().catch(() => undefined);
      return runDoctor(config, { pool: db.pool, partnerCenter: partnerCenter.api, slack: slackSettings, tokenCacheRow: TOKEN_CACHE_ROW, timeoutMs: READY_PING_MS });
    });
    const workflow = new OffboardingWorkflow({
      store,
      partnerCenter: partnerCenter.api,
      policy: connection.policy,
      customers: directory,
      logger,
      onJobQueued: (queued) => {
        if (queued) suspendAll.handOver(queued);
        runner.kick(SUSPEND_ALL_JOB);
      },
      onScanQueued: () => runner.kick(PORTFOLIO_SCAN),
      credentialWarnings: () => withinMs(READY_PING_MS, partnerCenter.credentialWarnings()).catch(() => ["the App+User token could not be checked in time"]),
      gdap: graph.api,
      onGdapEndingQueued: () => {
        if (gdapEnding) runner.kick(gdapEnding.kind);
      },
      setupChecks,
      onBatchQueued: () => runner.kick(BATCH_REMOVAL),
    });
    // each customer of an approved batch is a job of its own, made with the approval
    runner.register(workflow.batchRemovalJob());
    // set once the Slack app exists: whether the bot can post approval requests
    let approvalsChannel: SlackApp["approvals"] | null = null;

    let ready = true;
    // when they ran goes with them: `npm run doctor` on the embedded database prints both (doctor/running-app.ts)
    const doctorDetail = async (): Promise<{ doctor: CheckResult[]; doctorCheckedAt: string }> => {
      const report = await setupChecks.refresh(DOCTOR_DETAIL_MS);
      return { doctor: report.checks, doctorCheckedAt: report.checkedAt.toISOString() };
    };
    const healthRoutes = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<boolean> => {
      const path = (req.url ?? "").split("?")[0];
      if (req.method === "GET" && path === "/healthz") {
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ status: "ok" }));
        return true;
      }
      if (req.method === "GET" && path === "/readyz") {
        const checks = { accepting: ready, database: false, partnerCenter: false, approvalChannel: false };
        const problems: string[] = [];
        await db.pool.query("SELECT 1").then(() => (checks.database = true), () => undefined);
        // the client retries an unreachable Partner Center for many seconds; a probe wants an answer now
        checks.partnerCenter = await withinMs(READY_PING_MS, partnerCenter.api.ping()).then(() => true, () => false);
        // whether approval requests can be posted, as last found (at start-up, by the sweep, by the
        // last request): said plainly, without turning unready, since cases and suspensions still
        // work; a probe asks Slack nothing
        const channel = approvalsChannel?.known() ?? { ok: false, problem: "The approvals channel has not been checked yet." };
        checks.approvalChannel = channel.ok;
        if (channel.problem) problems.push(channel.problem);
        // warnings do not make the app unready (reads and suspensions still work), but say what will fail
        const warnings = await withinMs(READY_PING_MS, partnerCenter.credentialWarnings()).catch(() => ["the App+User token could not be checked in time"]);
        const ok = checks.accepting && checks.database && checks.partnerCenter;
        // ?detail: npm run doctor's checks, for whoever sets the app up; they never change readiness
        const detail = new URL(req.url ?? "/", "http://app").searchParams.has("detail") ? await doctorDetail() : {};
        res.writeHead(ok ? 200 : 503, { "content-type": "application/json" }).end(JSON.stringify({ status: ok ? "ready" : "not ready", checks, problems, warnings, ...detail }));
        return true;
      }
      if (req.method === "GET" && path === "/metrics") {
        await metrics.respond(res);
        return true;
      }
      return options.extraRoutes ? options.extraRoutes(req, res) : false;
    };

    const stopWatchingJobs = metrics.watchJobs(() => store.jobs.countByState());
    closers.push(async () => stopWatchingJobs());
    // an acknowledged Slack request is one job keyed by its own id, worked by the runner: on the
    // embedded database appended to the journal in DATA_DIR (store/job-journal.ts) and moved into
    // the table after the ack; on PostgreSQL inserted before the ack (another instance may take it)
    const dataDir = dataDirOnDisk(config);
    const journal =
      db.embedded && !options.database
        ? new JobJournal(dataDir ? path.join(dataDir, "journal") : null, (job, now) => store.queue.enqueue(job, now), {
            moved: (created, duplicates) => {
              if (created > 0) runner.kick(INTERACTION_JOB);
              if (duplicates > 0) logger.info({ duplicates }, "dropped Slack retries (or second deliveries) of requests already taken");
            },
            moveFailed: (error) => logger.warn({ err: String(error) }, "could not move acknowledged requests into the job table yet; trying again"),
          })
        : null;
    if (journal) {
      const recovered = await journal.recover();
      if (recovered > 0) logger.info({ recovered }, "acknowledged requests a stopped process left in the journal are queued");
      closers.push(() => journal.close());
    }
    const interactionStore = {
      accept: async (key: string, interaction: Interaction) => {
        const job: NewQueuedJob = { kind: INTERACTION_JOB, key, payload: interaction, requestedBy: interaction.userId, maxAttempts: INTERACTION_ATTEMPTS };
        if (!journal) return (await store.queue.enqueue(job)).created;
        journal.append(job);
        return true;
      },
      // with the journal the runner is woken once the job is in the table (moved, above)
      kick: () => {
        if (!journal) runner.kick(INTERACTION_JOB);
      },
      settle: async () => {
        await journal?.flushed();
        await runner.settle([INTERACTION_JOB]);
      },
    };
    const slack = createSlackApp({ ...slackSettings, connection, workflow, interactionStore, logger, extraRoutes: healthRoutes });
    approvalsChannel = slack.approvals;
    const tallyWriter = new SlackRequestWriter(store.slackRequests, slack.requests, instance, {
      intervalMs: REQUEST_TALLY_FLUSH_MS,
      retentionMs: REQUEST_TALLY_RETENTION_MS,
      onError: (error) => logger.warn({ err: String(error) }, "could not write the counts of Slack's requests"),
    });
    tallyWriter.start();
    flushRequestTally = () => tallyWriter.flush();
    // runs once the server is closed (closers run in reverse), so the last requests are in it
    closers.push(() => tallyWriter.close());
    // a finished run of the checks shows on the admins' open Home tabs
    setupChecks.onFinished(() => slack.refreshHomes());
    suspendAll.setObserver(slack.observer);
    scan.setObserver(slack.scanReporter);
    gdapEnding?.setObserver(slack.updater);
    runner.register(slack.interactions);
    // acknowledged requests are worked even when the other background work is off (tests drive that by hand)
    runner.start([INTERACTION_JOB]);
    const port = await slack.listen(config.PORT, options.host ?? "0.0.0.0");
    closers.push(() => slack.close());
    // checked at start-up (a problem is logged plainly), so whoever deploys sees it before the
    // first request goes nowhere; a Slack that does not answer does not hold the start up
    await withinMs(READY_PING_MS, slack.approvals.check()).catch(() => undefined);

    const timers: NodeJS.Timeout[] = [];
    if (options.background !== false) {
      runner.start(gdapEnding ? [SUSPEND_ALL_JOB, PORTFOLIO_SCAN, BATCH_REMOVAL, gdapEnding.kind] : [SUSPEND_ALL_JOB, PORTFOLIO_SCAN, BATCH_REMOVAL]);
      directory.startPeriodic(config.DIRECTORY_SYNC_MINUTES * 60_000);
      void directory.sync().catch((error: unknown) => logger.warn({ err: String(error) }, "first directory sync failed"));
      void workflow.resumeInterruptedRemovals().catch((error: unknown) => logger.error({ err: String(error) }, "could not resume removals"));
      const sweep = async () => {
        // the approvals channel looked at again (at most once a minute), for /readyz and the logs
        await slack.approvals.check();
        await workflow.remindDue();
        await workflow.expireDue();
        // an approved case whose Approve gave up (Partner Center down for its every attempt) moves on here
        await workflow.resumeInterruptedRemovals(STUCK_APPROVAL_MS);
        // Slack retries arrive within minutes: a day of finished requests (their keys) is plenty;
        // dead ones stay for whoever looks into them
        await store.queue.forgetDone([INTERACTION_JOB], new Date(Date.now() - PROCESSED_KEY_RETENTION_MS));
      };
      const expiry = setInterval(() => void sweep().catch((error: unknown) => logger.warn({ err: String(error) }, "expiry sweep failed")), config.EXPIRY_SWEEP_SECONDS * 1000);
      expiry.unref();
      timers.push(expiry);
    }
    closers.push(async () => {
      ready = false;
      for (const timer of timers) clearInterval(timer);
      directory.stopPeriodic();
      const unfinished = await runner.stop(SHUTDOWN_GRACE_MS);
      // not lost: their leases run out and the next process (or another instance) takes them over
      if (unfinished > 0) logger.warn({ unfinished }, "shutting down with jobs still being worked");
    });

    logger.info({ port, database: db.embedded ? "embedded PGlite" : "PostgreSQL", partnerCenter: partnerCenter.description, graph: graph.description }, "reseller offboarding is running");
    return {
      config,
      logger,
      db,
      store,
      partnerCenter,
      graph,
      workflow,
      directory,
      runner,
      slack,
      port,
      url: `http://127.0.0.1:${port}`,
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
