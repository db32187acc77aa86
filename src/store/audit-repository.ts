// The audit trail. Append and read only: there is deliberately no update or delete here,
// and a database trigger refuses them too.
import type { Prisma } from "./database";
import { Prisma as PrismaNamespace } from "./generated/client";

export type AuditOutcome = "ok" | "refused" | "failed";

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

/**
 * The audit table's side of a statement that appends events along with other writes (one
 * statement, so both land or neither does): `auditEventsAsJson` gives the parameter, and
 * `insertAuditEventsFromJson` the INSERT reading it. Times go in as UTC ISO text, as Prisma
 * stores DateTime, whatever the server's time zone.
 */
export function auditEventsAsJson(events: readonly AuditEventInput[], now: Date): string {
  return JSON.stringify(
    events.map((e) => ({
      at: (e.at ?? now).toISOString(),
      actor: e.actor,
      action: e.action,
      outcome: e.outcome,
      c: e.caseId ?? null,
      t: e.tenantId ?? null,
      r: e.pcRequestId ?? null,
      d: e.detail ?? {},
    })),
  );
}

export function insertAuditEventsFromJson(param: string): string {
  return `INSERT INTO "AuditEvent" ("at", "actor", "action", "outcome", "caseId", "tenantId", "pcRequestId", "detail")
    SELECT a.at::timestamp(3), a.actor, a.action, a.outcome, a.c, a.t, a.r, a.d
    FROM jsonb_to_recordset(${param}::jsonb) AS a("at" text, actor text, action text, outcome text, c text, t text, r text, d jsonb)`;
}

export class AuditRepository {
  constructor(private readonly prisma: Prisma) {}

  async append(event: AuditEventInput): Promise<void> {
    await this.prisma.auditEvent.create({
      data: {
        actor: event.actor,
        action: event.action,
        outcome: event.outcome,
        caseId: event.caseId ?? null,
        tenantId: event.tenantId ?? null,
        pcRequestId: event.pcRequestId ?? null,
        detail: (event.detail ?? {}) as PrismaNamespace.InputJsonValue,
        ...(event.at ? { at: event.at } : {}),
      },
    });
  }

  async listByTenant(tenantId: string, limit = 50): Promise<AuditEvent[]> {
    return this.list({ tenantId }, limit);
  }

  async listByCase(caseId: string, limit = 200): Promise<AuditEvent[]> {
    return this.list({ caseId }, limit);
  }

  private async list(where: { tenantId?: string; caseId?: string }, limit: number): Promise<AuditEvent[]> {
    const rows = await this.prisma.auditEvent.findMany({ where, orderBy: [{ at: "asc" }, { id: "asc" }], take: limit });
    return rows.map((row) => ({
      id: row.id.toString(),
      at: row.at,
      actor: row.actor,
      action: row.action,
      outcome: row.outcome === "ok" || row.outcome === "refused" ? row.outcome : "failed",
      caseId: row.caseId,
      tenantId: row.tenantId,
      pcRequestId: row.pcRequestId,
      detail: toDetail(row.detail),
    }));
  }
}
