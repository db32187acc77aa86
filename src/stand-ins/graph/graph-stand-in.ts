// A local Microsoft Graph for GDAP: /graph/v1.0/tenantRelationships/delegatedAdminRelationships…
// answered in Graph's shapes (OData collections with @odata.nextLink, @odata.etag, Graph's error
// body with innerError request-id), enforcing Graph's rules through GdapWorld, with latency,
// throttling and faults on demand and a log of the requests it saw. It is a route module: a
// server tries it and moves on when it answers false.
import { randomUUID } from "node:crypto";
import type http from "node:http";
import { seedDemoGdap } from "./gdap-demo-data";
import { GdapWorld, type GdapStandInRelationship, type GdapStandInRequest, type GraphRefusal } from "./gdap-world";

export type RouteModule = (req: http.IncomingMessage, res: http.ServerResponse) => boolean | Promise<boolean>;

export interface GraphStandInSettings {
  /** relationships per page when the caller sends no $top */
  pageSize: number;
  /** how long a termination stays requested before it shows terminated */
  terminationMs: number;
  /** added to every answer */
  latencyMs: number;
  /** share (0..1) of requests answered 503 at random */
  faultRate: number;
  /** share (0..1) of requests answered 429 at random */
  throttleRate: number;
  throttleRetryAfterSeconds: number;
}

export interface GraphStandInOptions extends Partial<GraphStandInSettings> {
  /** path the Graph version root is served under (default /graph/v1.0) */
  basePath?: string;
  /** how long the demo's slow relationship (Fabrikam operations) stays terminationRequested (default 60 s) */
  slowTerminationMs?: number;
  /** the relationships to start from (default: the demo partner's) */
  initial?: (now: number) => GdapStandInRelationship[];
  now?: () => number;
  random?: () => number;
}

/** A forced answer for the next request (of `method`, when given), in the order queued. */
export interface ForcedGraphResponse {
  status: number;
  retryAfterSeconds?: number;
  message?: string;
  method?: "GET" | "POST" | "DELETE";
  /** a POST or DELETE is applied and its answer replaced by this one: a lost answer */
  afterApplying?: boolean;
}

export interface GraphRequestRecord {
  method: string;
  path: string;
  query: string;
  status: number;
  clientRequestId: string | undefined;
  requestId: string;
  ifMatch: string | undefined;
  /** the body's action, for POST …/requests */
  action: string | undefined;
  relationshipId: string | undefined;
  injected: boolean;
  /** epoch ms the request arrived */
  at: number;
}

export interface GraphStandIn {
  route: RouteModule;
  basePath: string;
  configure(settings: Partial<GraphStandInSettings>): GraphStandInSettings;
  failNext(...responses: ForcedGraphResponse[]): void;
  /** the next `count` requests are answered 429 with Retry-After */
  throttleNext(count: number, retryAfterSeconds?: number): void;
  refuseTermination(relationshipId: string, refusal?: Partial<GraphRefusal>, times?: number): void;
  setStatus(relationshipId: string, status: string): void;
  add(relationship: GdapStandInRelationship): void;
  /** copies, time applied; one customer's when a tenant id is given */
  relationships(customerTenantId?: string): GdapStandInRelationship[];
  requests(): GraphRequestRecord[];
  /** back to the initial relationships, default settings, empty log */
  reset(): void;
}

const DEFAULTS: GraphStandInSettings = { pageSize: 100, terminationMs: 2_000, latencyMs: 0, faultRate: 0, throttleRate: 0, throttleRetryAfterSeconds: 1 };
const COLLECTION = "tenantRelationships/delegatedAdminRelationships";
const MAX_RECORDED = 2_000;
const FILTER = /^\s*customer\/tenantId\s+eq\s+'([0-9a-f-]{36})'\s*$/i;
const CONTENT_TYPE = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";

interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export function createGraphStandIn(options: GraphStandInOptions = {}): GraphStandIn {
  const basePath = (options.basePath ?? "/graph/v1.0").replace(/\/+$/, "");
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const initial = options.initial ?? ((t: number) => seedDemoGdap(t, options.slowTerminationMs ?? 60_000));
  const initialSettings = { ...DEFAULTS, ...pickSettings(options) };
  let settings = { ...initialSettings };
  const world = new GdapWorld({ now, terminationMs: () => settings.terminationMs });
  world.load(initial(now()));
  let forced: ForcedGraphResponse[] = [];
  let recorded: GraphRequestRecord[] = [];
  const prefix = `${basePath}/${COLLECTION}`;

  function graphError(status: number, code: string, message: string, ids: { requestId: string; clientRequestId: string | undefined }, headers: Record<string, string> = {}): Answer {
    const innerError = { date: new Date(now()).toISOString().replace(/\.\d+Z$/, ""), "request-id": ids.requestId, "client-request-id": ids.clientRequestId ?? ids.requestId };
    return { status, body: { error: { code, message, innerError } }, headers };
  }

  function interfere(method: string, ids: { requestId: string; clientRequestId: string | undefined }, applying: boolean): Answer | undefined {
    const index = forced.findIndex((f) => (f.method === undefined || f.method === method) && (f.afterApplying ?? false) === applying);
    const next = index >= 0 ? forced.splice(index, 1)[0] : undefined;
    if (next) {
      const headers: Record<string, string> = next.retryAfterSeconds !== undefined ? { "Retry-After": String(next.retryAfterSeconds) } : {};
      const code = next.status === 429 ? "TooManyRequests" : next.status >= 500 ? "serviceNotAvailable" : "BadRequest";
      return graphError(next.status, code, next.message ?? (next.status === 429 ? "Too many requests." : `Injected failure (HTTP ${next.status}).`), ids, headers);
    }
    if (applying) return undefined;
    if (settings.throttleRate > 0 && random() < settings.throttleRate) {
      return graphError(429, "TooManyRequests", "Too many requests.", ids, { "Retry-After": String(settings.throttleRetryAfterSeconds) });
    }
    if (settings.faultRate > 0 && random() < settings.faultRate) return graphError(503, "serviceNotAvailable", "The service is temporarily unavailable (injected fault).", ids);
    return undefined;
  }

  function relationshipJson(r: GdapStandInRelationship) {
    return {
      "@odata.type": "#microsoft.graph.delegatedAdminRelationship",
      "@odata.etag": r.etag,
      id: r.id,
      displayName: r.displayName,
      duration: r.duration,
      status: r.status,
      autoExtendDuration: r.autoExtendDuration,
      createdDateTime: r.createdDateTime,
      lastModifiedDateTime: r.lastModifiedDateTime,
      activatedDateTime: r.activatedDateTime,
      endDateTime: r.endDateTime,
      partner: { tenantId: r.partnerTenantId },
      customer: r.customer,
      accessDetails: { unifiedRoles: r.roleIds.map((roleDefinitionId) => ({ roleDefinitionId })) },
    };
  }

  const requestJson = (q: GdapStandInRequest) => ({ "@odata.type": "#microsoft.graph.delegatedAdminRelationshipRequest", ...q });
  const refused = (refusal: GraphRefusal, ids: { requestId: string; clientRequestId: string | undefined }) => graphError(refusal.status, refusal.code, refusal.message, ids);

  function list(url: URL, origin: string, ids: { requestId: string; clientRequestId: string | undefined }): Answer {
    const filter = url.searchParams.get("$filter");
    let tenant: string | undefined;
    if (filter !== null) {
      const match = FILTER.exec(filter);
      if (!match?.[1]) return graphError(400, "BadRequest", `Invalid filter clause: the stand-in filters on customer/tenantId eq '{id}' only (got ${JSON.stringify(filter)}).`, ids);
      tenant = match[1].toLowerCase();
    }
    const top = url.searchParams.has("$top") ? Number(url.searchParams.get("$top")) : settings.pageSize;
    if (!Number.isInteger(top) || top < 1) return graphError(400, "BadRequest", "Invalid value for $top.", ids);
    const skip = url.searchParams.has("$skiptoken") ? Number(Buffer.from(url.searchParams.get("$skiptoken") ?? "", "base64url").toString()) : 0;
    if (!Number.isInteger(skip) || skip < 0) return graphError(400, "BadRequest", "Invalid $skiptoken.", ids);
    const matching = world.all().filter((r) => tenant === undefined || r.customer.tenantId.toLowerCase() === tenant);
    const page = matching.slice(skip, skip + top);
    const body: Record<string, unknown> = { "@odata.context": `${origin}${basePath}/$metadata#${COLLECTION}`, value: page.map(relationshipJson) };
    if (skip + top < matching.length) {
      const next = new URL(`${origin}${prefix}`);
      if (filter !== null) next.searchParams.set("$filter", filter);
      if (url.searchParams.has("$top")) next.searchParams.set("$top", String(top));
      next.searchParams.set("$skiptoken", Buffer.from(String(skip + top)).toString("base64url"));
      body["@odata.nextLink"] = next.toString();
    }
    return { status: 200, body };
  }

  function handle(method: string, url: URL, segments: string[], origin: string, body: Record<string, unknown>, ifMatch: string | undefined, ids: { requestId: string; clientRequestId: string | undefined }): Answer {
    const [id, sub, requestId, ...rest] = segments;
    const unsupported = () => graphError(405, "MethodNotAllowed", `${method} is not supported here.`, ids);
    if (id === undefined) return method === "GET" ? list(url, origin, ids) : unsupported();
    if (rest.length > 0 || (sub !== undefined && sub !== "requests")) return graphError(400, "BadRequest", `Resource not found for the segment '${segments.slice(1).join("/")}'.`, ids);
    if (sub === undefined) {
      if (method === "GET") {
        const found = world.get(id);
        return found.ok ? { status: 200, body: relationshipJson(found.value) } : refused(found.refusal, ids);
      }
      if (method === "DELETE") {
        const done = world.delete(id, ifMatch);
        return done.ok ? { status: 204 } : refused(done.refusal, ids);
      }
      return unsupported();
    }
    if (requestId !== undefined) {
      if (method !== "GET") return unsupported();
      const all = world.requests(id);
      if (!all.ok) return refused(all.refusal, ids);
      const one = all.value.find((q) => q.id === requestId);
      return one ? { status: 200, body: requestJson(one) } : graphError(404, "ResourceNotFound", "The requested delegated admin relationship request does not exist.", ids);
    }
    if (method === "GET") {
      const all = world.requests(id);
      return all.ok ? { status: 200, body: { "@odata.context": `${origin}${basePath}/$metadata#${COLLECTION}('${id}')/requests`, value: all.value.map(requestJson) } } : refused(all.refusal, ids);
    }
    if (method === "POST") {
      if (typeof body.action !== "string") return graphError(400, "BadRequest", "The request body must name an action.", ids);
      const made = world.requestAction(id, body.action);
      if (!made.ok) return refused(made.refusal, ids);
      return { status: 201, body: requestJson(made.value), headers: { Location: `${origin}${prefix}/${id}/requests/${made.value.id}` } };
    }
    return unsupported();
  }

  const route: RouteModule = async (req, res) => {
    const url = new URL(req.url ?? "/", "http://stand-in");
    if (url.pathname !== prefix && !url.pathname.startsWith(`${prefix}/`)) return false;
    const method = (req.method ?? "GET").toUpperCase();
    const clientRequestId = header(req, "client-request-id");
    const ids = { requestId: randomUUID(), clientRequestId };
    const at = now();
    const raw = await readBody(req);
    const segments = url.pathname.slice(prefix.length).split("/").filter(Boolean).map(decodeURIComponent);
    const origin = `http://${req.headers.host ?? "127.0.0.1"}`;
    let body: Record<string, unknown> = {};
    let action: string | undefined;
    let answer: Answer | undefined;
    let injected = false;
    if (raw.trim()) {
      try {
        const parsed: unknown = JSON.parse(raw);
        if (parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
        action = typeof body.action === "string" ? body.action : undefined;
      } catch {
        answer = graphError(400, "BadRequest", "Unable to read JSON request payload.", ids);
      }
    }
    if (!answer && !/^Bearer \S+/.test(header(req, "authorization") ?? "")) answer = graphError(401, "InvalidAuthenticationToken", "Access token is empty.", ids);
    if (!answer) {
      answer = interfere(method, ids, false);
      injected = answer !== undefined;
    }
    if (!answer) {
      answer = handle(method, url, segments, origin, body, header(req, "if-match"), ids);
      // the change happened; its answer is lost on the way back
      const lost = answer.status < 300 && method !== "GET" ? interfere(method, ids, true) : undefined;
      if (lost) [answer, injected] = [lost, true];
    }
    if (settings.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, settings.latencyMs));
    recorded.push({ method, path: url.pathname, query: url.search, status: answer.status, clientRequestId, requestId: ids.requestId, ifMatch: header(req, "if-match"), action, relationshipId: segments[0], injected, at });
    if (recorded.length > MAX_RECORDED) recorded = recorded.slice(-MAX_RECORDED);
    res.writeHead(answer.status, {
      ...(answer.body === undefined ? {} : { "Content-Type": CONTENT_TYPE }),
      "request-id": ids.requestId,
      ...(clientRequestId ? { "client-request-id": clientRequestId } : {}),
      "Cache-Control": "no-cache",
      ...answer.headers,
    });
    res.end(answer.body === undefined ? undefined : JSON.stringify(answer.body));
    return true;
  };

  return {
    route,
    basePath,
    configure(update) {
      settings = { ...settings, ...update };
      return { ...settings };
    },
    failNext(...responses) {
      forced.push(...responses);
    },
    throttleNext(count, retryAfterSeconds = 1) {
      forced.push(...Array.from({ length: count }, () => ({ status: 429, retryAfterSeconds })));
    },
    refuseTermination(relationshipId, refusal = {}, times = 1) {
      world.refuseTermination(relationshipId, { status: refusal.status ?? 400, code: refusal.code ?? "BadRequest", message: refusal.message ?? "The relationship cannot be terminated by this partner at this time." }, times);
    },
    setStatus: (relationshipId, status) => world.setStatus(relationshipId, status),
    add: (relationship) => world.add(relationship),
    relationships: (customerTenantId) => world.all().filter((r) => !customerTenantId || r.customer.tenantId.toLowerCase() === customerTenantId.toLowerCase()),
    requests: () => recorded.slice(),
    reset() {
      settings = { ...initialSettings };
      forced = [];
      recorded = [];
      world.load(initial(now()));
    },
  };
}

function pickSettings(options: GraphStandInOptions): Partial<GraphStandInSettings> {
  const keys: Array<keyof GraphStandInSettings> = ["pageSize", "terminationMs", "latencyMs", "faultRate", "throttleRate", "throttleRetryAfterSeconds"];
  return Object.fromEntries(keys.filter((k) => options[k] !== undefined).map((k) => [k, options[k]]));
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
