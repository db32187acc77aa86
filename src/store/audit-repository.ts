// The audit trail. Append and read only: there is deliberately no update or delete here,
// and a database trigger refuses them too.
import type { Prisma } from "./database";
import { Prisma as PrismaNamespace } from "./generated/client";

/** started: sent to Partner Center, its answer not recorded yet (the process may have died in between) */
export type AuditOutcome = "ok" | "refused" | "failed" | "started";
const OUTCOMES: ReadonlySet<string> = new Set<AuditOutcome>(["ok", "refused", "failed", "started"]);
const isOutcome = (value: string): value is AuditOutcome => OUTCOMES.has(value);

export interface AuditEventInput {
  actor: string;
  action: string;
  outcome: AuditOutcome;
  caseId?: string | null;
  tenantId?: string | null;
  pcRequestId?: string | null;
  detail?: Record<string, unknown>;
  at?: Date;
}

export interface AuditEvent extends Required<Omit<AuditEventInput, "detail">> {
  id: string;
  detail: Record<string, unknown>;
  at: Date;
}

function toDetail(value: unknown): Record<string, unknown> {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** An event as its row holds it; with neither `at` nor `now`, the database's default (now()) stamps it. */
function auditRow(event: AuditEventInput, now?: Date) {
  return {
    at: event.at ?? now,
    actor: event.actor,
    action: event.action,
    outcome: event.outcome,
    caseId: event.caseId ?? null,
    tenantId: event.tenantId ?? null,
    pcRequestId: event.pcRequestId ?? null,
    detail: (event.detail ?? {}) as PrismaNamespace.InputJsonValue,
  };
}

/**
 * Appends one event through the client given: a transaction's, so that the event lands with the
 * transaction's other writes or not at all.
 */
export async function appendAuditEvent(db: Pick<Prisma, "auditEvent">, event: AuditEventInput, now?: Date): Promise<void> {
  await db.auditEvent.create({ data: auditRow(event, now) });
}

/**
 * The audit table's side of a statement that appends events along with other writes (one
 * statement, so both land or neither does): `auditEventsAsJson` gives the parameter, and
 * `insertAuditEventsFromJson` the INSERT reading it. Times go in as UTC ISO text (a Date's JSON),
 * as Prisma stores DateTime, whatever the server's time zone.
 */
export function auditEventsAsJson(events: readonly AuditEventInput[], now: Date): string {
  return JSON.stringify(events.map((e) => auditRow(e, now)));
}

export function insertAuditEventsFromJson(param: string): string {
  return `INSERT INTO "AuditEvent" ("at", "actor", "action", "outcome", "caseId", "tenantId", "pcRequestId", "detail")
    SELECT a.at::timestamp(3), a.actor, a.action, a.outcome, a."caseId", a."tenantId", a."pcRequestId", a.detail
    FROM jsonb_to_recordset(${param}::jsonb) AS a("at" text, actor text, action text, outcome text, "caseId" text, "tenantId" text, "pcRequestId" text, detail jsonb)`;
}

export class AuditRepository {
  constructor(private readonly prisma: Prisma) {}

  async append(event: AuditEventInput): Promise<void> {
    await appendAuditEvent(this.prisma, event);
  }

  async listByTenant(tenantId: string, limit = 50): Promise<AuditEvent[]> {
    return this.list({ tenantId }, limit);
  }

  async listByCase(caseId: string, limit = 200): Promise<AuditEvent[]> {
    return this.list({ caseId }, limit);
  }

  /** The latest event of `action` on the case about one item (detail[field] = value), in the order appended. */
  async latestAbout(caseId: string, action: string, field: string, value: string): Promise<AuditEvent | null> {
    const row = await this.prisma.auditEvent.findFirst({ where: { caseId, action, detail: { path: [field], equals: value } }, orderBy: { id: "desc" } });
    return row ? toEvent(row) : null;
  }

  private async list(where: { tenantId?: string; caseId?: string }, limit: number): Promise<AuditEvent[]> {
    const rows = await this.prisma.auditEvent.findMany({ where, orderBy: [{ at: "asc" }, { id: "asc" }], take: limit });
    return rows.map(toEvent);
  }
}

type AuditRow = Awaited<ReturnType<Prisma["auditEvent"]["findFirstOrThrow"]>>;

function toEvent(row: AuditRow): AuditEvent {
  return {
    id: row.id.toString(),
    at: row.at,
    actor: row.actor,
    action: row.action,
    // fail closed: an outcome this version does not know reads as a failure
    outcome: isOutcome(row.outcome) ? row.outcome : "failed",
    caseId: row.caseId,
    tenantId: row.tenantId,
    pcRequestId: row.pcRequestId,
    detail: toDetail(row.detail),
  };
}
