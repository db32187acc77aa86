// A local Partner Center: the v1 subset the app uses, answered in the recordings' shapes and
// casing, enforcing Partner Center's own rules (etags, cancellation windows, removal blockers),
// with configurable latency, throttling and injected faults, and state kept under DATA_DIR.
import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { DEMO_PARTNER_ID, seedDemoPartner } from "./demo-partner";
import { loadState, StatePersister, type EmuCustomer, type EmuEntitlement, type EmuOrder, type EmuSubscription, type EmulatorState, type RememberedResponse } from "./emulator-state";

export interface EmulatorSettings {
  /** added to every API answer */
  latencyMs: number;
  /** API requests per rolling minute before 429s; 0 = unlimited */
  rpm: number;
  /** share (0..1) of API requests answered 503 at random */
  faultRate: number;
  /** share (0..1) of API requests answered 429 at random, with Retry-After throttleRetryAfterSeconds */
  throttleFaultRate: number;
  throttleRetryAfterSeconds: number;
}

/** A forced answer for the next API request(s), for deterministic fault tests. */
export interface ForcedResponse {
  status: number;
  retryAfterSeconds?: number;
  /** raw body; a PartnerFD error (or the throttling body for 429) when absent */
  body?: string;
}

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
}

export interface RecordedRequest {
  method: string;
  path: string;
  route: string;
  status: number;
  requestId: string | undefined;
  correlationId: string | undefined;
  replayed: boolean;
}

export interface EmulatorStats {
  /** API requests (not /_emulator ones) */
  total: number;
  /** "PATCH /customers/{id}/subscriptions/{id}" → count */
  byRoute: Record<string, number>;
  byStatus: Record<string, number>;
  throttled: number;
  faults: number;
  replays: number;
}

export interface EmulatorHandle {
  /** base URL including /v1, for PARTNER_CENTER_URL */
  url: string;
  /** http://host:port, for the /_emulator endpoints */
  origin: string;
  port: number;
  stats(): EmulatorStats;
  /** the last requests (bounded), newest last */
  requests(): RecordedRequest[];
  configure(settings: Partial<EmulatorSettings> & { failNext?: ForcedResponse[] }): EmulatorSettings;
  /** back to a freshly seeded demo partner; counters cleared */
  reset(): void;
  /** a copy of the current world */
  snapshot(): EmulatorState;
  close(): Promise<void>;
}

const MAX_REMEMBERED = 10_000;
const MAX_RECORDED = 2_000;
const STATE_SUBDIR = "emulator";

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    readonly description: string,
  ) {
    super(description);
  }
}

function partnerFd(code: number, description: string): string {
  return JSON.stringify({ code, description, data: [], source: "PartnerFD" });
}

/** Partner Center answers PATCH calls in PascalCase (see the recordings). */
function pascalCaseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(pascalCaseKeys);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) out[key.charAt(0).toUpperCase() + key.slice(1)] = pascalCaseKeys(inner);
    return out;
  }
  return value;
}

/** mulberry32: small, seedable, good enough for fault injection */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ago = (iso: string | undefined, now: number) => iso !== undefined && Date.parse(iso) < now;

function link(uri: string) {
  return { uri, method: "GET", headers: [] as Array<{ key: string; value: string }> };
}

function customerJson(c: EmuCustomer) {
  return {
    id: c.id,
    commerceId: c.id,
    companyProfile: { tenantId: c.id, domain: c.domain, companyName: c.companyName, attributes: { objectType: "CustomerCompanyProfile" } },
    billingProfile: { companyName: c.companyName, attributes: { objectType: "CustomerBillingProfile" } },
    relationshipToPartner: c.relationshipToPartner,
    allowDelegatedAccess: c.relationshipToPartner !== "none",
    links: { self: link(`/customers/${c.id}`) },
    attributes: { objectType: "Customer" },
  };
}

