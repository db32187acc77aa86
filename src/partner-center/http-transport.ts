// Partner Center over HTTPS: MS-RequestId/MS-CorrelationId on every call, retries with backoff
// for 429/5xx/network failures, a client-side rate limit, and zod validation at the edge.
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import { type Logger, silentLogger } from "../logger";
import type { TokenKind, TokenProvider } from "./auth";
import { CallPacer } from "./call-pacer";
import { currentPriority } from "./call-priority";
import { type ErrorContext, mapErrorResponse, readErrorBody } from "./error-mapping";
import { type CallOptions, PartnerCenterError, type Traced } from "./partner-center-api";
import { camelCaseKeys } from "./response-schemas";
import { RetryPolicy, type RetryOptions, sleep } from "./retry-policy";

export type { RetryOptions } from "./retry-policy";
export { parseRetryAfter } from "./retry-policy";

/**
 * Where each call's outcome is counted (the app passes its /metrics and the job trace; tests a
 * recorder): one entry per attempt, with its HTTP status or "unreachable" when no answer came,
 * its latency and the MS-RequestId it was sent with.
 */
export interface CallMetrics {
  partnerCenterCall(operation: string, status: number | "unreachable", ms: number, requestId: string): void;
}

const noMetrics: CallMetrics = { partnerCenterCall: () => {} };

export interface TransportOptions {
  /** e.g. https://api.partnercenter.microsoft.com/v1 */
  baseUrl: string;
  tokens: TokenProvider;
  logger?: Logger;
  /** counts each call by operation and status; nothing counted unless given */
  metrics?: CallMetrics;
  /** client-side limit; Partner Center allows 500/min per tenant on subscriptions (default 450) */
  rpm?: number;
  /** parallel requests in flight (default 8) */
  maxConcurrent?: number;
  retry?: RetryOptions;
  /** per-attempt timeout (default 30 s) */
  timeoutMs?: number;
  /** for deterministic jitter in tests */
  random?: () => number;
}

export interface RequestSpec<S extends z.ZodType> {
  method: "GET" | "PATCH";
  /** a path under the base URL ("/customers/…"), or an absolute URL */
  path: string;
  auth: TokenKind;
  schema: S;
  context: ErrorContext;
  body?: unknown;
  headers?: Record<string, string>;
  options?: CallOptions | undefined;
}

export class PartnerCenterTransport {
  private readonly baseUrl: string;
  private readonly pacer: CallPacer;
  private closed = false;
  private readonly logger: Logger;
  private readonly metrics: CallMetrics;
  private readonly retry: RetryPolicy;
  private readonly timeoutMs: number;

  constructor(private readonly settings: TransportOptions) {
    this.baseUrl = settings.baseUrl.replace(/\/+$/, "");
    this.logger = settings.logger ?? silentLogger;
    this.metrics = settings.metrics ?? noMetrics;
    this.retry = new RetryPolicy(settings.retry, settings.random);
    this.timeoutMs = settings.timeoutMs ?? 30_000;
    // spread evenly at the limit, so a burst of 500 suspends does not spend the minute's budget
    // in the first second and then wait
    this.pacer = new CallPacer({ limit: settings.rpm ?? 450, maxConcurrent: settings.maxConcurrent ?? 8 });
  }

  get tokens(): TokenProvider {
    return this.settings.tokens;
  }

  /** stops the pacer's timer; pending calls are dropped and later ones fail at once */
  close(): void {
    this.closed = true;
    this.pacer.close();
  }

