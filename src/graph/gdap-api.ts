// What the workflow asks of Microsoft Graph about GDAP relationships, in domain terms. The Graph
// client implements it; the workflow never sees HTTP, OData paging or etags' quoting.
import type { GdapRelationship } from "../domain/gdap";

/** Ids of one call, for the audit: the client-request-id we sent and Graph's own request-id. */
export interface GraphTrace {
  clientRequestId: string;
  /** Graph's request-id response header (or innerError's); null when no answer carried one */
  requestId: string | null;
}

export interface GraphTraced<T> extends GraphTrace {
  value: T;
}

export interface GraphCallOptions {
  /** client-request-id to send; a resumed job passes the one it stored, so its logs line up */
  clientRequestId?: string;
}

export type GdapRequestStatus = "created" | "pending" | "succeeded" | "failed" | "unknown";

/** A delegatedAdminRelationshipRequest: what Graph made of one terminate request. */
export interface GdapRequest {
  id: string;
  action: string;
  /** Graph's request status; "unknown" for a value it does not document */
  status: GdapRequestStatus;
  rawStatus: string;
  createdAt: Date | null;
}

export interface GdapRead {
  /** null when Graph answers 404: the relationship is gone */
  relationship: GdapRelationship | null;
  /** false when the polling bound was reached while the status was still moving */
  settled: boolean;
  reads: number;
}

export interface GdapApi {
  /** every relationship Graph lists for the customer, all pages followed */
  listRelationships(customerTenantId: string): Promise<GdapRelationship[]>;
  getRelationship(relationshipId: string, options?: GraphCallOptions): Promise<GraphTraced<GdapRelationship>>;
  /** the relationship's requests (terminate and others), for deciding whether a terminate already landed */
  listRequests(relationshipId: string): Promise<GdapRequest[]>;
  /** POST …/requests {"action":"terminate"}; a retry after a lost answer returns the request that landed instead of sending a second */
  terminateRelationship(relationshipId: string, options?: GraphCallOptions): Promise<GraphTraced<GdapRequest>>;
  /** DELETE with If-Match; only Graph's status `created` allows it. alreadyGone when Graph answered 404 */
  deleteRelationship(relationship: Pick<GdapRelationship, "id" | "etag">, options?: GraphCallOptions): Promise<GraphTraced<{ alreadyGone: boolean }>>;
  /** reads until the status stops moving (or is gone), bounded by the client's polling settings */
  readUntilSettled(relationshipId: string, options?: { intervalMs?: number; maxWaitMs?: number }): Promise<GraphTraced<GdapRead>>;
  /** cheap call for readiness checks */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export type GraphErrorKind =
  | "auth"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "precondition_failed"
  | "refused"
  | "throttled"
  | "unavailable"
  | "unexpected_response"
  | "invalid_input";

export interface GraphErrorDetails {
  status?: number | undefined;
  /** error.code from Graph's body */
  code?: string | undefined;
  /** error.message from Graph's body: Graph's own words, shown to the operator as they are */
  graphMessage?: string | undefined;
  clientRequestId?: string | undefined;
  requestId?: string | undefined;
  /** innerError.date */
  date?: string | undefined;
  /** a write that may or may not have been applied (5xx or no answer to a POST) */
  ambiguous?: boolean | undefined;
}

/** A Graph failure a person can read; `kind` decides what the workflow does next. */
export class GraphError extends Error {
  override name = "GraphError";
  constructor(
    readonly kind: GraphErrorKind,
    message: string,
    readonly details: GraphErrorDetails = {},
  ) {
    super(message);
  }
}