function subscriptionJson(tenantId: string, s: EmuSubscription) {
  return {
    id: s.id,
    offerId: s.offerId,
    entitlementId: s.id,
    offerName: s.offerName,
    friendlyName: s.offerName,
    quantity: s.quantity,
    unitType: s.billingType === "usage" ? "Usage-based" : "Licenses",
    creationDate: s.creationDate,
    effectiveStartDate: s.creationDate,
    commitmentEndDate: s.commitmentEndDate,
    status: s.status,
    autoRenewEnabled: s.status === "active",
    isTrial: false,
    billingType: s.billingType,
    billingCycle: "monthly",
    ...(s.termDuration ? { termDuration: s.termDuration } : {}),
    ...(s.cancellationAllowedUntilDate ? { cancellationAllowedUntilDate: s.cancellationAllowedUntilDate } : {}),
    contractType: "subscription",
    links: { offer: link(`/offers/${s.offerId}?country=NL`), self: link(`/customers/${tenantId}/subscriptions/${s.id}`) },
    orderId: s.orderId,
    attributes: { etag: s.etag, objectType: "Subscription" },
  };
}

function entitlementJson(tenantId: string, e: EmuEntitlement) {
  return {
    includedEntitlements: [],
    referenceOrder: { id: e.orderId, lineItemId: String(e.lineItemId) },
    productId: e.productId,
    quantity: e.quantity,
    quantityDetails: [{ quantity: e.quantity, status: e.fulfilmentStatus }],
    entitledArtifacts: [
      {
        link: link(`/customers/${tenantId}/artifacts/${e.entitlementType.replace(/_/g, "")}/lineitems/${e.orderId}/resource/${e.resourceId}`),
        resourceId: e.resourceId,
        artifactType: e.entitlementType,
      },
    ],
    skuId: e.skuId,
    entitlementType: e.entitlementType,
    // not in the recording: an emulator extension so people see what the reservation is
    friendlyName: e.friendlyName,
  };
}

function orderJson(tenantId: string, o: EmuOrder) {
  return {
    id: o.id,
    referenceCustomerId: tenantId,
    billingCycle: "one_time",
    currencyCode: "EUR",
    status: o.status,
    creationDate: o.creationDate,
    // not in Partner Center's order resource: the window the emulator enforces, so the client need not guess
    cancellationAllowedUntilDate: o.cancellationAllowedUntilDate,
    lineItems: o.lineItems.map((l) => ({ ...l, links: { product: link(`/products/${l.offerId.split(":")[0] ?? ""}`) } })),
    links: { self: link(`/customers/${tenantId}/orders/${o.id}`) },
    attributes: { objectType: "Order" },
  };
}

function collection<T>(items: T[], extra: Record<string, unknown> = {}) {
  return { totalCount: items.length, items, ...extra, attributes: { objectType: "Collection" } };
}

/** What still keeps the relationship in place, in words a person can act on. */
export function removalBlockers(c: EmuCustomer): string[] {
  const blockers: string[] = [];
  for (const s of c.subscriptions) {
    if (s.commerceType === "legacy" && (s.status === "active" || s.status === "pending")) {
      blockers.push(`Subscription ${s.id} (${s.offerName}) is still ${s.status}; suspend it first`);
    }
    if (s.commerceType === "nce" && s.status !== "deleted" && s.status !== "expired") {
      blockers.push(`New-commerce subscription ${s.id} (${s.offerName}) is still ${s.status}; cancel it first`);
    }
  }
  for (const e of c.entitlements) {
    if (e.entitlementType !== "software" && e.fulfilmentStatus.toLowerCase() !== "cancelled") {
      blockers.push(`Azure reservation ${e.resourceId} (${e.friendlyName}) is still active; cancel it in the Azure portal first`);
    }
  }
  for (const o of c.orders) {
    if (o.status !== "cancelled") blockers.push(`Software purchase ${o.id} (${o.lineItems.map((l) => l.friendlyName).join(", ")}) is still active; cancel it first`);
  }
  return blockers;
}

/** The code the emulator uses for "remove while something still blocks"; Partner Center documents none. */
export const REMOVAL_BLOCKED_CODE = 800112;
export const ETAG_MISMATCH_CODE = 800036;

interface Answer {
  status: number;
  body: string;
  headers?: Record<string, string>;
}

const json = (status: number, value: unknown): Answer => ({ status, body: JSON.stringify(value) });

