// Tells people what happened, beyond keeping messages in step (message-updater.ts): one line per
// step in the case message's thread (who suspended what, who approved), a direct message to the
// requester when their request is decided, reopened, fails or expires, and a reminder to the
// approvers in the approval request's thread before it expires. Outside text is escaped here too.
import type { WebClient } from "@slack/web-api";
import type { Logger } from "../logger";
import type { StoredCase } from "../store";
import type { CaseChange, ChangeFacts, OffboardingWorkflow } from "../workflow";
import { RELINK_NEXT_STEP } from "../domain";
import { fallbackText, outside, slackDate } from "./blocks/block-kit";
import { describeSlackError } from "./slack-errors";

const who = (id: string) => (id === "system" ? "The app" : `<@${id}>`);

const DONE: Record<NonNullable<ChangeFacts["item"]>["action"], string> = {
  suspend: "suspended",
  cancel: "cancelled",
  turn_off_auto_renew: "turned off auto-renew for",
  suspend_plan: "suspended the Azure plan",
  cancel_software: "cancelled the software purchase",
};

/** The case thread's line for a step, or null for changes that are not steps of their own. */
export function threadLine(change: CaseChange, facts: ChangeFacts, c: StoredCase, approvalChannelId: string): string | null {
  const name = `*${outside(c.companyName, 150)}*`;
  switch (change) {
    case "subscription_changed":
      return facts.item ? `${who(facts.actor)} ${DONE[facts.item.action]} *${outside(facts.item.name, 200)}*.` : null;
    case "job_started":
      return `${who(facts.actor)} started *Suspend all* for ${facts.job?.total ?? "the"} subscription${facts.job?.total === 1 ? "" : "s"}.`;
    case "job_finished":
      return `*Suspend all* finished: ${facts.job?.done ?? 0} done, ${facts.job?.failed ?? 0} failed.`;
    case "removal_requested":
      return `${who(facts.actor)} requested removal of ${name}: “${outside(facts.justification ?? "", 500)}”. Approvers were asked in <#${approvalChannelId}>.`;
    case "withdrawn":
      return `${who(facts.actor)} withdrew the removal request. The case is open again.`;
    case "approved":
      return `${who(facts.actor)} approved the removal; Partner Center is checked again first.`;
    case "rejected":
      return `${who(facts.actor)} rejected the removal: ${outside(facts.reason ?? "", 500)}`;
    case "reopened":
      return "Not removed: Partner Center shows items blocking removal again. The case is open again.";
    case "removed": {
      const link = facts.relinkUrl ? `<${facts.relinkUrl}|Request a reseller relationship>` : "Use `/offboard relink` for the link.";
      return `:white_check_mark: The reseller relationship with ${name} is removed. ${RELINK_NEXT_STEP} ${link}`;
    }
    case "failed":
      return `:warning: Removal failed: ${outside(facts.reason ?? c.failureReason ?? "unknown reason", 500)}. An approver can retry.`;
    case "expired":
      return "The approval request expired before anyone decided.";
    case "cancelled":
      return `${who(facts.actor)} closed the case. Nothing was removed.`;
    default:
      return null;
  }
}

/** The requester's direct message about their request, or null when there is nothing to tell them. */
export function requesterMessage(change: CaseChange, facts: ChangeFacts, c: StoredCase): string | null {
  const name = `*${outside(c.companyName, 150)}*`;
  switch (change) {
    case "approved":
      return `:white_check_mark: ${who(facts.actor)} approved your request to remove ${name}. The app checks Partner Center again and removes the relationship.`;
    case "removed":
      return `:white_check_mark: The reseller relationship with ${name} is removed.`;
    case "rejected":
      return `:x: ${who(facts.actor)} rejected your request to remove ${name}: ${outside(facts.reason ?? "", 500)}`;
    case "reopened":
      return `:leftwards_arrow_with_hook: Your request to remove ${name} was approved, but Partner Center shows items blocking removal again, so nothing was removed. The case is open again: clear them and request removal again.`;
    case "failed":
      return `:warning: Removing ${name} failed: ${outside(facts.reason ?? "unknown reason", 500)}. An approver can retry.`;
    case "expired":
      return `:alarm_clock: Your request to remove ${name} expired before anyone decided. Type \`/offboard ${outside(c.domain, 150)}\` to start again.`;
    default:
      return null;
  }
}

export class SlackCaseNotifier {
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly client: WebClient,
    private readonly workflow: Pick<OffboardingWorkflow, "caseRecord">,
    private readonly approvalChannelId: string,
    private readonly approverMentions: () => Promise<string[]>,
    private readonly logger: Logger,
  ) {}

  caseChanged(caseId: string, change: CaseChange, facts: ChangeFacts | undefined): void {
    if (!facts || change === "opened" || change === "rechecked") return;
    const work = this.tell(caseId, change, facts).catch((error: unknown) => this.logger.warn({ caseId, change, err: describeSlackError(error) }, "could not tell people about a case change"));
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
  }

  async settle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private async tell(caseId: string, change: CaseChange, facts: ChangeFacts): Promise<void> {
    const c = await this.workflow.caseRecord(caseId);
    if (!c) return;
    if (change === "reminder") return this.remind(c);
    const line = threadLine(change, facts, c, this.approvalChannelId);
    const requester = facts.requester;
    // a batch's requester hears once, with every customer's outcome (batch-front-end.ts)
    const dm = requester && requester !== facts.actor && !c.batchId ? requesterMessage(change, facts, c) : null;
    // the thread line and the requester's message go each on its own: a thread that cannot take its
    // line (or is slow to) must not keep the requester from hearing
    const sent = await Promise.allSettled([
      line && c.caseMessage ? this.client.chat.postMessage({ channel: c.caseMessage.channelId, thread_ts: c.caseMessage.ts, text: fallbackText(line) }) : null,
      requester && dm ? this.client.chat.postMessage({ channel: requester, text: fallbackText(dm) }) : null,
    ]);
    const [thread, direct] = sent;
    if (thread?.status === "rejected") this.logger.warn({ caseId: c.id, change, err: describeSlackError(thread.reason) }, "could not post a case change in the case's thread");
    if (direct?.status === "rejected") throw direct.reason;
  }

  private async remind(c: StoredCase): Promise<void> {
    if (!c.approvalMessage) return;
    const mentions = (await this.approverMentions().catch(() => [])).join(" ");
    const text = `${mentions ? `${mentions}: ` : ""}:hourglass: the request to remove *${outside(c.companyName, 150)}* expires ${slackDate(c.expiresAt)}. Approve or reject it above, or it lapses.`;
    await this.client.chat.postMessage({ channel: c.approvalMessage.channelId, thread_ts: c.approvalMessage.ts, text: fallbackText(text) });
  }
}
