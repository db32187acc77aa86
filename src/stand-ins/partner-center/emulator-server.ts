// A local Partner Center: the v1 subset the app uses, answered in the documented shapes and
// casing, enforcing Partner Center's own rules (etags, cancellation windows, removal blockers),
// with configurable latency, throttling and injected faults, and state kept under DATA_DIR.
// Routes live in routes/ by resource; the test controls in controls/. Other stand-ins can mount
// their own routes on the same server under a prefix of their own (mount()).
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { type Answer, type EmulatorRequest, answerOf, header, partnerFd } from "./answers";
import { controlRoutes } from "./controls/control-routes";
import { type EmulatorSettings, FaultInjector, type SettingsUpdate } from "./controls/faults";
import { type EmulatorStats, type RecordedRequest, RequestLog } from "./controls/request-log";
import { seedDemoPartner } from "./demo-partner";
import type { EmulatorState } from "./emulator-state";
import { customerRoutes } from "./routes/customer-routes";
import { entitlementRoutes } from "./routes/entitlement-routes";
import { orderRoutes } from "./routes/order-routes";
import { RouteTable } from "./routes/route-table";
import { subscriptionRoutes } from "./routes/subscription-routes";
import { EmulatorWorld } from "./world";

export interface EmulatorOptions extends Partial<EmulatorSettings> {
  /** 0 (default) picks a free port */
  port?: number;
  host?: string;
  /** state lives in `${dataDir}/emulator/state.json`; undefined keeps it in memory */
  dataDir?: string | undefined;
  /** seed for the random faults, so a run can be repeated */
  seed?: number;
  /** the world to start from when nothing is saved (default: the demo partner seeded now) */
  initialState?: () => EmulatorState;
  /** more route modules on this server, each under a path prefix of its own */
  mounts?: MountedRoutes[];
}

/** A route module from another stand-in, served under `prefix` (e.g. "graph/v1.0"). */
export interface MountedRoutes {
  prefix: string;
  /** `request.segments` is the path below the prefix */
  handle(request: EmulatorRequest): Answer | Promise<Answer>;
}

export interface EmulatorHandle {
  /** base URL including /v1, for PARTNER_CENTER_URL */
  url: string;
  /** http://host:port, for the /_emulator endpoints and mounted prefixes */
  origin: string;
  port: number;
  stats(): EmulatorStats;
  /** the last requests (bounded), newest last */
  requests(): RecordedRequest[];
  configure(settings: SettingsUpdate): EmulatorSettings;
  /** back to a freshly seeded demo partner; counters cleared */
  reset(): void;
  /** a copy of the current world */
  snapshot(): EmulatorState;
  /** serves another route module under its prefix from now on */
  mount(routes: MountedRoutes): void;
  close(): Promise<void>;
}

const STATE_SUBDIR = "emulator";

