// The Graph stand-in's world: the partner's GDAP relationships and Graph's rules for changing
// them. A terminate request moves a relationship to terminationRequested, and after its
// termination time to terminated; only a relationship in status created may be deleted, and only
// with its current etag. Time moves lazily: every read first applies what is due.
import { randomUUID } from "node:crypto";

export interface GdapStandInRequest {
  id: string;
  action: string;
  status: "created" | "pending" | "succeeded" | "failed";
  createdDateTime: string;
  lastModifiedDateTime: string;
}

export interface GdapStandInRelationship {
  id: string;
  displayName: string;
  /** Graph's status; a control may set one Graph does not document, to test failing closed */
  status: string;
  customer: { tenantId: string; displayName: string };
  partnerTenantId: string;
  roleIds: string[];
  duration: string;
  autoExtendDuration: string;
  createdDateTime: string;
  lastModifiedDateTime: string;
  activatedDateTime: string | null;
  endDateTime: string | null;
  etag: string;
  requests: GdapStandInRequest[];
  /** how long this one's termination stays requested (default: the world's terminationMs) */
  terminationTakesMs?: number | undefined;
  /** epoch ms of the accepted terminate request */
  terminationRequestedAt?: number | undefined;
}

/** Graph's answer when it will not do what was asked. */
export interface GraphRefusal {
  status: number;
  code: string;
  message: string;
}

export type WorldResult<T> = { ok: true; value: T } | { ok: false; refusal: GraphRefusal };

const ok = <T>(value: T): WorldResult<T> => ({ ok: true, value });
const refuse = (status: number, code: string, message: string): WorldResult<never> => ({ ok: false, refusal: { status, code, message } });
const NOT_FOUND = refuse(404, "ResourceNotFound", "The requested delegated admin relationship does not exist.");

const TERMINABLE = new Set(["active", "expiring", "approvalPending"]);
const ACTIVATING = new Set(["approved", "activating"]);

export interface GdapWorldOptions {
  now: () => number;
  /** default time a termination stays requested before it shows terminated */
  terminationMs: () => number;
}

export class GdapWorld {
  private readonly byId = new Map<string, GdapStandInRelationship>();
  /** refusals queued per relationship for its next terminate requests */
  private readonly refusals = new Map<string, GraphRefusal[]>();

  constructor(private readonly options: GdapWorldOptions) {}

  load(relationships: GdapStandInRelationship[]): void {
    this.byId.clear();
    this.refusals.clear();
    for (const r of relationships) this.byId.set(r.id, structuredClone(r));
  }

  all(): GdapStandInRelationship[] {
    this.advance();
    return [...this.byId.values()].map((r) => structuredClone(r));
  }

  get(id: string): WorldResult<GdapStandInRelationship> {
    this.advance();
    const found = this.byId.get(id);
    return found ? ok(structuredClone(found)) : NOT_FOUND;
  }

  add(relationship: GdapStandInRelationship): void {
    this.byId.set(relationship.id, structuredClone(relationship));
  }

  /** forces a status (an undocumented one included); the etag changes as on any change */
  setStatus(id: string, status: string): void {
    const found = this.mustFind(id);
    found.status = status;
    this.touch(found);
  }

  /** the next `times` terminate requests for this relationship are refused with this answer */
  refuseTermination(id: string, refusal: GraphRefusal, times: number): void {
    this.mustFind(id);
    this.refusals.set(id, [...(this.refusals.get(id) ?? []), ...Array.from({ length: times }, () => refusal)]);
  }

  requestAction(id: string, action: string): WorldResult<GdapStandInRequest> {
    this.advance();
    const found = this.byId.get(id);
    if (!found) return NOT_FOUND;
    if (action === "lockForApproval") {
      if (found.status !== "created") return refuse(400, "BadRequest", `A relationship in status '${found.status}' cannot be locked for approval.`);
      found.status = "approvalPending";
      return ok(this.record(found, action, "succeeded"));
    }
    if (action !== "terminate") return refuse(400, "BadRequest", `The action '${action}' is not supported.`);
    const queued = this.refusals.get(id);
    const refusal = queued?.shift();
    if (refusal) return { ok: false, refusal };
    if (found.status === "created") return refuse(400, "BadRequest", "A relationship in status 'created' cannot be terminated; delete it instead.");
    if (ACTIVATING.has(found.status)) return refuse(409, "Conflict", `The relationship is being activated (status '${found.status}'); try again once it is active.`);
    if (!TERMINABLE.has(found.status)) return refuse(400, "BadRequest", `A terminate request is not allowed for a relationship in status '${found.status}'.`);
    found.status = "terminationRequested";
    found.terminationRequestedAt = this.options.now();
    return ok(this.record(found, action, "created"));
  }

  requests(id: string): WorldResult<GdapStandInRequest[]> {
    const found = this.get(id);
    return found.ok ? ok(found.value.requests) : found;
  }

  delete(id: string, ifMatch: string | undefined): WorldResult<null> {
    this.advance();
    const found = this.byId.get(id);
    if (!found) return NOT_FOUND;
    if (!ifMatch) return refuse(400, "BadRequest", "The If-Match header is required to delete a delegated admin relationship.");
    if (ifMatch !== found.etag) return refuse(412, "PreconditionFailed", "The ETag in the If-Match header does not match the relationship's current ETag.");
    if (found.status !== "created") return refuse(400, "BadRequest", "A relationship can only be deleted if it's in the 'created' status.");
    this.byId.delete(id);
    return ok(null);
  }

  /** applies what time has made due: requested terminations that have run their course */
  private advance(): void {
    const now = this.options.now();
    for (const r of this.byId.values()) {
      if (r.status !== "terminationRequested" || r.terminationRequestedAt === undefined) continue;
      if (now < r.terminationRequestedAt + (r.terminationTakesMs ?? this.options.terminationMs())) continue;
      r.status = "terminated";
      r.endDateTime = new Date(now).toISOString();
      for (const request of r.requests) {
        if (request.action === "terminate" && (request.status === "created" || request.status === "pending")) {
          request.status = "succeeded";
          request.lastModifiedDateTime = r.endDateTime;
        }
      }
      this.touch(r);
    }
  }

  private record(found: GdapStandInRelationship, action: string, status: GdapStandInRequest["status"]): GdapStandInRequest {
    const at = new Date(this.options.now()).toISOString();
    const request: GdapStandInRequest = { id: randomUUID(), action, status, createdDateTime: at, lastModifiedDateTime: at };
    found.requests.push(request);
    this.touch(found);
    return structuredClone(request);
  }

  private touch(found: GdapStandInRelationship): void {
    found.lastModifiedDateTime = new Date(this.options.now()).toISOString();
    found.etag = `W/"${Buffer.from(`'"${randomUUID()}"'`).toString("base64")}"`;
  }

  private mustFind(id: string): GdapStandInRelationship {
    const found = this.byId.get(id);
    if (!found) throw new Error(`no GDAP relationship ${id} in the stand-in`);
    return found;
  }
}
