// The approval request in the approvals channel, and its final forms once someone decides.
import { type BillingNotice, GDAP_REMINDER, REMOVAL_CONSEQUENCES, RELINK_NEXT_STEP } from "../../domain";
import type { StoredCase } from "../../store";
import type { GdapView } from "../../workflow";
import { ACTIONS, encodeValue } from "../slack-inputs";
import { type Block, actions, button, confirm, context, divider, escapeText, header, section } from "./block-kit";
import { gdapApprovalBlocks, gdapOutcomeLine } from "./gdap-blocks";

/** What keeps costing money after removal: per subscription, billing until its term ends and whether it renews. */
export function billingSection(notices: BillingNotice[]): Block[] {
  if (notices.length === 0) return [];
  const lines = notices.slice(0, 15).map((n) => `• ${escapeText(n.text)}`);
  const more = notices.length > 15 ? `\n…and ${notices.length - 15} more.` : "";
  return [section(`:money_with_wings: *Still billing after suspension (${notices.length})*\n${lines.join("\n")}${more}`)];
}

export function approvalMessage(c: StoredCase, extra?: { relinkUrl?: string | null; note?: string; notices?: BillingNotice[]; gdap?: GdapView | undefined }): { text: string; blocks: Block[] } {
  const gdap = extra?.gdap;
  const value = encodeValue({ c: c.id });
  const blocks: Block[] = [
    header(`Approval needed: remove ${c.companyName}`),
    section(`<@${c.requestedBy ?? "unknown"}> asks to remove the reseller relationship with *${escapeText(c.companyName)}* (${escapeText(c.domain)}, tenant \`${c.tenantId}\`).`),
    section(`*Removing the relationship will:*\n${REMOVAL_CONSEQUENCES.map((q) => `• ${q.text}`).join("\n")}`),
    ...billingSection(extra?.notices ?? []),
    // the choice is asked only while it can still be made
    ...(gdap ? (c.state === "awaiting_approval" ? gdapApprovalBlocks(gdap) : []) : [context(GDAP_REMINDER)]),
    divider(),
  ];
  switch (c.state) {
    case "awaiting_approval":
      blocks.push(
        context(`Partner Center is checked again before anything is removed. Expires ${c.expiresAt?.toISOString() ?? "-"}. The requester cannot approve.`),
        actions([
          button(ACTIONS.approve, "Approve", value, {
            style: "primary",
            confirm: confirm(
              "Remove the reseller relationship?",
              `This removes *${escapeText(c.companyName)}* from your customers and ends your delegated admin privileges${gdap ? ", and its GDAP relationships if the box is ticked" : ""}. It cannot be undone from here.`,
              "Approve and remove",
              "danger",
            ),
          }),
          button(ACTIONS.reject, "Reject", value, { style: "danger" }),
        ]),
      );
      break;
    case "approved":
    case "removing":
      blocks.push(section(`:gear: Approved by <@${c.decidedBy ?? "unknown"}>. Removing the relationship in Partner Center…`));
      if (gdap) blocks.push(context(gdapOutcomeLine(gdap)));
      break;
    case "removed":
      blocks.push(
        section(`:white_check_mark: *Removed.* Approved by <@${c.decidedBy ?? "unknown"}>.\n${REMOVAL_CONSEQUENCES.map((q) => `• ${q.doneText}`).join("\n")}`),
        section(gdap ? gdapOutcomeLine(gdap) : `:warning: ${GDAP_REMINDER}`),
        section(extra?.relinkUrl ? `${RELINK_NEXT_STEP}\n<${extra.relinkUrl}|Request a reseller relationship>` : RELINK_NEXT_STEP),
      );
      break;
    case "rejected":
      blocks.push(section(`:x: Rejected by <@${c.decidedBy ?? "unknown"}>: ${escapeText(c.rejectReason ?? "")}`));
      break;
    case "expired":
      blocks.push(section(":alarm_clock: *Expired.* Nobody decided in time, so this request can no longer be approved. The operator can request removal again."));
      break;
    case "open":
      blocks.push(section(`:leftwards_arrow_with_hook: Not removed: ${escapeText(extra?.note ?? "something blocks removal again")}. The case is open again.`));
      break;
    case "cancelled":
      blocks.push(section("The operator closed the case."));
      break;
    case "failed":
      blocks.push(
        section(`:warning: Removal failed: ${escapeText(c.failureReason ?? "unknown")}`),
        actions([button(ACTIONS.retryRemoval, "Retry removal", value, { style: "primary", confirm: confirm("Retry removal?", "Check Partner Center again and retry the removal?", "Retry", "primary") })]),
      );
      break;
  }
  return { text: `Remove reseller relationship with ${c.companyName}: ${c.state.replace("_", " ")}`, blocks };
}

export function rejectModal(caseId: string, companyName: string) {
  return {
    type: "modal" as const,
    callback_id: "reject_reason",
    private_metadata: encodeValue({ c: caseId }),
    title: { type: "plain_text" as const, text: "Reject removal" },
    submit: { type: "plain_text" as const, text: "Reject" },
    close: { type: "plain_text" as const, text: "Back" },
    blocks: [
      section(`Reject the removal of *${escapeText(companyName)}*? The operator sees your reason.`),
      {
        type: "input" as const,
        block_id: "reason_block",
        label: { type: "plain_text" as const, text: "Reason" },
        element: { type: "plain_text_input" as const, action_id: "reason", multiline: true, min_length: 3, max_length: 500 },
      },
    ],
  };
}
