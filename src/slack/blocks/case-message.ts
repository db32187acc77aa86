// The case message: the customer, what still blocks removal and the buttons that clear it,
// the consequences, and Request removal only when nothing blocks (as Partner Center does).
import { type Blocker, GDAP_REMINDER, type ItemAction, RELINK_NEXT_STEP, REMOVAL_CONSEQUENCES, clearableSubscriptions, describeState } from "../../domain";
import type { JobProgress } from "../../store";
import type { CaseView } from "../../workflow";
import type { MessageRef } from "../../store";
import { ACTIONS, encodeValue, numbered, requestStamp } from "../slack-inputs";
import { billingSection } from "./approval-message";
import { type Block, type ButtonElement, MAX_BLOCKS, actions, button, confirm, context, divider, fallbackText, fitBlocks, header, outside, section, slackDate } from "./block-kit";
import { gdapCaseBlocks } from "./gdap-blocks";

/** How many subscriptions get their own line and button before the rest are summarised. */
const LISTED_SUBSCRIPTIONS = 15;

function progressBar(progress: JobProgress, width = 20): string {
  const finished = progress.done + progress.failed;
  const filled = progress.total === 0 ? width : Math.round((finished / progress.total) * width);
  const bar = "█".repeat(filled) + "░".repeat(width - filled);
  const failed = progress.failed > 0 ? `, ${progress.failed} failed` : "";
  return `\`${bar}\` ${finished} / ${progress.total}${failed}`;
}

const NCE_KINDS = new Set(["nce_subscription_in_window", "nce_subscription_past_window"]);

/** Numbers the buttons down one message: Slack wants every action_id in it to be different. */
type Counter = () => number;

/** The button for one action on one blocker, with the question it asks first (plain text, so the name goes in as it is). */
function actionButton(blocker: Blocker, action: ItemAction, caseId: string, next: Counter): ButtonElement | null {
  const value = encodeValue({ c: caseId, i: blocker.itemId });
  const name = blocker.itemName;
  const id = (actionId: string) => numbered(actionId, next());
  switch (action) {
    case "suspend":
      return button(id(ACTIONS.suspendSubscription), "Suspend", value, {
        label: `Suspend ${name}`,
        confirm: NCE_KINDS.has(blocker.kind)
          ? confirm("Suspend subscription?", `Suspend ${name}? Its auto-renew is turned off first. A suspended new-commerce subscription keeps billing until its term ends.`, "Suspend")
          : confirm("Suspend subscription?", `Suspend ${name}? The customer loses the service until it is reactivated.`, "Suspend"),
      });
    case "cancel":
      return button(id(ACTIONS.cancelSubscription), "Cancel", value, {
        style: "danger",
        label: `Cancel ${name}`,
        confirm: confirm("Cancel subscription?", `Cancel ${name}? A cancelled new-commerce subscription cannot be reactivated.`, "Cancel subscription"),
      });
    case "turn_off_auto_renew":
      return button(id(ACTIONS.turnOffAutoRenew), "Turn off auto-renew", value, {
        label: `Turn off auto-renew for ${name}`,
        confirm: confirm("Turn off auto-renew?", `Turn off auto-renew for ${name}? It keeps running and billing until its term ends, then stops.`, "Turn off", "primary"),
      });
    case "suspend_plan":
      return button(id(ACTIONS.suspendPlan), "Suspend plan", value, {
        label: `Suspend the Azure plan ${name}`,
        confirm: confirm("Suspend the Azure plan?", `Suspend ${name}? Partner Center refuses while any of its Azure subscriptions is active or a reservation is live.`, "Suspend plan"),
      });
    case "cancel_software":
      return button(id(ACTIONS.cancelSoftware), "Cancel", value, {
        style: "danger",
        label: `Cancel ${name}`,
        confirm: confirm("Cancel software purchase?", `Cancel ${name}? This cannot be undone.`, "Cancel purchase"),
      });
  }
}

/** One blocker: its text, and its buttons (one as the section's accessory, several in a row below). */
function blockerLines(blocker: Blocker, caseId: string, next: Counter): Block[] {
  const details = blocker.details.length > 0 ? `\n${blocker.details.slice(0, 10).map((d) => `• ${outside(d)}`).join("\n")}` : "";
  const text = `*${outside(blocker.itemName, 200)}*\n${outside(blocker.reason)} ${outside(blocker.stepText)}${details}`;
  const buttons = blocker.actions.map((a) => actionButton(blocker, a, caseId, next)).filter((b): b is ButtonElement => b !== null);
  const [only] = buttons;
  if (buttons.length === 1 && only) return [section(text, only)];
  return buttons.length === 0 ? [section(text)] : [section(text), actions(buttons)];
}