  private resolve(path: string): string {
    if (/^https?:\/\//i.test(path)) return path;
    // links come back as "/customers?…" or "/v1/customers?…"
    const base = new URL(this.baseUrl);
    const basePath = base.pathname.replace(/\/+$/, "");
    const relative = basePath && path.startsWith(basePath + "/") ? path.slice(basePath.length) : path;
    return this.baseUrl + (relative.startsWith("/") ? relative : `/${relative}`);
  }

  async send<S extends z.ZodType>(spec: RequestSpec<S>): Promise<Traced<z.infer<S>>> {
    const requestId = spec.options?.requestId ?? randomUUID();
    const correlationId = spec.options?.correlationId ?? randomUUID();
    const trace = { requestId, correlationId };
    const url = this.resolve(spec.path);
    const logPath = new URL(url).pathname;
    const started = Date.now();
    let refreshedToken = false;
    const closedError = () => new PartnerCenterError("unavailable", `the Partner Center client is closed (${spec.context.operation})`, trace);

    for (let attempt = 1; ; attempt++) {
      // retrying a client that is shutting down only delays the shutdown
      if (this.closed) throw closedError();
      const token = await this.settings.tokens.getToken(spec.auth);
      const headers: Record<string, string> = {
        ...spec.headers,
        Authorization: `Bearer ${token}`,
        Accept: "application/json",
        "MS-RequestId": requestId,
        "MS-CorrelationId": correlationId,
      };
      if (spec.body !== undefined) headers["Content-Type"] = "application/json";
      const logFields = { method: spec.method, path: logPath, requestId, correlationId, attempt };

      let status: number;
      let text: string;
      let retryAfter: string | null = null;
      // each attempt is one call to Partner Center: its own latency, not the retries' total
      const sent = Date.now();
      try {
        const response = await this.pacer.schedule(
          () => fetch(url, { method: spec.method, headers, body: spec.body === undefined ? undefined : JSON.stringify(spec.body), signal: AbortSignal.timeout(this.timeoutMs) }),
          currentPriority(),
        );
        status = response.status;
        retryAfter = response.headers.get("retry-after");
        text = await response.text();
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        // closing dropped the call before it was sent: nothing to report, nothing to retry
        if (this.closed) throw closedError();
        this.logger.warn({ ...logFields, error: reason }, "Partner Center call failed before a response");
        this.metrics.partnerCenterCall(spec.context.operation, "unreachable", Date.now() - sent, requestId);
        const delay = this.retry.backoff(attempt, null);
        if (this.retry.mayRetry(attempt, started, delay)) {
          await sleep(delay);
          continue;
        }
        throw new PartnerCenterError("unavailable", `Partner Center could not be reached (${spec.context.operation}): ${reason}`, trace);
      }

      const failure = status >= 400 ? mapErrorResponse(status, readErrorBody(text), spec.context, trace) : null;
      this.logger[logLevel(status, failure)]({ ...logFields, status, ...(failure ? { code: failure.details.code } : {}), durationMs: Date.now() - started }, "Partner Center call");
      this.metrics.partnerCenterCall(spec.context.operation, status, Date.now() - sent, requestId);

      if (status >= 200 && status < 300) return { value: this.parse(spec, text, status, trace), ...trace };

      if (status === 401 && !refreshedToken && this.settings.tokens.invalidate) {
        // an expired or revoked token: fetch a fresh one once, without spending a retry
        refreshedToken = true;
        this.settings.tokens.invalidate(spec.auth);
        attempt--;
        continue;
      }
      if (status === 429 || status >= 500) {
        const delay = this.retry.backoff(attempt, retryAfter);
        if (this.retry.mayRetry(attempt, started, delay)) {
          await sleep(delay);
          continue;
        }
      }
      throw failure ?? mapErrorResponse(status, readErrorBody(text), spec.context, trace);
    }
  }

  private parse<S extends z.ZodType>(spec: RequestSpec<S>, text: string, status: number, trace: { requestId: string; correlationId: string }): z.infer<S> {
    const fail = (why: string) =>
      new PartnerCenterError("unexpected_response", `Partner Center sent an unexpected response to ${spec.context.operation} (HTTP ${status}): ${why}`, { status, ...trace });
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw fail(`not JSON: ${JSON.stringify(text.slice(0, 120))}`);
    }
    const parsed = spec.schema.safeParse(camelCaseKeys(json));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw fail(`${issue?.path.join(".") || "body"}: ${issue?.message ?? "invalid"}`);
    }
    return parsed.data;
  }
}

/**
 * How loud a call's log line is. Answers the workflow expects and handles are not errors: a
 * customer read after its removal answers 403 with 20002, a stale etag 412 (read again), an id
 * that is not there 404; throttling and outages are warnings (retried). Anything else (400, an
 * auth failure, a 403 of another kind) is an error someone should look at.
 */
function logLevel(status: number, failure: PartnerCenterError | null): "info" | "warn" | "error" {
  if (!failure) return "info";
  if (failure.kind === "no_relationship" || failure.kind === "not_found" || status === 412) return "info";
  if (failure.kind === "throttled" || failure.kind === "unavailable" || status === 429 || status >= 500) return "warn";
  return "error";
}
