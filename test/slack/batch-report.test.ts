// The requester's report of a batch names every customer in it, however long: 50 customers with
// long names and Partner Center's reasons go in several messages in order, none clipped away.
import { newBatch } from "../../src/domain";
import { batchReport, batchUpdate } from "../../src/slack/blocks/batch-messages";
import type { BatchMember } from "../../src/store";
import type { BatchView } from "../../src/workflow";
import { NOW } from "../domain/fixtures";

const HOUR = 3_600_000;

function member(i: number): BatchMember {
  return {
    batchId: "b1",
    tenantId: `tenant-${i}`,
    caseId: `case-${i}`,
    position: i,
    companyName: `Customer ${String(i).padStart(2, "0")} ${"Holdings ".repeat(14)}`,
    domain: `customer${i}.onmicrosoft.com`,
    cleanupClass: "ready",
    takenOut: i === 7,
    outcome: i % 2 === 0 ? "removed" : "not_removed",
    outcomeReason: i % 2 === 0 ? null : `Partner Center refused: ${"the subscription is still active and cannot be removed now; ".repeat(6)}`,
    suspended: [],
    suspending: [],
  };
}

test("a batch of 50 with long names and reasons is reported whole, in messages Slack takes", () => {
  const batch = { ...newBatch({ id: "b1", requestedBy: "U_REQUESTER", now: NOW, approvalTtlMs: 24 * HOUR, justification: "contracts ended", scanJobId: "scan-1" }), state: "done" as const, decidedBy: "U_APPROVER", approvalMessage: null, finishedAt: NOW };
  const view: BatchView = { batch, members: Array.from({ length: 50 }, (_, i) => member(i)), gdapEnabled: false, scanGdap: new Map() };
  const parts = batchReport(view);
  expect(parts.length).toBeGreaterThan(1);
  for (const part of parts) expect(part.length).toBeLessThanOrEqual(2_900);
  expect(parts[0]).toMatch(/^Your batch removal request: /);
  for (const part of parts.slice(1)) expect(part).toMatch(/^\(continued\)\n/);
  const all = parts.join("\n");
  for (let i = 0; i < 50; i += 1) {
    const name = `Customer ${String(i).padStart(2, "0")} `;
    // the one taken out before approval is not reported; every other one is, once
    expect(all.split(name).length - 1).toBe(i === 7 ? 0 : 1);
  }
});

test("an update after the report names only the customer whose outcome changed, with the batch's new tally", () => {
  const batch = { ...newBatch({ id: "b1", requestedBy: "U_REQUESTER", now: NOW, approvalTtlMs: 24 * HOUR, justification: "contracts ended", scanJobId: "scan-1" }), state: "done" as const, decidedBy: "U_APPROVER", approvalMessage: null, finishedAt: NOW };
  const view: BatchView = { batch, members: Array.from({ length: 50 }, (_, i) => member(i)), gdapEnabled: false, scanGdap: new Map() };
  const parts = batchUpdate(view, "TENANT-3");
  expect(parts).toHaveLength(1);
  expect(parts[0]).toMatch(/^Update on your batch removal request/);
  expect(parts[0]).toContain("Customer 03 ");
  expect(parts[0]).not.toContain("Customer 04 ");
});