export interface CaseMessageOptions {
  /** a fresher job progress than the view holds (progress updates between full reads) */
  progress?: JobProgress;
}

export function caseMessage(view: CaseView, options: CaseMessageOptions = {}): { text: string; blocks: Block[] } {
  const c = view.removalCase;
  const caseValue = encodeValue({ c: c.id });
  const blocks: Block[] = [
    header(`Offboarding: ${c.companyName}`),
    context(`Tenant \`${outside(c.tenantId, 64)}\` · ${outside(c.domain, 150)} · case *${describeState(c.state)}* · opened by <@${c.openedBy}>`),
  ];

  let closingFrom = blocks.length;
  const job = view.job;
  const progress = options.progress ?? job?.progress;
  if (job && progress) {
    const running = job.job.state === "queued" || job.job.state === "running";
    const dead = job.job.state === "dead";
    blocks.push(section(`*Suspend all* ${running ? "in progress" : dead ? "stopped after repeated failures" : "finished"}\n${progressBar(progress)}`));
    if (dead && progress.pending > 0 && job.failed.length === 0) {
      blocks.push(actions([button(ACTIONS.retryFailed, `Resume (${progress.pending} left)`, encodeValue({ c: c.id, j: job.job.id }), { style: "primary" })]));
    }
    if (!running && job.failed.length > 0) {
      const lines = job.failed.slice(0, 10).map((f) => `• ${outside(f.label, 150)}: ${outside(f.lastError ?? "failed", 200)}`);
      blocks.push(section(`*Failed (${progress.failed})*\n${lines.join("\n")}`));
      blocks.push(actions([button(ACTIONS.retryFailed, `Retry ${progress.failed} failed`, encodeValue({ c: c.id, j: job.job.id }), { style: "primary" })]));
    }
  }

  if (c.state === "open") {
    let counter = 0;
    const next: Counter = () => counter++;
    const blockers = view.preconditions.blockers;
    const of = (...kinds: Blocker["kind"][]) => blockers.filter((b) => kinds.includes(b.kind));
    const subs = of("active_legacy_subscription", "pending_subscription", "nce_subscription_in_window", "nce_subscription_past_window");
    const plans = of("azure_plan");
    const reservations = of("azure_reservation");
    const software = of("software_purchase", "software_purchase_outside_window");
    const unrecognised = of("unrecognised_item");
    const other = of("no_reseller_relationship");

    if (subs.length > 0) {
      blocks.push(divider(), section(`*Active subscriptions (${subs.length})*`));
      for (const blocker of subs.slice(0, LISTED_SUBSCRIPTIONS)) blocks.push(...blockerLines(blocker, c.id, next));
      if (subs.length > LISTED_SUBSCRIPTIONS) blocks.push(context(`…and ${subs.length - LISTED_SUBSCRIPTIONS} more. *Suspend all* handles every one of them.`));
    }
    const clearable = clearableSubscriptions(view.snapshot, view.snapshot.takenAt).length;
    if (clearable > 0) {
      blocks.push(
        actions([
          button(ACTIONS.suspendAll, `Suspend all (${clearable})`, caseValue, {
            style: "danger",
            confirm: confirm(
              "Suspend all subscriptions?",
              `For ${c.companyName}: cancel every new-commerce subscription inside its cancellation window and suspend the rest (auto-renew turned off first on new-commerce ones), ${clearable} in all. The customer loses these services.`,
              `Suspend ${clearable}`,
            ),
          }),
        ]),
      );
    }
    if (plans.length > 0) {
      blocks.push(divider(), section(`*Azure plans (${plans.length})*`));
      for (const plan of plans.slice(0, 5)) blocks.push(...blockerLines(plan, c.id, next));
    }
    if (reservations.length > 0) {
      blocks.push(divider(), section(`*Azure reservations (${reservations.length})*\n${reservations.slice(0, 10).map((r) => `• *${outside(r.itemName, 150)}*: ${outside(r.reason)} ${outside(r.stepText)}`).join("\n")}`));
    }
    if (software.length > 0) {
      blocks.push(divider(), section(`*Software purchases (${software.length})*`));
      for (const s of software.slice(0, 10)) blocks.push(...blockerLines(s, c.id, next));
    }
    if (unrecognised.length > 0) {
      blocks.push(divider(), section(`*Unrecognised items (${unrecognised.length})*\n${unrecognised.slice(0, 10).map((u) => `• *${outside(u.itemName, 150)}*: ${outside(u.reason)} ${outside(u.stepText)}`).join("\n")}`));
    }
    for (const o of other) blocks.push(section(`*${outside(o.reason)}* ${outside(o.stepText)}`));
    const notices = billingSection(view.preconditions.notices);
    if (notices.length > 0) blocks.push(divider(), ...notices);

    // from here on the message's closing part: what removal does and the case's buttons, kept whole
    closingFrom = blocks.length;
    blocks.push(divider(), section(`*Removing the relationship will:*\n${REMOVAL_CONSEQUENCES.map((q) => `• ${q.text}`).join("\n")}`));
    // the relationships themselves when Graph is in use; the reminder when the app leaves them alone
    blocks.push(...(view.gdap ? [divider(), ...gdapCaseBlocks(view.gdap, c.id, false)] : [context(GDAP_REMINDER)]));
    const buttons = [button(ACTIONS.recheck, "Re-check", caseValue)];
    if (view.preconditions.ready) {
      // no confirm dialog: the button opens a form that asks for a justification first
      buttons.unshift(button(ACTIONS.requestRemoval, "Request removal…", caseValue, { style: "primary" }));
    } else {
      const count = view.preconditions.blockers.length;
      blocks.push(section(`:no_entry: *Remove reseller relationship is inactive*: ${count} item${count === 1 ? "" : "s"} still block${count === 1 ? "s" : ""} it.`));
    }
    buttons.push(button(ACTIONS.cancelCase, "Close case", caseValue, { confirm: confirm("Close this case?", "Close the case without removing anything?", "Close case") }));
    blocks.push(actions(buttons));
  } else {
    closingFrom = blocks.length;
    blocks.push(divider(), section(stateLine(view)));
    if (c.state === "awaiting_approval") {
      blocks.push(...billingSection(view.preconditions.notices));
      const withdraw = button(ACTIONS.withdrawRequest, "Withdraw request", encodeValue({ c: c.id, r: requestStamp(c.requestedAt) }), {
        confirm: confirm("Withdraw the removal request?", "Approvers can no longer approve it, and the case is open again. Only the requester can withdraw.", "Withdraw", "danger"),
      });
      blocks.push(actions([button(ACTIONS.recheck, "Re-check", caseValue), withdraw]));
    } else if (c.state === "failed") {
      blocks.push(actions([button(ACTIONS.recheck, "Re-check", caseValue)]));
    }
    if (view.gdap && c.state !== "cancelled" && c.state !== "rejected" && c.state !== "expired") {
      blocks.push(divider(), ...gdapCaseBlocks(view.gdap, c.id, c.state !== "awaiting_approval"));
    }
  }
  return { text: fallbackText(`Offboarding ${outside(c.companyName, 150)}: ${describeState(c.state)}`), blocks: fitBlocks(blocks, MAX_BLOCKS, blocks.length - closingFrom) };
}