export async function startEmulator(options: EmulatorOptions = {}): Promise<EmulatorHandle> {
  const stateDir = options.dataDir === undefined ? undefined : path.join(options.dataDir, STATE_SUBDIR);
  const initial = options.initialState ?? (() => seedDemoPartner(new Date()));
  let state: EmulatorState = (stateDir ? loadState(stateDir) : undefined) ?? initial();
  let remembered = new Map<string, RememberedResponse>(state.requests);
  const persister = new StatePersister(stateDir, () => ({ ...state, requests: [...remembered.entries()] }));
  persister.changed(); // a freshly seeded world is saved too, so its windows stay as seeded

  const settings: EmulatorSettings = {
    latencyMs: options.latencyMs ?? 0,
    rpm: options.rpm ?? 0,
    faultRate: options.faultRate ?? 0,
    throttleFaultRate: options.throttleFaultRate ?? 0,
    throttleRetryAfterSeconds: options.throttleRetryAfterSeconds ?? 1,
  };
  const random = seededRandom(options.seed ?? 42);
  let failNext: ForcedResponse[] = [];
  let window: number[] = [];
  let stats: EmulatorStats = emptyStats();
  let recorded: RecordedRequest[] = [];

  function emptyStats(): EmulatorStats {
    return { total: 0, byRoute: {}, byStatus: {}, throttled: 0, faults: 0, replays: 0 };
  }

  function findCustomer(id: string): EmuCustomer {
    const c = state.customers.find((x) => x.id.toLowerCase() === id.toLowerCase());
    if (!c) throw new HttpError(404, 600008, `The customer ${id} was not found.`);
    return c;
  }

  function mutableCustomer(id: string): EmuCustomer {
    const c = findCustomer(id);
    if (c.relationshipToPartner === "none") throw new HttpError(403, 20002, `There is no relationship between the partner and customer ${c.id}.`);
    return c;
  }

  function throttleBody(seconds: number): string {
    return JSON.stringify({ statusCode: 429, message: `Rate limit is exceeded. Try again in ${seconds} seconds.` });
  }

  /** Partner Center's own rules on a subscription status change. */
  function changeSubscription(s: EmuSubscription, wanted: string, etag: string | undefined): void {
    if (!etag || etag !== s.etag) throw new HttpError(412, ETAG_MISMATCH_CODE, `The etag does not match subscription ${s.id}; read it again.`);
    const now = Date.now();
    if (s.status === "deleted") throw new HttpError(400, 2011, `Subscription ${s.id} is deleted and cannot be changed.`);
    if (s.status === "expired" || s.status === "disabled") throw new HttpError(400, 800012, `Subscription ${s.id} is not an active subscription.`);
    if (wanted === s.status) throw new HttpError(400, 800040, `Subscription status cannot be changed from ${s.status} to ${wanted}.`);
    if (wanted === "suspended") {
      if (s.commerceType === "nce") throw new HttpError(400, 800096, `Cannot update the status: new-commerce subscription ${s.id} is cancelled, not suspended.`);
      if (s.status !== "active") throw new HttpError(400, 800040, `Subscription status cannot be changed from ${s.status} to suspended.`);
    } else if (wanted === "active") {
      if (s.status !== "suspended") throw new HttpError(400, 800040, `Subscription status cannot be changed from ${s.status} to active.`);
    } else if (wanted === "deleted") {
      if (s.commerceType === "legacy") throw new HttpError(400, 800040, `Subscription status cannot be changed from ${s.status} to deleted: legacy subscriptions are suspended.`);
      if (!s.cancellationAllowedUntilDate || ago(s.cancellationAllowedUntilDate, now)) {
        throw new HttpError(400, 800096, `Cannot update the status: the cancellation window of subscription ${s.id} closed on ${s.cancellationAllowedUntilDate ?? "purchase"}.`);
      }
    } else {
      throw new HttpError(400, 3000, `Invalid property: status "${wanted}".`);
    }
    s.status = wanted;
    s.etag = randomUUID();
  }

  function handleApi(method: string, segments: string[], query: URLSearchParams, headers: http.IncomingHttpHeaders, body: Record<string, unknown>): Answer {
    const [root, id, sub, subId, ...rest] = segments;
    if (root !== "customers" || rest.length > 0) throw new HttpError(404, 0, "Resource not found.");

    if (id === undefined && method === "GET") {
      const size = Math.min(1000, Math.max(1, Number(query.get("size") ?? 100) || 100));
      const token = header(headers, "ms-continuationtoken");
      let offset = 0;
      if (token) {
        try {
          offset = (JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { offset: number }).offset;
        } catch {
          throw new HttpError(400, 3000, "Invalid continuation token.");
        }
        if (typeof offset !== "number" || offset < 0) throw new HttpError(400, 3000, "Invalid continuation token.");
      }
      // a removed customer leaves the partner's list (GET /customers/{id} still answers, relationship none)
      const listed = state.customers.filter((c) => c.relationshipToPartner !== "none");
      const page = listed.slice(offset, offset + size);
      const links: Record<string, unknown> = { self: link(`/customers?size=${size}`) };
      if (offset + size < listed.length) {
        const nextToken = Buffer.from(JSON.stringify({ offset: offset + size })).toString("base64url");
        links.next = { uri: `/customers?size=${size}&seekOperation=next`, method: "GET", headers: [{ key: "MS-ContinuationToken", value: nextToken }] };
      }
      return json(200, collection(page.map(customerJson), { links }));
    }
    if (id === "relationshiprequests" && sub === undefined && method === "GET") {
      return json(200, {
        url: `https://admin.microsoft.com/Adminportal/Home?invType=ResellerRelationship&partnerId=${state.partnerId ?? DEMO_PARTNER_ID}&DAP=false#/BillingAccounts/partner-invitation`,
        attributes: { objectType: "RelationshipRequest" },
      });
    }
    if (id === undefined) throw new HttpError(405, 0, "Method not allowed.");

    if (sub === undefined) {
      if (method === "GET") return json(200, customerJson(findCustomer(id)));
      if (method === "PATCH") {
        const c = findCustomer(id);
        if (String(body.relationshipToPartner ?? "").toLowerCase() !== "none") throw new HttpError(400, 3000, "Invalid property: relationshipToPartner must be none.");
        if (c.relationshipToPartner === "none") throw new HttpError(400, 3000, `The relationship between the partner and customer ${c.id} does not exist.`);
        const blockers = removalBlockers(c);
        if (blockers.length > 0) {
          const more = blockers.length > 1 ? ` (and ${blockers.length - 1} more blocker${blockers.length > 2 ? "s" : ""})` : "";
          throw new HttpError(400, REMOVAL_BLOCKED_CODE, `Cannot remove the reseller relationship: ${blockers[0]}${more}.`);
        }
        c.relationshipToPartner = "none";
        persister.changed();
        // the recorded answer: everything null but the relationship
        return json(200, {
          Id: null,
          CommerceId: null,
          CompanyProfile: null,
          BillingProfile: null,
          RelationshipToPartner: "none",
          AllowDelegatedAccess: null,
          UserCredentials: null,
          CustomDomains: null,
          AssociatedPartnerId: null,
          Attributes: { ObjectType: "Customer" },
        });
      }
      throw new HttpError(405, 0, "Method not allowed.");
    }

    if (sub === "subscriptions") {
      if (subId === undefined && method === "GET") {
        const c = findCustomer(id);
        return json(200, collection(c.subscriptions.map((s) => subscriptionJson(c.id, s))));
      }
      if (subId !== undefined) {
        const c = method === "GET" ? findCustomer(id) : mutableCustomer(id);
        const s = c.subscriptions.find((x) => x.id.toLowerCase() === subId.toLowerCase());
        if (!s) throw new HttpError(404, 800002, `Subscription ${subId} was not found for customer ${c.id}.`);
        if (method === "GET") return json(200, subscriptionJson(c.id, s));
        if (method === "PATCH") {
          const attributes = body.attributes as { etag?: unknown } | undefined;
          const etag = header(headers, "if-match") ?? (typeof attributes?.etag === "string" ? attributes.etag : undefined);
          changeSubscription(s, String(body.status ?? "").toLowerCase(), etag?.replace(/^W\//, "").replace(/^"|"$/g, ""));
          persister.changed();
          return json(200, pascalCaseKeys(subscriptionJson(c.id, s)));
        }
      }
      throw new HttpError(405, 0, "Method not allowed.");
    }

    if (sub === "entitlements" && subId === undefined && method === "GET") {
      const c = findCustomer(id);
      return json(200, collection(c.entitlements.map((e) => entitlementJson(c.id, e))));
    }

    if (sub === "orders") {
      if (subId === undefined && method === "GET") {
        const c = findCustomer(id);
        return json(200, collection(c.orders.map((o) => orderJson(c.id, o))));
      }
      if (subId !== undefined) {
        const c = method === "GET" ? findCustomer(id) : mutableCustomer(id);
        const o = c.orders.find((x) => x.id.toLowerCase() === subId.toLowerCase());
        if (!o) throw new HttpError(404, 800002, `Order ${subId} was not found for customer ${c.id}.`);
        if (method === "GET") return json(200, orderJson(c.id, o));
        if (method === "PATCH") {
          if (String(body.status ?? "").toLowerCase() !== "cancelled") throw new HttpError(400, 3000, "Invalid property: status must be cancelled.");
          if (o.status === "cancelled") throw new HttpError(400, 800040, `Order ${o.id} is already cancelled.`);
          if (ago(o.cancellationAllowedUntilDate, Date.now())) {
            throw new HttpError(400, 800096, `Cannot cancel order ${o.id}: its cancellation window closed on ${o.cancellationAllowedUntilDate}.`);
          }
          o.status = "cancelled";
          for (const e of c.entitlements) if (e.orderId === o.id) e.fulfilmentStatus = "Cancelled";
          persister.changed();
          // no recording of this answer exists; camelCase like the order reads
          return json(200, orderJson(c.id, o));
        }
      }
      throw new HttpError(405, 0, "Method not allowed.");
    }
    throw new HttpError(404, 0, "Resource not found.");
  }

  function handleControl(method: string, segments: string[], body: Record<string, unknown>): Answer {
    const [, a, id, kind, itemId, action] = segments;
    if (method === "GET" && a === "stats") return json(200, stats);
    if (method === "GET" && a === "requests") return json(200, recorded);
    if (method === "GET" && a === "state") return json(200, state);
    if (method === "POST" && a === "reset") {
      reset();
      return json(200, { reset: true });
    }
    if (method === "POST" && a === "config") {
      return json(200, configure(body as Partial<EmulatorSettings> & { failNext?: ForcedResponse[] }));
    }
    if (method === "POST" && a === "customers" && id && itemId) {
      const c = findCustomer(id);
      if (kind === "reservations" && action === "cancel") {
        // stands in for returning the reservation in the Azure portal
        const e = c.entitlements.find((x) => x.entitlementType !== "software" && x.resourceId.toLowerCase() === itemId.toLowerCase());
        if (!e) throw new HttpError(404, 0, `Reservation ${itemId} not found.`);
        e.fulfilmentStatus = "Cancelled";
        persister.changed();
        return json(200, entitlementJson(c.id, e));
      }
      if (kind === "subscriptions" && action === "status") {
        // forces a status regardless of the rules, e.g. to reopen a blocker behind the app's back
        const s = c.subscriptions.find((x) => x.id.toLowerCase() === itemId.toLowerCase());
        const wanted = String(body.status ?? "");
        if (!s) throw new HttpError(404, 0, `Subscription ${itemId} not found.`);
        if (!["active", "suspended", "pending", "deleted", "expired", "disabled"].includes(wanted)) throw new HttpError(400, 3000, `Invalid status "${wanted}".`);
        s.status = wanted as EmuSubscription["status"];
        s.etag = randomUUID();
        persister.changed();
        return json(200, subscriptionJson(c.id, s));
      }
    }
    throw new HttpError(404, 0, "Unknown emulator endpoint.");
  }

  function configure(update: Partial<EmulatorSettings> & { failNext?: ForcedResponse[] }): EmulatorSettings {
    for (const key of ["latencyMs", "rpm", "faultRate", "throttleFaultRate", "throttleRetryAfterSeconds"] as const) {
      const value = update[key];
      if (typeof value === "number" && Number.isFinite(value) && value >= 0) settings[key] = value;
    }
    if (Array.isArray(update.failNext)) failNext = [...failNext, ...update.failNext];
    return { ...settings };
  }

  function reset(): void {
    state = initial();
    remembered = new Map();
    failNext = [];
    window = [];
    stats = emptyStats();
    recorded = [];
    persister.changed();
  }

  function routeOf(method: string, segments: string[]): string {
    const shape = segments.map((s, i) => (i % 2 === 1 && !(i === 1 && s === "relationshiprequests") ? "{id}" : s));
    return `${method} /${shape.join("/")}`;
  }

  /** throttling and injected faults, before the request is handled */
  function interfere(): Answer | undefined {
    const forced = failNext.shift();
    if (forced) {
      if (forced.status === 429) stats.throttled += 1;
      else stats.faults += 1;
      const headers: Record<string, string> = forced.retryAfterSeconds !== undefined ? { "Retry-After": String(forced.retryAfterSeconds) } : {};
      const body = forced.body ?? (forced.status === 429 ? throttleBody(forced.retryAfterSeconds ?? 1) : partnerFd(0, `Injected failure (HTTP ${forced.status}).`));
      return { status: forced.status, body, headers };
    }
    const now = Date.now();
    if (settings.rpm > 0) {
      window = window.filter((t) => t > now - 60_000);
      if (window.length >= settings.rpm) {
        const seconds = Math.max(1, Math.ceil(((window[0] ?? now) + 60_000 - now) / 1000));
        stats.throttled += 1;
        return { status: 429, body: throttleBody(seconds), headers: { "Retry-After": String(seconds) } };
      }
      window.push(now);
    }
    if (settings.throttleFaultRate > 0 && random() < settings.throttleFaultRate) {
      stats.throttled += 1;
      const seconds = settings.throttleRetryAfterSeconds;
      return { status: 429, body: throttleBody(seconds), headers: { "Retry-After": String(seconds) } };
    }
    if (settings.faultRate > 0 && random() < settings.faultRate) {
      stats.faults += 1;
      return { status: 503, body: partnerFd(0, "The service is temporarily unavailable (injected fault).") };
    }
    return undefined;
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://emulator");
    const method = (req.method ?? "GET").toUpperCase();
    const requestId = header(req.headers, "ms-requestid");
    const correlationId = header(req.headers, "ms-correlationid");
    const raw = await readBody(req);
    let body: Record<string, unknown> = {};
    const send = (answer: Answer) => {
      res.writeHead(answer.status, {
        "Content-Type": "application/json; charset=utf-8",
        ...(requestId ? { "MS-RequestId": requestId } : {}),
        ...(correlationId ? { "MS-CorrelationId": correlationId } : {}),
        ...answer.headers,
      });
      res.end(answer.body);
    };
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
    if (segments[0] === "_emulator") {
      send(wrap(() => handleControl(method, segments, body)));
      return;
    }
    if (segments[0] !== "v1") {
      send({ status: 404, body: partnerFd(0, "Resource not found.") });
      return;
    }
    const apiSegments = segments.slice(1);
    const route = routeOf(method, apiSegments);
    const apiPath = "/" + apiSegments.join("/");
    stats.total += 1;
    stats.byRoute[route] = (stats.byRoute[route] ?? 0) + 1;
    const finish = (answer: Answer, replayed = false) => {
      stats.byStatus[answer.status] = (stats.byStatus[answer.status] ?? 0) + 1;
      recorded.push({ method, path: apiPath, route, status: answer.status, requestId, correlationId, replayed });
      if (recorded.length > MAX_RECORDED) recorded = recorded.slice(-MAX_RECORDED / 2);
      send(answer);
    };

    if (!/^Bearer\s+\S+/i.test(header(req.headers, "authorization") ?? "")) {
      finish({ status: 401, body: partnerFd(401, "Authorization header with a bearer token is required.") });
      return;
    }
    if (settings.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, settings.latencyMs));
    const interference = interfere();
    if (interference) {
      finish(interference);
      return;
    }
    const mutating = method !== "GET";
    const key = requestId?.toLowerCase();
    const earlier = mutating && key ? remembered.get(key) : undefined;
    if (earlier && earlier.method === method && earlier.path.toLowerCase() === apiPath.toLowerCase()) {
      stats.replays += 1;
      finish({ status: earlier.status, body: earlier.body }, true);
      return;
    }
    const answer = wrap(() => handleApi(method, apiSegments, url.searchParams, req.headers, body));
    if (mutating && key && answer.status >= 200 && answer.status < 300) {
      // only successes are replayed: a refused call (stale etag) may be retried with the same id
      remembered.set(key, { method, path: apiPath, status: answer.status, body: answer.body });
      if (remembered.size > MAX_REMEMBERED) {
        const oldest = remembered.keys().next().value;
        if (oldest !== undefined) remembered.delete(oldest);
      }
      persister.changed();
    }
    finish(answer);
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
    stats: () => structuredClone(stats),
    requests: () => [...recorded],
    configure,
    reset,
    snapshot: () => structuredClone(state),
    close: async () => {
      persister.flush();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function wrap(run: () => Answer): Answer {
  try {
    return run();
  } catch (error) {
    if (error instanceof HttpError) return { status: error.status, body: partnerFd(error.code, error.description) };
    throw error;
  }
}

function header(headers: http.IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
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