export async function startEmulator(options: EmulatorOptions = {}): Promise<EmulatorHandle> {
  const stateDir = options.dataDir === undefined ? undefined : path.join(options.dataDir, STATE_SUBDIR);
  const world = new EmulatorWorld(stateDir, options.initialState ?? (() => seedDemoPartner(new Date())));
  const faults = new FaultInjector(options, options.seed ?? 42);
  const log = new RequestLog();
  const reset = () => {
    world.reset();
    faults.reset();
    log.reset();
  };
  const api = new RouteTable([...customerRoutes(world), ...subscriptionRoutes(world), ...entitlementRoutes(world), ...orderRoutes(world)]);
  const controls = new RouteTable(controlRoutes(world, faults, log, reset));
  const mounts: MountedRoutes[] = [...(options.mounts ?? [])];

  /** the Partner Center API: bearer token, latency, faults, MS-RequestId replay, then the route */
  async function handleApi(request: EmulatorRequest, route: string): Promise<{ answer: Answer; replayed: boolean }> {
    if (!/^Bearer\s+\S+/i.test(header(request.headers, "authorization") ?? "")) {
      return { answer: { status: 401, body: partnerFd(401, "Authorization header with a bearer token is required.") }, replayed: false };
    }
    if (faults.settings.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, faults.settings.latencyMs));
    const interference = faults.interfere(route);
    if (interference) log.interfered(interference.kind);
    if (interference?.afterApplying) {
      answerOf(() => api.handle(request));
      return { answer: interference.answer, replayed: false };
    }
    if (interference) return { answer: interference.answer, replayed: false };
    const apiPath = "/" + request.segments.join("/");
    const mutating = request.method !== "GET";
    const key = header(request.headers, "ms-requestid")?.toLowerCase();
    const earlier = mutating && key ? world.remembered.get(key) : undefined;
    if (earlier && earlier.method === request.method && earlier.path.toLowerCase() === apiPath.toLowerCase()) {
      return { answer: { status: earlier.status, body: earlier.body }, replayed: true };
    }
    const answer = answerOf(() => api.handle(request));
    // only successes are replayed: a refused call (stale etag) may be retried with the same id
    if (mutating && key && answer.status >= 200 && answer.status < 300) {
      world.remember(key, { method: request.method, path: apiPath, status: answer.status, body: answer.body });
    }
    return { answer, replayed: false };
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://emulator");
    const method = (req.method ?? "GET").toUpperCase();
    const requestId = header(req.headers, "ms-requestid");
    const correlationId = header(req.headers, "ms-correlationid");
    const send = (answer: Answer) => {
      res.writeHead(answer.status, {
        "Content-Type": "application/json; charset=utf-8",
        ...(requestId ? { "MS-RequestId": requestId } : {}),
        ...(correlationId ? { "MS-CorrelationId": correlationId } : {}),
        ...answer.headers,
      });
      res.end(answer.body);
    };
    const raw = await readBody(req);
    let body: Record<string, unknown> = {};
    if (raw.trim()) {
      try {
        const parsed: unknown = JSON.parse(raw);
        if (parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)) body = lowerFirstKeys(parsed as Record<string, unknown>);
      } catch {
        send({ status: 400, body: partnerFd(3000, "The request body is not valid JSON.") });
        return;
      }
    }
    const segments = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
    const below = (count: number): EmulatorRequest => ({ method, segments: segments.slice(count), query: url.searchParams, headers: req.headers, body });

    if (segments[0] === "_emulator") return send(answerOf(() => controls.handle(below(1))));
    if (segments[0] === "v1") {
      const request = below(1);
      const route = api.nameOf(method, request.segments);
      log.arrived(route);
      const { answer, replayed } = await handleApi(request, route);
      const sent = method === "GET" ? {} : { ifMatch: header(req.headers, "if-match"), body };
      log.answered({ method, path: "/" + request.segments.join("/"), route, status: answer.status, requestId, correlationId, replayed, ...sent });
      return send(answer);
    }
    const path = segments.join("/");
    const mounted = mounts.find((m) => path === m.prefix || path.startsWith(`${m.prefix}/`));
    if (mounted) return send(await mounted.handle(below(mounted.prefix.split("/").length)));
    send({ status: 404, body: partnerFd(0, "Resource not found.") });
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "Content-Type": "application/json; charset=utf-8" });
      res.end(partnerFd(0, `Emulator failure: ${error instanceof Error ? error.message : String(error)}`));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  const origin = `http://${host}:${address.port}`;

  return {
    url: `${origin}/v1`,
    origin,
    port: address.port,
    stats: () => log.stats(),
    requests: () => log.requests(),
    configure: (update) => faults.configure(update),
    reset,
    snapshot: () => structuredClone(world.state),
    mount: (routes) => void mounts.push(routes),
    close: async () => {
      world.flush();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/** request bodies may come in either casing, like Partner Center accepts */
function lowerFirstKeys(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.charAt(0).toLowerCase() + k.slice(1), v]));
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > 1_000_000) {
        reject(new Error("request body too large"));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
