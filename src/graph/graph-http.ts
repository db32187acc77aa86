// One Microsoft Graph call with the Partner Center client's habits: a client-request-id on every
// call (kept across its retries), Graph's request-id read back, retries on 429/5xx/network
// failures honouring Retry-After within bounds, one token refresh on 401, a client-side pace,
// and zod at the edge. Writes that are not idempotent (POST) are not retried blindly on an
// ambiguous failure: the caller is told, and checks what landed before sending again.
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import { CallPacer } from "../partner-center/call-pacer";
import type { TokenProvider } from "../partner-center/auth";
import { silentLogger, type Logger } from "../logger";
import { RetryPolicy, sleep, type RetryOptions } from "../partner-center/retry-policy";
import { GraphError, type GraphTrace, type GraphTraced } from "./gdap-api";
import { readGraphErrorBody } from "./gdap-schemas";
import { mapGraphError, type GraphErrorContext } from "./graph-errors";

export interface GraphHttpOptions {
  /** e.g. https://graph.microsoft.com/v1.0 */
  baseUrl: string;
  tokens: TokenProvider;
  logger?: Logger | undefined;
  /** client-side limit per minute (default 600) */
  rpm?: number;
  /** parallel requests in flight (default 4) */
  maxConcurrent?: number;
  retry?: RetryOptions;
  /** per-attempt timeout (default 30 s) */
  timeoutMs?: number;
  /** for deterministic jitter in tests */
  random?: () => number;
}

export interface GraphRequestSpec {
  method: "GET" | "POST" | "DELETE";
  /** a path under the base URL ("/tenantRelationships/…"), or an absolute URL on the same origin */
  path: string;
  context: GraphErrorContext;
  body?: unknown;
  headers?: Record<string, string>;
  clientRequestId?: string | undefined;
  /** false for POST: a 5xx or a lost answer may have been applied, so it is not sent again here */
  idempotent: boolean;
}

export class GraphHttp {
  private readonly baseUrl: string;
  private readonly origin: string;
  private readonly pacer: CallPacer;
  private readonly retry: RetryPolicy;
  private readonly logger: Logger;
  private readonly timeoutMs: number;
  private closed = false;

  constructor(private readonly settings: GraphHttpOptions) {
    this.baseUrl = settings.baseUrl.replace(/\/+$/, "");
    this.origin = new URL(this.baseUrl).origin;
    this.logger = settings.logger ?? silentLogger;
    this.retry = new RetryPolicy(settings.retry, settings.random);
    this.timeoutMs = settings.timeoutMs ?? 30_000;
    this.pacer = new CallPacer({ limit: settings.rpm ?? 600, maxConcurrent: settings.maxConcurrent ?? 4 });
  }

  close(): void {
    this.closed = true;
    this.pacer.close();
  }

  /** sends and validates a JSON answer */
  async json<S extends z.ZodType>(spec: GraphRequestSpec, schema: S): Promise<GraphTraced<z.infer<S>>> {
    const answer = await this.send(spec);
    return { ...answer.trace, value: parse(schema, answer.text, answer.status, spec.context.operation, answer.trace) };
  }

  /** sends a call whose success has no body (DELETE → 204) */
  async empty(spec: GraphRequestSpec): Promise<GraphTrace> {
    return (await this.send(spec)).trace;
  }

  /** The URL a path or link resolves to; a link to another origin is refused, since it would carry our token there. */
  resolve(path: string): string {
    if (/^https?:\/\//i.test(path)) {
      if (new URL(path).origin !== this.origin) {
        throw new GraphError("unexpected_response", `Microsoft Graph sent a link to another host (${new URL(path).origin}); it was not followed`);
      }
      return path;
    }
    return this.baseUrl + (path.startsWith("/") ? path : `/${path}`);
  }

  private async send(spec: GraphRequestSpec): Promise<{ status: number; text: string; trace: GraphTrace }> {
    const clientRequestId = spec.clientRequestId ?? randomUUID();
    const url = this.resolve(spec.path);
    const logPath = new URL(url).pathname;
    const started = Date.now();
    let refreshedToken = false;
    let requestId: string | null = null;
    const trace = (): GraphTrace => ({ clientRequestId, requestId });
    const closedError = () => new GraphError("unavailable", `the Microsoft Graph client is closed (${spec.context.operation})`, { clientRequestId });

    for (let attempt = 1; ; attempt++) {
      if (this.closed) throw closedError();
      const token = await this.settings.tokens.getToken("app");
      const headers: Record<string, string> = {
        ...spec.headers,
        Authorization: `Bearer ${token}`,
        Accept: "application/json",
        "client-request-id": clientRequestId,
      };
      if (spec.body !== undefined) headers["Content-Type"] = "application/json";
      const logFields = { method: spec.method, path: logPath, clientRequestId, attempt };

      let status: number;
      let text: string;
      let retryAfter: string | null;
      try {
        const response = await this.pacer.schedule(() =>
          fetch(url, { method: spec.method, headers, body: spec.body === undefined ? undefined : JSON.stringify(spec.body), signal: AbortSignal.timeout(this.timeoutMs) }),
        );
        status = response.status;
        retryAfter = response.headers.get("retry-after");
        requestId = response.headers.get("request-id") ?? requestId;
        text = await response.text();
      } catch (error) {
        if (this.closed) throw closedError();
        const reason = error instanceof Error ? error.message : String(error);
        this.logger.warn({ ...logFields, error: reason }, "Graph call failed before a response");
        const delay = this.retry.backoff(attempt, null);
        if (spec.idempotent && this.retry.mayRetry(attempt, started, delay)) {
          await sleep(delay);
          continue;
        }
        throw new GraphError("unavailable", `Microsoft Graph could not be reached (${spec.context.operation}): ${reason}`, {
          clientRequestId,
          requestId: requestId ?? undefined,
          ambiguous: !spec.idempotent,
        });
      }

      const level = status < 400 ? "info" : status === 429 || status >= 500 ? "warn" : "error";
      this.logger[level]({ ...logFields, requestId, status, durationMs: Date.now() - started }, "Graph call");
      if (status >= 200 && status < 300) return { status, text, trace: trace() };

      if (status === 401 && !refreshedToken && this.settings.tokens.invalidate) {
        // an expired or revoked token: fetch a fresh one once, without spending a retry
        refreshedToken = true;
        this.settings.tokens.invalidate("app");
        attempt--;
        continue;
      }
      // a 429 was not processed, so even a POST may go again; a 5xx to a POST may have been
      const retriable = status === 429 || (status >= 500 && spec.idempotent);
      if (retriable) {
        const delay = this.retry.backoff(attempt, retryAfter);
        if (this.retry.mayRetry(attempt, started, delay)) {
          await sleep(delay);
          continue;
        }
      }
      const error = mapGraphError(status, readGraphErrorBody(text), spec.context, trace());
      if (status >= 500 && !spec.idempotent) error.details.ambiguous = true;
      throw error;
    }
  }
}

function parse<S extends z.ZodType>(schema: S, text: string, status: number, operation: string, trace: GraphTrace): z.infer<S> {
  const fail = (why: string) => new GraphError("unexpected_response", `Microsoft Graph sent an unexpected response to ${operation} (HTTP ${status}): ${why}`, { status, ...trace, requestId: trace.requestId ?? undefined });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw fail(`not JSON: ${JSON.stringify(text.slice(0, 120))}`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw fail(`${issue?.path.join(".") || "body"}: ${issue?.message ?? "invalid"}`);
  }
  return parsed.data;
}
