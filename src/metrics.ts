// What the people who run the app watch, in Prometheus' format on GET /metrics (prom-client):
// Slack acks, durable jobs, Partner Center calls, Slack Web API errors. The recording functions
// are small so that the Slack listeners and the Partner Center client each need one line.
import type http from "node:http";
import type { FetchFunction } from "@slack/web-api";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { z } from "zod";

export type AckKind = "command" | "block_action" | "view_submission" | "view_closed" | "event" | "shortcut" | "options";
export const JOB_GAUGE_STATES = ["queued", "running", "failed", "dead"] as const;
export type JobGaugeState = (typeof JOB_GAUGE_STATES)[number];
/** jobs by kind and state, as the database holds them (every instance sees the same) */
export type JobCounts = Array<{ kind: string; state: JobGaugeState; count: number }>;

const PREFIX = "offboarding_";
// Slack wants an ack within 3 s; the buckets resolve the fast end, where the ack path should be
const ACK_BUCKETS = [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3];
// Partner Center calls take tens of milliseconds to tens of seconds (timeouts, long lists)
const CALL_BUCKETS = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/**
 * Label values come from our own code and from Slack's error codes; anything else is cut down
 * so that a strange value can neither break the format nor grow the number of series.
 */
function labelValue(value: string): string {
  const cleaned = value.replace(/[^\w .:-]/g, "_").slice(0, 64);
  return cleaned.length > 0 ? cleaned : "unknown";
}

const slackAnswer = z.object({ ok: z.literal(false), error: z.string() });

/** "chat.postMessage" from https://slack.com/api/chat.postMessage */
function slackMethodOf(url: string | URL): string {
  const path = typeof url === "string" ? url.split("?")[0] ?? "" : url.pathname;
  return path.slice(path.lastIndexOf("/") + 1) || "unknown";
}

export class Metrics {
  readonly registry = new Registry();
  private readonly acks = new Counter({ name: `${PREFIX}slack_acks_total`, help: "Slack requests acknowledged, by kind", labelNames: ["kind"] as const, registers: [this.registry] });
  private readonly ackSeconds = new Histogram({
    name: `${PREFIX}slack_ack_duration_seconds`,
    help: "Time from a Slack request's arrival to its ack, by kind",
    labelNames: ["kind"] as const,
    buckets: ACK_BUCKETS,
    registers: [this.registry],
  });
  private readonly pcCalls = new Counter({
    name: `${PREFIX}partner_center_calls_total`,
    help: "Partner Center calls by operation and HTTP status (unreachable: no answer)",
    labelNames: ["operation", "status"] as const,
    registers: [this.registry],
  });
  private readonly pcSeconds = new Histogram({
    name: `${PREFIX}partner_center_call_duration_seconds`,
    help: "Partner Center call latency by operation",
    labelNames: ["operation"] as const,
    buckets: CALL_BUCKETS,
    registers: [this.registry],
  });
  private readonly pcThrottled = new Counter({ name: `${PREFIX}partner_center_throttled_total`, help: "Partner Center answers 429 (too many requests), by operation", labelNames: ["operation"] as const, registers: [this.registry] });
  private readonly slackErrors = new Counter({ name: `${PREFIX}slack_api_errors_total`, help: "Slack Web API calls that failed, by method and error", labelNames: ["method", "error"] as const, registers: [this.registry] });
  private readonly jobsFinished = new Counter({
    name: `${PREFIX}jobs_finished_total`,
    help: "Jobs this process finished, by kind and outcome (done, retried, failed, dead)",
    labelNames: ["kind", "outcome"] as const,
    registers: [this.registry],
  });
  private readonly collectErrors = new Counter({ name: `${PREFIX}metrics_collect_errors_total`, help: "Scrapes whose job counts could not be read from the database (shown from the next scrape)", registers: [this.registry] });
  private jobSource: (() => Promise<JobCounts>) | null = null;

  private readonly jobs = new Gauge({
    name: `${PREFIX}jobs`,
    help: "Durable jobs by kind and state (queued, running, failed, dead), read from the database at each scrape",
    labelNames: ["kind", "state"] as const,
    registers: [this.registry],
    collect: () => this.collectJobs(),
  });

  constructor(options: { processMetrics?: boolean } = {}) {
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry, prefix: PREFIX });
  }

  private async collectJobs(): Promise<void> {
    this.jobs.reset();
    if (!this.jobSource) return;
    try {
      for (const { kind, state, count } of await this.jobSource()) this.jobs.set({ kind: labelValue(kind), state }, count);
    } catch {
      // no numbers rather than stale ones; the counter says why they are missing
      this.collectErrors.inc();
    }
  }

  /** One Slack request acknowledged, `ms` after it arrived. */
  ack(kind: AckKind, ms: number): void {
    this.acks.inc({ kind });
    this.ackSeconds.observe({ kind }, ms / 1000);
  }

  /** One Partner Center call: its HTTP status, or "unreachable" when no answer came. */
  partnerCenterCall(operation: string, status: number | "unreachable", ms: number): void {
    const op = labelValue(operation);
    this.pcCalls.inc({ operation: op, status: String(status) });
    this.pcSeconds.observe({ operation: op }, ms / 1000);
    if (status === 429) this.pcThrottled.inc({ operation: op });
  }

  /**
   * A fetch for the Slack WebClient (its `fetch` option) that counts each failed Web API call:
   * Slack's error code for an `ok: false` answer, `http_<status>` or `ratelimited` for an HTTP
   * error, `request_error` when no answer came. Every client built from the same options,
   * Bolt's per-request ones included, goes through it. A retried call counts each attempt.
   */
  slackFetch(): FetchFunction {
    return async (url, init) => {
      const method = slackMethodOf(url);
      let response: Response;
      try {
        response = await fetch(url, init);
      } catch (error) {
        this.slackErrors.inc({ method: labelValue(method), error: "request_error" });
        throw error;
      }
      if (!response.ok) {
        this.slackErrors.inc({ method: labelValue(method), error: response.status === 429 ? "ratelimited" : `http_${response.status}` });
      } else if ((response.headers.get("content-type") ?? "").includes("json")) {
        const answer = slackAnswer.safeParse(await response.clone().json().catch(() => null));
        if (answer.success) this.slackErrors.inc({ method: labelValue(method), error: labelValue(answer.data.error) });
      }
      return response;
    };
  }

  jobFinished(kind: string, outcome: "done" | "retried" | "failed" | "dead"): void {
    this.jobsFinished.inc({ kind: labelValue(kind), outcome });
  }

  /** Where the job gauges read from at each scrape; returns the function that stops it. */
  watchJobs(source: () => Promise<JobCounts>): () => void {
    this.jobSource = source;
    return () => {
      if (this.jobSource === source) this.jobSource = null;
    };
  }

  async respond(res: http.ServerResponse): Promise<void> {
    const body = await this.registry.metrics();
    res.writeHead(200, { "content-type": this.registry.contentType }).end(body);
  }
}

/** The process's metrics: one process, one /metrics. */
export const metrics = new Metrics({ processMetrics: true });
