// Turns a Partner Center error response into a PartnerCenterError a person can read. A 403 is
// not always "not authorised": 20002 means the relationship is gone and 900115 that an Azure
// plan still has active Azure subscriptions. Otherwise the status decides the kind; the code for
// some refusals (removal while something is active) is undocumented, so it never decides alone.
import { PartnerCenterError, type PartnerCenterErrorKind } from "./partner-center-api";

/** What the call was about, so the message can name it. */
export interface ErrorContext {
  operation: string;
  tenantId?: string | undefined;
  subscriptionId?: string | undefined;
  orderId?: string | undefined;
}

export interface PartnerFdError {
  code?: number | undefined;
  description?: string | undefined;
}

/** Reads {code, description} from a PartnerFD body, or {statusCode, message} from a throttling body. */
export function readErrorBody(text: string): PartnerFdError {
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed === null || typeof parsed !== "object") return {};
    const lower = Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k.toLowerCase(), v]));
    const code = typeof lower.code === "number" ? lower.code : typeof lower.code === "string" && /^\d+$/.test(lower.code.trim()) ? Number(lower.code) : undefined;
    const description = typeof lower.description === "string" ? lower.description : typeof lower.message === "string" ? lower.message : undefined;
    return { code, description };
  } catch {
    return text.trim() ? { description: text.trim().slice(0, 300) } : {};
  }
}

export const NO_RELATIONSHIP_CODE = 20002;
export const AZURE_PLAN_ACTIVE_CODE = 900115;
const STATUS_CHANGE_CODES = new Set([800012, 800040, 800091, 800096, 2011]);

export const NO_RELATIONSHIP_TEXT = "there is no reseller relationship with this customer any more";

export function mapErrorResponse(
  status: number,
  body: PartnerFdError,
  context: ErrorContext,
  trace: { requestId: string; correlationId: string },
): PartnerCenterError {
  const details = { status, code: body.code, description: body.description, ...trace };
  const said = body.description ? `: ${body.description}` : "";
  const customer = context.tenantId ? `customer ${context.tenantId}` : "the customer";
  const subject = context.subscriptionId
    ? `subscription ${context.subscriptionId}`
    : context.orderId
      ? `software purchase ${context.orderId}`
      : customer;
  const error = (kind: PartnerCenterErrorKind, message: string) => new PartnerCenterError(kind, message, details);
  // 3000 is both "invalid property" and "relationship does not exist" (DOMAIN.md), and no page shows
  // which read answers it: one naming the relationship is checked against a read of the customer
  // (customer-snapshot.ts) before a case is ended on its word; 20002 is the documented answer
  const relationshipNamed = body.code === 3000 && /relationship/i.test(body.description ?? "");

  if (status === 401) return error("auth", `Partner Center rejected our credentials (${context.operation})${said}`);
  if (body.code === NO_RELATIONSHIP_CODE) return error("no_relationship", `${capitalise(NO_RELATIONSHIP_TEXT)} (${customer})${said}`);
  if (relationshipNamed) return error("relationship_unconfirmed", `Partner Center answered that the relationship does not exist (${context.operation}, ${customer})${said}`);
  if (body.code === AZURE_PLAN_ACTIVE_CODE) return error("azure_plan_active", `Partner Center will not suspend the Azure plan while any of its Azure subscriptions is active or a reservation is live${said}`);
  if (status === 403) return error("forbidden", `Partner Center does not let our account ${context.operation} for ${customer}${said}`);
  if (status === 404) return error("not_found", `${subject} not found${said}`);
  if (status === 412) return error("conflict", `${subject} changed since it was read (etag mismatch); read it again${said}`);
  if (context.operation === "remove reseller relationship" && (status === 400 || status === 409)) {
    return error("conflict", `Partner Center refused to remove the reseller relationship${said || ": something (an active subscription, reservation or software purchase) still blocks it"}`);
  }
  if (status === 409 || (body.code !== undefined && STATUS_CHANGE_CODES.has(body.code))) {
    return error("conflict", `${subject} cannot be changed now (${context.operation})${said}`);
  }
  if (status === 429) return error("throttled", `Partner Center kept throttling ${context.operation}${said}`);
  if (status >= 500) return error("unavailable", `Partner Center is unavailable (${context.operation}, HTTP ${status})${said}`);
  return error("invalid", `Partner Center refused ${context.operation} for ${subject} (HTTP ${status})${said}`);
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
