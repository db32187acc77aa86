// A batch removal request in Slack: the modal that asks which customers and why, the approval
// card listing them (chunked to Slack's 3,000 characters a section and 50 blocks a message, names
// escaped), its Take out… and Reject modals, and the per-customer report for the requester.
import { BATCH_MAX, type BatchOutcome, type BatchState, GDAP_REMINDER, JUSTIFICATION_MAX, REJECT_REASON_MAX, REMOVAL_CONSEQUENCES, type ScanGdap, scanGdapWords } from "../../domain";
import type { BatchMember } from "../../store";
import type { BatchCandidates, BatchView } from "../../workflow";
import {
  ACTIONS,
  BATCH_CUSTOMERS_BLOCK,
  BATCH_CUSTOMERS_INPUT,
  BATCH_MODAL,
  BATCH_REJECT_MODAL,
  BATCH_TAKE_OUT_MODAL,
  JUSTIFICATION_BLOCK,
  JUSTIFICATION_INPUT,
  REJECT_REASON_BLOCK,
  REJECT_REASON_INPUT,
  encodeValue,
} from "../slack-inputs";
import { type Block, type CheckboxOption, actions, button, clip, confirm, context, fitBlocks, header, outside, plain, section, slackDate } from "./block-kit";
import { gdapChoiceBox } from "./gdap-blocks";

const SECTION_CHARS = 2900;
const GDAP_BATCH_TEXT =
  "Removing the reseller relationship does not end GDAP relationships. Ticked below, each removed customer's are ended once Partner Center confirms its removal, exactly as for a single request (active and pending ones terminated, never-sent ones deleted, each read back from Microsoft Graph).";
const OPTIONS_PER_GROUP = 100;

const title = (text: string) => ({ type: "plain_text" as const, text: clip(text, 24) });
const CLASS_WORDS = { ready: "ready", suspend_only: "suspend-only" } as const;
const classWord = (c: string) => (c === "ready" || c === "suspend_only" ? CLASS_WORDS[c] : c);

/** Lines packed into sections of at most SECTION_CHARS characters each. */
export function chunkLines(lines: readonly string[], max = SECTION_CHARS): string[] {
  const chunks: string[] = [];
  let current = "";
  for (const line of lines) {
    const piece = clip(line, max);
    if (current && current.length + 1 + piece.length > max) {
      chunks.push(current);
      current = "";
    }
    current = current ? `${current}\n${piece}` : piece;
  }
  if (current) chunks.push(current);
  return chunks;
}

function option(c: { tenantId: string; companyName: string; domain: string }): CheckboxOption {
  return { text: plain(`${c.companyName} (${c.domain})`, 75), value: c.tenantId };
}

function multiSelect(label: string, groups: Array<{ label: string; members: Array<{ tenantId: string; companyName: string; domain: string }> }>, max: number): Block {
  const used = groups.filter((g) => g.members.length > 0).map((g) => ({ label: plain(g.label, 75), options: g.members.slice(0, OPTIONS_PER_GROUP).map(option) }));
  return {
    type: "input",
    block_id: BATCH_CUSTOMERS_BLOCK,
    label: plain(label, 2000),
    element: { type: "multi_static_select", action_id: BATCH_CUSTOMERS_INPUT, placeholder: plain("Choose customers", 150), max_selected_items: max, option_groups: used },
  };
}

function justificationInput(blockId: string, actionId: string, label: string, max: number): Block {
  return { type: "input", block_id: blockId, label: plain(label, 2000), element: { type: "plain_text_input", action_id: actionId, multiline: true, min_length: 3, max_length: max } };
}

/** Opened at once from the button; its options come once the latest scan is read. */
export function loadingModal(heading: string): { type: "modal"; title: ReturnType<typeof title>; close: ReturnType<typeof title>; blocks: Block[] } {
  return { type: "modal", title: title(heading), close: title("Close"), blocks: [section("Reading the latest portfolio scan…")] };
}

