// Removal cases and their approval decisions. Writes are conditional on the version the caller
// read, so two instances (or two clicks) cannot both move the same case.
import { type CaseState, CASE_STATES, type RemovalCase, isActive } from "../domain";
import type { Prisma } from "./database";
import { isUniqueViolation } from "./database";
import type { RemovalCase as CaseRow } from "./generated/client";

export interface MessageRef {
  channelId: string;
  ts: string;
}

export interface StoredCase extends RemovalCase {
  caseMessage: MessageRef | null;
  approvalMessage: MessageRef | null;
  /** the batch request this case was requested in; null when requested on its own */
  batchId: string | null;
}

export class CaseAlreadyActiveError extends Error {
  override name = "CaseAlreadyActiveError";
}

function toState(value: string): CaseState {
  const state = CASE_STATES.find((candidate) => candidate === value);
  if (!state) throw new Error(`unknown case state in the database: ${value}`);
  return state;
}

function toCase(row: CaseRow): StoredCase {
  return {
    id: row.id,
    tenantId: row.tenantId,
    companyName: row.companyName,
    domain: row.domain,
    state: toState(row.state),
    openedBy: row.openedBy,
    openedAt: row.openedAt,
    requestedBy: row.requestedBy,
    requestedAt: row.requestedAt,
    expiresAt: row.expiresAt,
    decidedBy: row.decidedBy,
    decidedAt: row.decidedAt,
    justification: row.justification,
    rejectReason: row.rejectReason,
    failureReason: row.failureReason,
    removedAt: row.removedAt,
    remindedAt: row.remindedAt,
    version: row.version,
    caseMessage: row.caseChannelId && row.caseMessageTs ? { channelId: row.caseChannelId, ts: row.caseMessageTs } : null,
    approvalMessage:
      row.approvalChannelId && row.approvalMessageTs ? { channelId: row.approvalChannelId, ts: row.approvalMessageTs } : null,
    batchId: row.batchId,
  };
}

function caseColumns(c: RemovalCase) {
  return {
    state: c.state,
    requestedBy: c.requestedBy,
    requestedAt: c.requestedAt,
    expiresAt: c.expiresAt,
    decidedBy: c.decidedBy,
    decidedAt: c.decidedAt,
    justification: c.justification,
    rejectReason: c.rejectReason,
    failureReason: c.failureReason,
    removedAt: c.removedAt,
    remindedAt: c.remindedAt,
    activeTenantId: isActive(c.state) ? c.tenantId : null,
    version: c.version,
  };
}

export interface ApprovalDecision {
  decidedBy: string;
  decision: "approved" | "rejected";
  reason: string | null;
  decidedAt: Date;
}

export class CaseRepository {
  constructor(private readonly prisma: Prisma) {}

  /** Inserts a new case; refuses a second active case for the same customer. */
  async create(c: RemovalCase): Promise<StoredCase> {
    try {
      const row = await this.prisma.removalCase.create({
        data: {
          id: c.id,
          tenantId: c.tenantId,
          companyName: c.companyName,
          domain: c.domain,
          openedBy: c.openedBy,
          openedAt: c.openedAt,
          ...caseColumns(c),
        },
      });
      return toCase(row);
    } catch (error) {
      if (isUniqueViolation(error)) throw new CaseAlreadyActiveError(`A case for ${c.companyName} is already open.`);
      throw error;
    }
  }

  async get(id: string): Promise<StoredCase | null> {
    const row = await this.prisma.removalCase.findUnique({ where: { id } });
    return row ? toCase(row) : null;
  }

  async findActiveByTenant(tenantId: string): Promise<StoredCase | null> {
    const row = await this.prisma.removalCase.findUnique({ where: { activeTenantId: tenantId } });
    return row ? toCase(row) : null;
  }

  async listActive(limit = 50): Promise<StoredCase[]> {
    const rows = await this.prisma.removalCase.findMany({
      where: { activeTenantId: { not: null } },
      orderBy: { openedAt: "desc" },
      take: limit,
    });
    return rows.map(toCase);
  }

  async listByTenant(tenantId: string, limit = 20): Promise<StoredCase[]> {
    const rows = await this.prisma.removalCase.findMany({ where: { tenantId }, orderBy: { openedAt: "desc" }, take: limit });
    return rows.map(toCase);
  }

  /** Awaiting-approval cases expiring before `before` whose approvers have not been reminded. */
  async listUnreminded(before: Date, limit = 100): Promise<StoredCase[]> {
    const rows = await this.prisma.removalCase.findMany({
      where: { state: "awaiting_approval", remindedAt: null, expiresAt: { lt: before } },
      take: limit,
    });
    return rows.map(toCase);
  }

  /** Marks the pending request as reminded, once: false if it was already (or is no longer pending). */
  async markReminded(id: string, requestedAt: Date, at: Date): Promise<boolean> {
    const result = await this.prisma.removalCase.updateMany({
      where: { id, state: "awaiting_approval", requestedAt, remindedAt: null },
      data: { remindedAt: at },
    });
    return result.count === 1;
  }

  /** Awaiting-approval cases whose window has passed. */
  async listExpired(now: Date, limit = 100): Promise<StoredCase[]> {
    const rows = await this.prisma.removalCase.findMany({
      where: { state: "awaiting_approval", expiresAt: { lt: now } },
      take: limit,
    });
    return rows.map(toCase);
  }

  /**
   * Writes the next state of a case if nobody else moved it since `next.version - 1`;
   * returns false when someone did (the caller re-reads and tells the user what happened).
   */
  async saveTransition(next: RemovalCase, decision?: ApprovalDecision, approvalMessage?: MessageRef): Promise<boolean> {
    const expectedVersion = next.version - 1;
    // a removal request is saved with the approval message already posted for it, in one write
    const message = approvalMessage ? { approvalChannelId: approvalMessage.channelId, approvalMessageTs: approvalMessage.ts } : {};
    return this.prisma.$transaction(async (tx) => {
      const updated = await tx.removalCase.updateMany({
        where: { id: next.id, version: expectedVersion },
        data: { ...caseColumns(next), ...message },
      });
      if (updated.count !== 1) return false;
      if (decision) {
        await tx.approval.upsert({
          where: { caseId: next.id },
          create: { caseId: next.id, ...decision },
          update: decision,
        });
      }
      return true;
    });
  }

  /**
   * Points the case at a new case message only if it still points where the caller saw it: two
   * requests that each post a message for the same case must not both win. False if it had moved.
   */
  async replaceCaseMessage(id: string, seen: MessageRef | null, ref: MessageRef): Promise<boolean> {
    const result = await this.prisma.removalCase.updateMany({
      where: { id, caseChannelId: seen?.channelId ?? null, caseMessageTs: seen?.ts ?? null },
      data: { caseChannelId: ref.channelId, caseMessageTs: ref.ts },
    });
    return result.count === 1;
  }

  async setApprovalMessage(id: string, ref: MessageRef): Promise<void> {
    await this.prisma.removalCase.update({ where: { id }, data: { approvalChannelId: ref.channelId, approvalMessageTs: ref.ts } });
  }

  async getDecision(caseId: string): Promise<ApprovalDecision | null> {
    const row = await this.prisma.approval.findUnique({ where: { caseId } });
    if (!row) return null;
    return {
      decidedBy: row.decidedBy,
      decision: row.decision === "approved" ? "approved" : "rejected",
      reason: row.reason,
      decidedAt: row.decidedAt,
    };
  }
}
