// The case message: the customer, what still blocks removal and the buttons that clear it,
// the consequences, and Request removal only when nothing blocks (as Partner Center does).
import { type Blocker, GDAP_REMINDER, RELINK_NEXT_STEP, REMOVAL_CONSEQUENCES, describeState } from "../../domain";
import type { JobProgress } from "../../store";
import type { CaseView } from "../../workflow";
import { ACTIONS, encodeValue } from "../slack-inputs";
import { type Block, actions, button, confirm, context, divider, escapeText, fitBlocks, header, section } from "./block-kit";

/** How many subscriptions get their own line and button before the rest are summarised. */
const LISTED_SUBSCRIPTIONS = 15;

function progressBar(progress: JobProgress, width = 20): string {
  const finished = progress.done + progress.failed;
  const filled = progress.total === 0 ? width : Math.round((finished / progress.total) * width);
  const bar = "█".repeat(filled) + "░".repeat(width - filled);
  const failed = progress.failed > 0 ? `, ${progress.failed} failed` : "";
  return `\`${bar}\` ${finished} / ${progress.total}${failed}`;
}

function subscriptionLine(blocker: Blocker, caseId: string): Block {
  const value = encodeValue({ c: caseId, i: blocker.itemId });
  const name = escapeText(blocker.itemName);
  const text = `*${name}*\n${escapeText(blocker.reason)} ${escapeText(blocker.stepText)}`;
  if (blocker.step === "suspend_subscription") {
    return section(
      text,
      button(ACTIONS.suspendSubscription, "Suspend", value, {
        confirm: confirm("Suspend subscription?", `Suspend *${name}*? The customer loses the service until it is reactivated.`, "Suspend"),
      }),
    );
  }
  if (blocker.step === "cancel_subscription") {
    return section(
      text,
      button(ACTIONS.cancelSubscription, "Cancel", value, {
        style: "danger",
        confirm: confirm("Cancel subscription?", `Cancel *${name}*? A cancelled new-commerce subscription cannot be reactivated.`, "Cancel subscription"),
      }),
    );
  }
  return section(text);
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
    context(`Tenant \`${c.tenantId}\` · ${escapeText(c.domain)} · case *${describeState(c.state)}* · opened by <@${c.openedBy}>`),
  ];

  const job = view.job;
  const progress = options.progress ?? job?.progress;
  if (job && progress) {
    const running = job.job.state === "queued" || job.job.state === "running";
    blocks.push(section(`*Suspend all* ${running ? "in progress" : "finished"}\n${progressBar(progress)}`));
    if (!running && job.failed.length > 0) {
      const lines = job.failed.slice(0, 10).map((f) => `• ${escapeText(f.label)}: ${escapeText(f.lastError ?? "failed")}`);
      blocks.push(section(`*Failed (${progress.failed})*\n${lines.join("\n")}`));
      blocks.push(actions([button(ACTIONS.retryFailed, `Retry ${progress.failed} failed`, encodeValue({ c: c.id, j: job.job.id }), { style: "primary" })]));
    }
  }

  if (c.state === "open") {
    const blockers = view.preconditions.blockers;
    const subs = blockers.filter((b) => b.kind.includes("subscription"));
    const reservations = blockers.filter((b) => b.kind === "azure_reservation");
    const software = blockers.filter((b) => b.kind.startsWith("software_purchase"));
    const other = blockers.filter((b) => b.kind === "no_reseller_relationship");

    if (subs.length > 0) {
      blocks.push(divider(), section(`*Active subscriptions (${subs.length})*`));
      for (const blocker of subs.slice(0, LISTED_SUBSCRIPTIONS)) blocks.push(subscriptionLine(blocker, c.id));
      if (subs.length > LISTED_SUBSCRIPTIONS) blocks.push(context(`…and ${subs.length - LISTED_SUBSCRIPTIONS} more. *Suspend all* handles every one of them.`));
      const clearable = subs.filter((b) => b.actionable).length;
      if (clearable > 0) {
        blocks.push(
          actions([
            button(ACTIONS.suspendAll, `Suspend all (${clearable})`, caseValue, {
              style: "danger",
              confirm: confirm(
                "Suspend all subscriptions?",
                `Suspend every legacy subscription and cancel every new-commerce subscription inside its window for *${escapeText(c.companyName)}*: ${clearable} in all. The customer loses these services.`,
                `Suspend ${clearable}`,
              ),
            }),
          ]),
        );
      }
    }
    if (reservations.length > 0) {
      blocks.push(divider(), section(`*Azure reservations (${reservations.length})*\n${reservations.slice(0, 10).map((r) => `• *${escapeText(r.itemName)}*: ${escapeText(r.stepText)}`).join("\n")}`));
    }
    if (software.length > 0) {
      blocks.push(divider(), section(`*Software purchases (${software.length})*`));
      for (const s of software.slice(0, 10)) {
        const text = `*${escapeText(s.itemName)}*\n${escapeText(s.reason)} ${escapeText(s.stepText)}`;
        blocks.push(
          s.actionable
            ? section(text, button(ACTIONS.cancelSoftware, "Cancel", encodeValue({ c: c.id, i: s.itemId }), {
                style: "danger",
                confirm: confirm("Cancel software purchase?", `Cancel *${escapeText(s.itemName)}*? This cannot be undone.`, "Cancel purchase"),
              }))
            : section(text),
        );
      }
    }
    for (const o of other) blocks.push(section(`*${escapeText(o.reason)}* ${escapeText(o.stepText)}`));

    blocks.push(divider(), section(`*Removing the relationship will:*\n${REMOVAL_CONSEQUENCES.map((q) => `• ${q.text}`).join("\n")}`), context(GDAP_REMINDER));
    const buttons = [button(ACTIONS.recheck, "Re-check", caseValue)];
    if (view.preconditions.ready) {
      buttons.unshift(
        button(ACTIONS.requestRemoval, "Request removal", caseValue, {
          style: "primary",
          confirm: confirm("Request removal?", `Ask an approver to remove the reseller relationship with *${escapeText(c.companyName)}*.`, "Request removal", "primary"),
        }),
      );
    } else {
      const count = view.preconditions.blockers.length;
      blocks.push(section(`:no_entry: *Remove reseller relationship is inactive*: ${count} item${count === 1 ? "" : "s"} still block${count === 1 ? "s" : ""} it.`));
    }
    buttons.push(button(ACTIONS.cancelCase, "Close case", caseValue, { confirm: confirm("Close this case?", "Close the case without removing anything?", "Close case") }));
    blocks.push(actions(buttons));
  } else {
    blocks.push(divider(), section(stateLine(view)));
    if (c.state === "awaiting_approval" || c.state === "failed") {
      blocks.push(actions([button(ACTIONS.recheck, "Re-check", caseValue)]));
    }
  }
  return { text: `Offboarding ${c.companyName}: ${describeState(c.state)}`, blocks: fitBlocks(blocks) };
}