/** What a case message says once the case has moved to a message elsewhere: where, and no buttons. */
export function caseMovedMessage(c: { companyName: string }, to: MessageRef, userId: string): { text: string; blocks: Block[] } {
  const where = to.channelId.startsWith("D") ? `a direct message with <@${userId}>` : `<#${to.channelId}>`;
  const text = `:arrow_right: The offboarding case for *${outside(c.companyName, 150)}* continues in ${where}. This message is no longer updated.`;
  return { text: fallbackText(`The case for ${outside(c.companyName, 150)} continues elsewhere`), blocks: [section(text)] };
}

function stateLine(view: CaseView): string {
  const c = view.removalCase;
  switch (c.state) {
    case "awaiting_approval":
      return `:hourglass_flowing_sand: Removal requested by <@${c.requestedBy ?? "unknown"}>; waiting for an approver until ${slackDate(c.expiresAt)}.${c.justification ? `\n*Why:* ${outside(c.justification, 500)}` : ""}`;
    case "approved":
    case "removing":
      return `:gear: Approved by <@${c.decidedBy ?? "unknown"}>; removing the relationship in Partner Center…`;
    case "removed":
      return `:white_check_mark: *Relationship removed* (approved by <@${c.decidedBy ?? "unknown"}>).\n${REMOVAL_CONSEQUENCES.map((q) => `• ${q.doneText}`).join("\n")}\n${view.gdap ? "" : `:warning: ${GDAP_REMINDER}\n`}${RELINK_NEXT_STEP}`;
    case "rejected":
      return `:x: Rejected by <@${c.decidedBy ?? "unknown"}>: ${outside(c.rejectReason ?? "", 500)}`;
    case "expired":
      return ":alarm_clock: The approval request expired before anyone decided. Open the case again to start over.";
    case "cancelled":
      return "Case closed without removing anything.";
    case "failed":
      return `:warning: Removal failed: ${outside(c.failureReason ?? "unknown reason", 500)}. An approver can retry.`;
    default:
      return describeState(c.state);
  }
}
