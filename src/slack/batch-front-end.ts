// The Slack side of batch requests: posts the approval card in the approvals channel (mentioning
// the approvers), reminds them in its thread before it expires, redraws it as the batch is
// decided and worked, and sends the requester the per-customer report by direct message once it
// has run or ended, and again when a customer's outcome changes afterwards (the sweep finished a
// removal its job gave up on).
import type { WebClient } from "@slack/web-api";
import type { Logger } from "../logger";
import type { MessageRef } from "../store";
import type { BatchChange, BatchFrontEnd, BatchView, OffboardingWorkflow } from "../workflow";
import type { ApprovalsChannel } from "./approvals-channel";
import { batchCard, batchReminder, batchReport, batchUpdate } from "./blocks/batch-messages";
import { fallbackText } from "./blocks/block-kit";
import { describeSlackError } from "./slack-errors";

/** changes after which the requester hears how it ended (followed: a customer's outcome changed since) */
const ENDINGS: ReadonlySet<BatchChange> = new Set(["finished", "rejected", "expired", "cancelled", "followed"]);

export class SlackBatchFrontEnd implements BatchFrontEnd {
  private readonly inFlight = new Set<Promise<unknown>>();
  /** one redraw at a time per batch, in order: a later change must not be overwritten by an earlier one */
  private readonly queue = new Map<string, Promise<unknown>>();

  constructor(
    private readonly client: WebClient,
    private readonly workflow: Pick<OffboardingWorkflow, "batchView">,
    private readonly approvals: Pick<ApprovalsChannel, "postCard">,
    private readonly approverMentions: () => Promise<string[]>,
    private readonly logger: Logger,
  ) {}

  async deliver(view: BatchView): Promise<MessageRef> {
    const mentions = await this.approverMentions().catch(() => []);
    return this.approvals.postCard(batchCard(view, mentions));
  }

  async retract(message: MessageRef): Promise<void> {
    await this.client.chat.delete({ channel: message.channelId, ts: message.ts });
  }

  batchChanged(batchId: string, change: BatchChange, facts?: { tenantId?: string }): void {
    const previous = this.queue.get(batchId) ?? Promise.resolve();
    const work = previous
      .then(() => this.redraw(batchId, change, facts?.tenantId))
      .catch((error: unknown) => this.logger.warn({ batchId, change, err: describeSlackError(error) }, "could not update a batch card"));
    this.queue.set(batchId, work);
    this.inFlight.add(work);
    void work.finally(() => {
      this.inFlight.delete(work);
      if (this.queue.get(batchId) === work) this.queue.delete(batchId);
    });
  }

  async settle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private async redraw(batchId: string, change: BatchChange, tenantId?: string): Promise<void> {
    const view = await this.workflow.batchView(batchId);
    if (!view) return;
    const card = view.batch.approvalMessage;
    // a reminder changes nothing on the card: a reply in its thread, mentioning the approvers
    if (change === "reminder") {
      if (!card || view.batch.state !== "awaiting_approval") return;
      const mentions = await this.approverMentions().catch(() => []);
      await this.client.chat.postMessage({ channel: card.channelId, thread_ts: card.ts, text: fallbackText(batchReminder(view, mentions)) });
      return;
    }
    if (card) {
      const message = batchCard(view);
      await this.client.chat.update({ channel: card.channelId, ts: card.ts, text: fallbackText(message.text), blocks: message.blocks });
    }
    if (!ENDINGS.has(change)) return;
    // in order, one message after the other: every customer is in the report; an update names the one that changed
    const parts = change === "followed" && tenantId ? batchUpdate(view, tenantId) : batchReport(view);
    for (const part of parts) {
      await this.client.chat.postMessage({ channel: view.batch.requestedBy, text: fallbackText(part) });
      if (card) await this.client.chat.postMessage({ channel: card.channelId, thread_ts: card.ts, text: fallbackText(part) });
    }
  }
}
