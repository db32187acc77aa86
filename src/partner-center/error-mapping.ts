// Turns a Partner Center error response into a PartnerCenterError a person can read. The status
// decides the kind; known PartnerFD codes only sharpen the message, because the code for some
// refusals (removal while a subscription is active) is undocumented.
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
    const code = typeof lower.code === "number" ? lower.code : typeof lower.code === "string" && /^\d+$/.test(lower.code) ? Number(lower.code) : undefined;
    const description = typeof lower.description === "string" ? lower.description : typeof lower.message === "string" ? lower.message : undefined;
    return { code, description };
  } catch {
    return text.trim() ? { description: text.trim().slice(0, 300) } : {};
  }
}

const STATUS_CHANGE_CODES = new Set([800012, 800040, 800091, 800096, 2011, 900115]);

export function mapErrorResponse(
  status: number,
  body: PartnerFdError,
  context: ErrorContext,
  trace: { requestId: string; correlationId: string },
): PartnerCenterError {
  const details = { status, code: body.code, ...trace };
  const said = body.description ? `: ${body.description}` : "";
  const customer = context.tenantId ? `customer ${context.tenantId}` : "the customer";
  const subject = context.subscriptionId
    ? `subscription ${context.subscriptionId}`
    : context.orderId
      ? `software purchase ${context.orderId}`
      : customer;
  const error = (kind: PartnerCenterErrorKind, message: string) => new PartnerCenterError(kind, message, details);

  if (status === 401) return error("auth", `Partner Center rejected our credentials (${context.operation})${said}`);
  if (status === 403 || body.code === 20002) return error("forbidden", `not authorised for this customer (${customer}): ${context.operation} refused${said}`);
  if (status === 404) return error("not_found", `${subject} not found${said}`);
  if (status === 412) return error("conflict", `${subject} changed since it was read (etag mismatch); read it again${said}`);
  if (context.operation === "remove reseller relationship" && (status === 400 || status === 409)) {
    if (body.code === 3000 && /relationship/i.test(body.description ?? "")) {
      return error("conflict", `${customer} has no reseller relationship with us (already removed?)${said}`);
    }
    return error("conflict", `the reseller relationship with ${customer} cannot be removed yet${said || ": something (an active subscription, reservation or software purchase) still blocks it"}`);
  }
  if (body.code === 3000 && /relationship/i.test(body.description ?? "")) return error("not_found", `${customer} not found (no relationship with this partner)${said}`);
  if (status === 409 || (body.code !== undefined && STATUS_CHANGE_CODES.has(body.code))) {
    return error("conflict", `${subject} cannot be changed now (${context.operation})${said}`);
  }
  if (status === 429) return error("throttled", `Partner Center kept throttling ${context.operation}${said}`);
  if (status >= 500) return error("unavailable", `Partner Center is unavailable (${context.operation}, HTTP ${status})${said}`);
  return error("invalid", `Partner Center refused ${context.operation} for ${subject} (HTTP ${status})${said}`);
}
