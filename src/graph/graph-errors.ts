// Turns a Graph error response into a GraphError a person can read. The status decides the kind;
// Graph's own message is kept apart (graphMessage) so the case can quote it as Graph said it.
import { GraphError, type GraphErrorKind, type GraphTrace } from "./gdap-api";
import type { GraphErrorBody } from "./gdap-schemas";

/** What the call was about, so the message can name it. */
export interface GraphErrorContext {
  operation: string;
  relationshipId?: string | undefined;
  customerTenantId?: string | undefined;
}

export function mapGraphError(status: number, body: GraphErrorBody, context: GraphErrorContext, trace: GraphTrace): GraphError {
  const details = {
    status,
    code: body.code,
    graphMessage: body.message,
    clientRequestId: trace.clientRequestId,
    requestId: trace.requestId ?? body.requestId,
    date: body.date,
  };
  const said = body.message ? `: ${body.message}` : "";
  const subject = context.relationshipId ? `GDAP relationship ${context.relationshipId}` : context.customerTenantId ? `the GDAP relationships of ${context.customerTenantId}` : "GDAP relationships";
  const error = (kind: GraphErrorKind, message: string) => new GraphError(kind, message, details);

  if (status === 401) return error("auth", `Microsoft Graph rejected our credentials (${context.operation})${said}`);
  if (status === 403) {
    // a refusal of one relationship comes as 403 too; the permission is named only as the thing to check
    return error("forbidden", `Microsoft Graph did not allow ${context.operation} for ${subject} (if it refuses every call, check the app's DelegatedAdminRelationship.ReadWrite.All permission)${said}`);
  }
  if (status === 404) return error("not_found", `${subject} not found${said}`);
  if (status === 412) return error("precondition_failed", `${subject} changed since it was read (etag mismatch); read it again${said}`);
  if (status === 409) return error("conflict", `${subject} cannot be changed now (${context.operation})${said}`);
  if (status === 429) return error("throttled", `Microsoft Graph kept throttling ${context.operation}${said}`);
  if (status >= 500) return error("unavailable", `Microsoft Graph is unavailable (${context.operation}, HTTP ${status})${said}`);
  return error("refused", `Microsoft Graph refused ${context.operation} for ${subject} (HTTP ${status})${said}`);
}
