// The JSON the Graph stand-in answers with, in Graph v1.0's shapes: a relationship with
// @odata.etag and unifiedRoles, a relationship request, and Graph's error body whose innerError
// carries the request-id and date.
import type { GdapStandInRelationship, GdapStandInRequest } from "./gdap-world";

export const CONTENT_TYPE = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";

/** Graph's request-id for this answer and the caller's client-request-id. */
export interface Ids {
  requestId: string;
  clientRequestId: string | undefined;
}

/** An answer before serialisation; no body for 204. */
export interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export function errorAnswer(status: number, code: string, message: string, ids: Ids, now: number, headers: Record<string, string> = {}): Answer {
  // Graph writes innerError.date without fractional seconds or zone
  const innerError = { date: new Date(now).toISOString().replace(/\.\d+Z$/, ""), "request-id": ids.requestId, "client-request-id": ids.clientRequestId ?? ids.requestId };
  return { status, body: { error: { code, message, innerError } }, headers };
}

export function relationshipJson(r: GdapStandInRelationship) {
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

export function requestJson(q: GdapStandInRequest) {
  return { "@odata.type": "#microsoft.graph.delegatedAdminRelationshipRequest", ...q };
}
