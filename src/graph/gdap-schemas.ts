// What Graph answers about delegatedAdminRelationships, validated at the edge and mapped to domain
// types. Statuses are kept as Graph's words: recognising them is the domain's job, so an unknown
// one is reported rather than failing the whole read.
import { z } from "zod";
import type { GdapRelationship } from "../domain/gdap";
import type { GdapRequest, GdapRequestStatus } from "./gdap-api";

const dateText = z.string().transform((value, ctx) => {
  const time = Date.parse(value);
  if (Number.isNaN(time)) {
    ctx.issues.push({ code: "custom", message: `not a date: ${JSON.stringify(value.slice(0, 40))}`, input: value });
    return z.NEVER;
  }
  return new Date(time);
});

export const relationshipSchema = z.object({
  "@odata.etag": z.string().nullish(),
  id: z.string().min(1),
  displayName: z.string().nullish(),
  status: z.string().min(1),
  duration: z.string().nullish(),
  createdDateTime: dateText.nullish(),
  activatedDateTime: dateText.nullish(),
  endDateTime: dateText.nullish(),
  customer: z.object({ tenantId: z.string().nullish(), displayName: z.string().nullish() }).nullish(),
  accessDetails: z.object({ unifiedRoles: z.array(z.object({ roleDefinitionId: z.string() })).nullish() }).nullish(),
});

export function collectionSchema<T extends z.ZodType>(item: T) {
  return z.object({ "@odata.nextLink": z.string().nullish(), value: z.array(item) });
}

export const requestSchema = z.object({
  id: z.string().min(1),
  action: z.string(),
  status: z.string(),
  createdDateTime: dateText.nullish(),
});

/** Graph's error body; innerError is spelled both ways in the wild. */
export const errorBodySchema = z.object({
  error: z.object({
    code: z.string().nullish(),
    message: z.string().nullish(),
    innerError: z.record(z.string(), z.unknown()).nullish(),
    innererror: z.record(z.string(), z.unknown()).nullish(),
  }),
});

export function toRelationship(raw: z.infer<typeof relationshipSchema>): GdapRelationship {
  return {
    id: raw.id,
    displayName: raw.displayName ?? raw.id,
    status: raw.status,
    customerTenantId: raw.customer?.tenantId ?? "",
    customerName: raw.customer?.displayName ?? null,
    roleIds: (raw.accessDetails?.unifiedRoles ?? []).map((r) => r.roleDefinitionId),
    duration: raw.duration ?? null,
    createdAt: raw.createdDateTime ?? null,
    activatedAt: raw.activatedDateTime ?? null,
    endsAt: raw.endDateTime ?? null,
    etag: raw["@odata.etag"] ?? null,
  };
}

const REQUEST_STATUSES: readonly GdapRequestStatus[] = ["created", "pending", "succeeded", "failed"];

export function toRequest(raw: z.infer<typeof requestSchema>): GdapRequest {
  const lower = raw.status.toLowerCase();
  const status = REQUEST_STATUSES.find((s) => s === lower) ?? "unknown";
  return { id: raw.id, action: raw.action, status, rawStatus: raw.status, createdAt: raw.createdDateTime ?? null };
}

export interface GraphErrorBody {
  code?: string | undefined;
  message?: string | undefined;
  requestId?: string | undefined;
  date?: string | undefined;
}

/** Reads {error:{code,message,innerError}}; a body that is not one keeps its text as the message. */
export function readGraphErrorBody(text: string): GraphErrorBody {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return text.trim() ? { message: text.trim().slice(0, 300) } : {};
  }
  const parsed = errorBodySchema.safeParse(json);
  if (!parsed.success) return {};
  const { code, message, innerError, innererror } = parsed.data.error;
  const inner = innerError ?? innererror ?? {};
  const innerText = (key: string) => (typeof inner[key] === "string" ? inner[key] : undefined);
  return { code: code ?? undefined, message: message ?? undefined, requestId: innerText("request-id"), date: innerText("date") };
}
