// A local Microsoft Graph for GDAP: /graph/v1.0/tenantRelationships/delegatedAdminRelationships…
// answered in Graph's shapes (OData collections with @odata.nextLink, @odata.etag, Graph's error
// body with innerError request-id), enforcing Graph's rules through GdapWorld, with latency,
// throttling and faults on demand and a log of the requests it saw. It is a route module: a
// server tries it and moves on when it answers false.
import { randomUUID } from "node:crypto";
import type http from "node:http";
import { seedDemoGdap } from "./gdap-demo-data";
import { GdapWorld, type GdapStandInRelationship, type GraphRefusal } from "./gdap-world";
import { CONTENT_TYPE, errorAnswer, relationshipJson, requestJson, type Answer, type Ids } from "./graph-shapes";

export type RouteModule = (req: http.IncomingMessage, res: http.ServerResponse) => boolean | Promise<boolean>;

/** One request below the version root (segments start "tenantRelationships"), its body read as JSON. */
export interface GraphStandInRequest {
  method: string;
  segments: string[];
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: Record<string, unknown>;
}

/** What the stand-in answers: a serialised body and Graph's headers. */
export interface GraphAnswer {
  status: number;
  body: string;
  headers: Record<string, string>;
}

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
  /** the HTTP route module: answers under basePath, false for any other path */
  route: RouteModule;
  /** the same without HTTP, for a server that reads requests itself (the emulator's mount()) */
  answer(request: GraphStandInRequest): Promise<GraphAnswer>;
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

  const graphError = (status: number, code: string, message: string, ids: Ids, headers: Record<string, string> = {}) => errorAnswer(status, code, message, ids, now(), headers);

  function interfere(method: string, ids: Ids, applying: boolean): Answer | undefined {
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

  const refused = (refusal: GraphRefusal, ids: Ids) => graphError(refusal.status, refusal.code, refusal.message, ids);

  function list(query: URLSearchParams, origin: string, ids: Ids): Answer {
    const filter = query.get("$filter");
    let tenant: string | undefined;
    if (filter !== null) {
      const match = FILTER.exec(filter);
      if (!match?.[1]) return graphError(400, "BadRequest", `Invalid filter clause: the stand-in filters on customer/tenantId eq '{id}' only (got ${JSON.stringify(filter)}).`, ids);
      tenant = match[1].toLowerCase();
    }
    const top = query.has("$top") ? Number(query.get("$top")) : settings.pageSize;
    if (!Number.isInteger(top) || top < 1) return graphError(400, "BadRequest", "Invalid value for $top.", ids);
    const skip = query.has("$skiptoken") ? Number(Buffer.from(query.get("$skiptoken") ?? "", "base64url").toString()) : 0;
    if (!Number.isInteger(skip) || skip < 0) return graphError(400, "BadRequest", "Invalid $skiptoken.", ids);
    const matching = world.all().filter((r) => tenant === undefined || r.customer.tenantId.toLowerCase() === tenant);
    const page = matching.slice(skip, skip + top);
    const body: Record<string, unknown> = { "@odata.context": `${origin}${basePath}/$metadata#${COLLECTION}`, value: page.map(relationshipJson) };
    if (skip + top < matching.length) {
      const next = new URL(`${origin}${prefix}`);
      if (filter !== null) next.searchParams.set("$filter", filter);
      if (query.has("$top")) next.searchParams.set("$top", String(top));
      next.searchParams.set("$skiptoken", Buffer.from(String(skip + top)).toString("base64url"));
      body["@odata.nextLink"] = next.toString();
    }
    return { status: 200, body };
  }

  function handle(method: string, query: URLSearchParams, segments: string[], origin: string, body: Record<string, unknown>, ifMatch: string | undefined, ids: Ids): Answer {
    const [id, sub, requestId, ...rest] = segments;
    const unsupported = () => graphError(405, "MethodNotAllowed", `${method} is not supported here.`, ids);
    if (id === undefined) return method === "GET" ? list(query, origin, ids) : unsupported();
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

  async function answer(request: GraphStandInRequest): Promise<GraphAnswer> {
    const method = request.method.toUpperCase();
    const at = now();
    const clientRequestId = header(request.headers, "client-request-id");
    const ifMatch = header(request.headers, "if-match");
    const ids = { requestId: randomUUID(), clientRequestId };
    const origin = `http://${request.headers.host ?? "127.0.0.1"}`;
    const [root, collection, ...segments] = request.segments;
    const action = typeof request.body.action === "string" ? request.body.action : undefined;
    let reply: Answer | undefined;
    let injected = false;
    if (root !== "tenantRelationships" || collection !== "delegatedAdminRelationships") {
      reply = graphError(400, "BadRequest", `Resource not found for the segment '${request.segments.join("/")}'.`, ids);
    } else if (!/^Bearer \S+/.test(header(request.headers, "authorization") ?? "")) {
      reply = graphError(401, "InvalidAuthenticationToken", "Access token is empty.", ids);
    } else {
      reply = interfere(method, ids, false);
      injected = reply !== undefined;
    }
    if (!reply) {
      reply = handle(method, request.query, segments, origin, request.body, ifMatch, ids);
      // the change happened; its answer is lost on the way back
      const lost = reply.status < 300 && method !== "GET" ? interfere(method, ids, true) : undefined;
      if (lost) [reply, injected] = [lost, true];
    }
    if (settings.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, settings.latencyMs));
    const query = request.query.toString();
    const path = [basePath, ...request.segments.map(encodeURIComponent)].join("/");
    recorded.push({ method, path, query: query ? `?${query}` : "", status: reply.status, clientRequestId, requestId: ids.requestId, ifMatch, action, relationshipId: segments[0], injected, at });
    if (recorded.length > MAX_RECORDED) recorded = recorded.slice(-MAX_RECORDED);
    return {
      status: reply.status,
      body: reply.body === undefined ? "" : JSON.stringify(reply.body),
      headers: {
        ...(reply.body === undefined ? {} : { "Content-Type": CONTENT_TYPE }),
        "request-id": ids.requestId,
        ...(clientRequestId ? { "client-request-id": clientRequestId } : {}),
        "Cache-Control": "no-cache",
        ...reply.headers,
      },
    };
  }

  const route: RouteModule = async (req, res) => {
    const url = new URL(req.url ?? "/", "http://stand-in");
    if (url.pathname !== prefix && !url.pathname.startsWith(`${prefix}/`)) return false;
    const body = readJsonObject(await readBody(req));
    let reply: GraphAnswer;
    if (body === undefined) {
      const bad = graphError(400, "BadRequest", "Unable to read JSON request payload.", { requestId: randomUUID(), clientRequestId: header(req.headers, "client-request-id") });
      reply = { status: 400, body: JSON.stringify(bad.body), headers: { "Content-Type": CONTENT_TYPE } };
    } else {
      const segments = url.pathname.slice(basePath.length).split("/").filter(Boolean).map(decodeURIComponent);
      reply = await answer({ method: req.method ?? "GET", segments, query: url.searchParams, headers: req.headers, body });
    }
    res.writeHead(reply.status, reply.headers);
    res.end(reply.body);
    return true;
  };

  return {
    route,
    answer,
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

function header(headers: http.IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** the body as a JSON object ({} when empty or not an object), undefined when it is not JSON */
function readJsonObject(raw: string): Record<string, unknown> | undefined {
  if (!raw.trim()) return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    return parsed !== null && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return undefined;
  }
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