export function batchRequestModal(candidates: BatchCandidates) {
  const ready = candidates.customers.filter((c) => c.cleanupClass === "ready");
  const suspendOnly = candidates.customers.filter((c) => c.cleanupClass === "suspend_only");
  return {
    type: "modal" as const,
    callback_id: BATCH_MODAL,
    private_metadata: encodeValue({}),
    title: title("Request batch removal"),
    submit: title("Send to approvers"),
    close: title("Back"),
    blocks: [
      section(`Ask an approver to remove the reseller relationship with up to ${BATCH_MAX} customers of the latest scan at once. Each is checked live in Partner Center before anything is changed; suspend-only customers have their legacy subscriptions suspended first.`),
      multiSelect("Customers", [
        { label: `Ready (${ready.length})`, members: ready },
        { label: `Suspend-only (${suspendOnly.length})`, members: suspendOnly },
      ], BATCH_MAX),
      justificationInput(JUSTIFICATION_BLOCK, JUSTIFICATION_INPUT, "Why should these customers be removed?", JUSTIFICATION_MAX),
      context("Approvers see this on the request, and it is kept in each customer's audit trail."),
    ],
  };
}

export function takeOutModal(view: BatchView) {
  const waiting = view.members.filter((m) => !m.takenOut);
  return {
    type: "modal" as const,
    callback_id: BATCH_TAKE_OUT_MODAL,
    private_metadata: encodeValue({ b: view.batch.id }),
    title: title("Take out of batch"),
    submit: title("Take out"),
    close: title("Back"),
    blocks: [multiSelect("Customers to take out (their cases are closed, nothing removed)", [{ label: "In this batch", members: waiting }], waiting.length)],
  };
}

export function batchRejectModal(batchId: string) {
  return {
    type: "modal" as const,
    callback_id: BATCH_REJECT_MODAL,
    private_metadata: encodeValue({ b: batchId }),
    title: title("Reject batch"),
    submit: title("Reject"),
    close: title("Back"),
    blocks: [section("Reject the whole batch? The operator who asked sees your reason."), justificationInput(REJECT_REASON_BLOCK, REJECT_REASON_INPUT, "Reason", REJECT_REASON_MAX)],
  };
}

const OUTCOME_WORDS: Record<BatchOutcome, string> = { removed: ":white_check_mark: removed", suspended_removed: ":white_check_mark: suspended and removed", not_removed: ":x: not removed" };

function memberLine(m: BatchMember, scanGdap?: ScanGdap): string {
  const name = `*${outside(m.companyName, 150)}* (${outside(m.domain, 100)})`;
  if (m.takenOut) return `• ~${name}~ taken out`;
  // while it waits: what the approver's GDAP choice would touch, as the scan read it
  const gdap = scanGdap && scanGdap.read !== "not_checked" ? `; GDAP relationships at the scan: ${outside(scanGdapWords(scanGdap), 300)}` : "";
  if (!m.outcome) return `• ${name}: ${classWord(m.cleanupClass)}${m.cleanupClass === "suspend_only" ? ", its active legacy subscriptions will be suspended" : ""}${gdap}`;
  return `• ${name}: ${OUTCOME_WORDS[m.outcome]}${m.outcomeReason ? `: ${outside(m.outcomeReason, 400)}` : ""}`;
}

const STATE_LINE: Record<BatchState, (v: BatchView) => string> = {
  awaiting_approval: (v) => `Waiting for approval; expires ${slackDate(v.batch.expiresAt)}.`,
  approved: (v) => `<@${v.batch.decidedBy ?? ""}> approved the batch. Each customer is checked in Partner Center again, then removed.${gdapLine(v)}`,
  done: (v) => `<@${v.batch.decidedBy ?? ""}> approved the batch. Done: ${tally(v)}.${gdapLine(v)}`,
  rejected: (v) => `<@${v.batch.decidedBy ?? ""}> rejected the batch: ${outside(v.batch.rejectReason ?? "", 500)}`,
  expired: () => "The batch request expired before anyone decided. Nothing was removed.",
  cancelled: () => "Every customer was taken out of the batch. Nothing was removed.",
};

/** What the approval chose about GDAP relationships, once decided. */
function gdapLine(v: BatchView): string {
  if (v.batch.endGdap === true) return " GDAP relationships: ended for each customer once Partner Center confirms its removal, as the approver chose.";
  if (v.batch.endGdap === false) return " GDAP relationships: kept, as the approver chose.";
  return "";
}

export function tally(v: BatchView): string {
  const count = (o: BatchOutcome) => v.members.filter((m) => !m.takenOut && m.outcome === o).length;
  return `${count("removed")} removed, ${count("suspended_removed")} suspended and removed, ${count("not_removed")} not removed`;
}