function stateLine(view: CaseView): string {
  const c = view.removalCase;
  switch (c.state) {
    case "awaiting_approval":
      return `:hourglass_flowing_sand: Removal requested by <@${c.requestedBy ?? "unknown"}>; waiting for an approver until ${c.expiresAt?.toISOString() ?? "-"}.`;
    case "approved":
    case "removing":
      return `:gear: Approved by <@${c.decidedBy ?? "unknown"}>; removing the relationship in Partner Center…`;
    case "removed":
      return `:white_check_mark: *Relationship removed* (approved by <@${c.decidedBy ?? "unknown"}>).\n${REMOVAL_CONSEQUENCES.map((q) => `• ${q.doneText}`).join("\n")}\n:warning: ${GDAP_REMINDER}\n${RELINK_NEXT_STEP}`;
    case "rejected":
      return `:x: Rejected by <@${c.decidedBy ?? "unknown"}>: ${escapeText(c.rejectReason ?? "")}`;
    case "expired":
      return ":alarm_clock: The approval request expired before anyone decided. Open the case again to start over.";
    case "cancelled":
      return "Case closed without removing anything.";
    case "failed":
      return `:warning: Removal failed: ${escapeText(c.failureReason ?? "unknown reason")}. An approver can retry.`;
    default:
      return describeState(c.state);
  }
}
