// The approval request in the approvals channel, and its final forms once it no longer stands:
// decided, expired, withdrawn, reopened by the live re-check, or replaced by a newer request.
// Only a request still waiting has buttons, and they name the request they were shown for.
import { type BillingNotice, GDAP_REMINDER, REMOVAL_CONSEQUENCES, RELINK_NEXT_STEP, describeState } from "../../domain";
import type { StoredCase } from "../../store";
import type { GdapView } from "../../workflow";
import { ACTIONS, encodeValue, numbered, requestStamp } from "../slack-inputs";
import { type Block, actions, button, confirm, context, divider, fallbackText, header, outside, section, slackDate } from "./block-kit";
import { gdapApprovalBlocks, gdapOutcomeLine } from "./gdap-blocks";

/** What keeps costing money after removal: per subscription, billing until its term ends and whether it renews. */
export function billingSection(notices: BillingNotice[]): Block[] {
  if (notices.length === 0) return [];
  const lines = notices.slice(0, 15).map((n) => `• ${outside(n.text, 300)}`);
  const more = notices.length > 15 ? `\n…and ${notices.length - 15} more.` : "";
  return [section(`:money_with_wings: *Still billing after suspension (${notices.length})*\n${lines.join("\n")}${more}`)];
}

export interface ApprovalCardOptions {
  /** what keeps billing after removal, for the approver to accept */
  notices?: BillingNotice[];
  /** the customer's GDAP relationships, when the app ends them: the approver's box, and afterwards their outcome */
  gdap?: GdapView | undefined;
  /** mentions of the approvers (`<!subteam^S…>` or each `<@U…>`), on a request still waiting */
  approvers?: string[];
  /** who asked, when the case no longer says (a reopened or withdrawn request) */
  requester?: string | null;
  relinkUrl?: string | null;
  /** why the case is open again */
  note?: string;
  /** this card's request was replaced by a newer one for the same case */
  superseded?: boolean;
  /** the requester took the request back */
  withdrawnBy?: string;
}

const mention = (id: string | null | undefined) => (id ? `<@${id}>` : "someone");

export function approvalValue(c: StoredCase): string {
  return encodeValue({ c: c.id, r: requestStamp(c.requestedAt) });
}

/**
 * Approve (behind the same confirm everywhere) and Reject; `n` numbers them where several cases
 * share a view. `gdapBox`: a GDAP box sits next to them, and the confirm says so.
 */
export function approvalButtons(c: StoredCase, n?: number, gdapBox = false): Block {
  const value = approvalValue(c);
  const id = (action: string) => (n === undefined ? action : numbered(action, n));
  const label = (verb: string) => (n === undefined ? {} : { label: `${verb} the removal of ${c.companyName}` });
  return actions([
    button(id(ACTIONS.approve), "Approve", value, {
      ...label("Approve"),
      style: "primary",
      confirm: confirm(
        "Remove the reseller relationship?",
        `This removes ${c.companyName} from your customers and ends your delegated admin privileges${gdapBox ? ", and its GDAP relationships if the box is ticked" : ""}. It cannot be undone from here.`,
        "Approve and remove",
        "danger",
      ),
    }),
    button(id(ACTIONS.reject), "Reject", value, { style: "danger", ...label("Reject") }),
  ]);
}

export function approvalMessage(c: StoredCase, options: ApprovalCardOptions = {}): { text: string; blocks: Block[] } {
  const name = outside(c.companyName, 150);
  if (options.superseded) {
    // what the earlier request said is not kept: only that it no longer stands, and why
    const blocks = [header(`Removal request: ${c.companyName}`), ...statusBlocks(c, options, false)];
    return { text: fallbackText(`Removal of ${name}: replaced by a newer request`), blocks };
  }
  const requester = options.requester ?? c.requestedBy;
  const waiting = c.state === "awaiting_approval" && !options.superseded;
  const who = waiting && options.approvers?.length ? `${options.approvers.join(" ")}: ` : "";
  const blocks: Block[] = [
    header(`Approval needed: remove ${c.companyName}`),
    section(`${who}${mention(requester)} asks to remove the reseller relationship with *${name}* (${outside(c.domain, 150)}, tenant \`${outside(c.tenantId, 64)}\`).`),
  ];
  if (c.justification && (waiting || c.state !== "open")) blocks.push(section(`*Why:* ${outside(c.justification, 500)}`));
  const gdap = options.gdap;
  // the GDAP choice is asked only while it can still be made; without Graph, the reminder
  const gdapBlocks = gdap ? (waiting ? gdapApprovalBlocks(gdap) : []) : [context(GDAP_REMINDER)];
  blocks.push(section(`*Removing the relationship will:*\n${REMOVAL_CONSEQUENCES.map((q) => `• ${q.text}`).join("\n")}`), ...billingSection(options.notices ?? []), ...gdapBlocks, divider());
  blocks.push(...statusBlocks(c, options, waiting));
  const text = waiting
    ? `${who}approval needed: remove the reseller relationship with ${name} (asked by ${mention(requester)})`
    : `Removal of ${name}: ${options.withdrawnBy ? "withdrawn" : describeState(c.state)}`;
  return { text: fallbackText(text), blocks };
}

function statusBlocks(c: StoredCase, options: ApprovalCardOptions, waiting: boolean): Block[] {
  if (options.superseded) return [section(":arrows_counterclockwise: *No longer open:* a newer request for this case replaced it. Use the newest request.")];
  if (waiting) {
    return [context(`Partner Center is checked again before anything is removed. Expires ${slackDate(c.expiresAt)}. The requester cannot approve.`), approvalButtons(c, undefined, Boolean(options.gdap))];
  }
  const decider = mention(c.decidedBy);
  switch (c.state) {
    case "approved":
    case "removing":
      return [section(`:gear: Approved by ${decider}. Removing the relationship in Partner Center…`), ...(options.gdap ? [context(gdapOutcomeLine(options.gdap))] : [])];
    case "removed": {
      const done = REMOVAL_CONSEQUENCES.map((q) => `• ${q.doneText}`).join("\n");
      const next = options.relinkUrl ? `${RELINK_NEXT_STEP}\n<${options.relinkUrl}|Request a reseller relationship>` : RELINK_NEXT_STEP;
      return [section(`:white_check_mark: *Removed.* Approved by ${decider}.\n${done}`), section(options.gdap ? gdapOutcomeLine(options.gdap) : `:warning: ${GDAP_REMINDER}`), section(next)];
    }
    case "rejected":
      return [section(`:x: Rejected by ${decider}: ${outside(c.rejectReason ?? "", 500)}`)];
    case "expired":
      return [section(":alarm_clock: *Expired.* Nobody decided in time, so this request can no longer be approved. The operator can request removal again.")];
    case "open":
      if (options.withdrawnBy) return [section(`:leftwards_arrow_with_hook: *Withdrawn* by ${mention(options.withdrawnBy)}. Nothing was removed; the case is open again.`)];
      return [section(`:leftwards_arrow_with_hook: Not removed: ${outside(options.note ?? "something blocks removal again")}. The case is open again.`)];
    case "cancelled":
      return [section("The operator closed the case; nothing was removed.")];
    case "failed":
      return [
        section(`:warning: Removal failed: ${outside(c.failureReason ?? "unknown", 500)}`),
        actions([button(ACTIONS.retryRemoval, "Retry removal", encodeValue({ c: c.id }), { style: "primary", confirm: confirm("Retry removal?", "Check Partner Center again and retry the removal?", "Retry", "primary") })]),
      ];
    default:
      return [section(describeState(c.state))];
  }
}