/** The approval card: who asked and why, every customer, and the buttons while it waits. */
export function batchCard(v: BatchView, approvers: string[] = []): { text: string; blocks: Block[] } {
  const inBatch = v.members.filter((m) => !m.takenOut).length;
  const value = encodeValue({ b: v.batch.id });
  const waiting = v.batch.state === "awaiting_approval";
  const head = [
    header(`Batch removal: ${inBatch} customer${inBatch === 1 ? "" : "s"}`),
    section(`${waiting && approvers.length > 0 ? `${approvers.join(" ")}: ` : ""}<@${v.batch.requestedBy}> asks to remove the reseller relationship with these customers.\n*Why:* ${outside(v.batch.justification, JUSTIFICATION_MAX)}`),
  ];
  const list = chunkLines(v.members.map((m) => memberLine(m, v.scanGdap.get(m.tenantId.toLowerCase())))).map((text) => section(text));
  const tail: Block[] = [context(STATE_LINE[v.batch.state](v))];
  if (waiting) {
    tail.push(context(`For each customer: ${REMOVAL_CONSEQUENCES.map((c) => c.text).join(" ")} ${v.gdapEnabled ? GDAP_BATCH_TEXT : GDAP_REMINDER}`));
    // the same box as a single approval, ticked to begin with; Approve batch reads it as left
    if (v.gdapEnabled) tail.push(gdapChoiceBox());
    tail.push(
      actions([
        button(ACTIONS.approveBatch, "Approve batch", value, {
          style: "primary",
          confirm: confirm("Approve batch?", `Remove the reseller relationship with ${inBatch} customers${v.gdapEnabled ? ", and their GDAP relationships if the box is ticked" : ""}? Each is checked in Partner Center again first.`, "Approve", "primary"),
        }),
        button(ACTIONS.takeOutBatch, "Take out…", value),
        button(ACTIONS.rejectBatch, "Reject", value, { style: "danger" }),
      ]),
    );
  }
  // the buttons and the state are kept whatever the list's length: the list gives way first
  const room = 50 - head.length - tail.length;
  const shown = list.length > room ? [...list.slice(0, room - 1), context(`…and more customers; the audit trail lists them all.`)] : list;
  return { text: `Batch removal of ${inBatch} customers: ${STATE_LINE[v.batch.state](v)}`, blocks: fitBlocks([...head, ...shown, ...tail]) };
}

/** The reply in the card's thread before a waiting batch expires. */
export function batchReminder(v: BatchView, approvers: readonly string[]): string {
  const inBatch = v.members.filter((m) => !m.takenOut).length;
  return `${approvers.length > 0 ? `${approvers.join(" ")}: ` : ""}:hourglass: the batch removal of ${inBatch} customer${inBatch === 1 ? "" : "s"} requested by <@${v.batch.requestedBy}> expires ${slackDate(v.batch.expiresAt)}. Approve it, take customers out or reject it above, or it lapses and nothing is removed.`;
}

/** what one report message holds: Slack's advice is a few thousand characters a message, and the fallback text is clipped past 3,000 */
const REPORT_MESSAGE_CHARS = 2_900;

/**
 * The requester's report once the batch has run (or ended without running), every customer in it:
 * one message, or several in order when 50 customers and their reasons do not fit in one.
 */
export function batchReport(v: BatchView): string[] {
  return reportMessages("Your batch removal request", v, v.members.filter((m) => !m.takenOut));
}

/** After the report: the one customer whose outcome changed since (its removal finished later), and the batch's new tally. */
export function batchUpdate(v: BatchView, tenantId: string): string[] {
  const changed = v.members.filter((m) => !m.takenOut && m.tenantId.toLowerCase() === tenantId.toLowerCase());
  return reportMessages("Update on your batch removal request (a customer's removal was finished since)", v, changed);
}

function reportMessages(heading: string, v: BatchView, members: BatchMember[]): string[] {
  const lines = members.map((m) => clip(memberLine(m), REPORT_MESSAGE_CHARS - 100));
  const messages: string[][] = [[clip(`${heading}: ${STATE_LINE[v.batch.state](v)}`, REPORT_MESSAGE_CHARS - 100)]];
  for (const line of lines) {
    const current = messages[messages.length - 1] ?? [];
    if ([...current, line].join("\n").length > REPORT_MESSAGE_CHARS) messages.push(["(continued)", line]);
    else current.push(line);
  }
  return messages.map((m) => m.join("\n"));
}
