// The approvals channel: whether the bot can post there (asked at start-up and by /readyz, and
// learnt from every approval request sent), and the delivery of removal requests to it. A request
// is posted before the workflow saves it; a post Slack refuses means the request did not happen.
import { z } from "zod";
import type { WebClient } from "@slack/web-api";
import type { Logger } from "../logger";
import type { MessageRef, StoredCase } from "../store";
import { ApprovalNotDelivered, type ApprovalRequests, type RequestShown } from "../workflow";
import { approvalMessage } from "./blocks/approval-message";
import type { Block } from "./blocks/block-kit";
import { describeSlackError, slackErrorCode } from "./slack-errors";

export interface ChannelState {
  ok: boolean;
  /** in plain words: what is wrong and what to do */
  problem?: string;
}

const channelInfo = z.object({
  channel: z.object({
    is_archived: z.boolean().optional(),
    is_private: z.boolean().optional(),
    is_member: z.boolean().optional(),
    is_im: z.boolean().optional(),
    is_mpim: z.boolean().optional(),
  }),
});

function problemFor(channelId: string, code: string): string {
  switch (code) {
    case "not_in_channel":
    case "channel_not_found":
      return `The app cannot post approval requests in ${channelId}: it is not in that channel (a private channel, or a wrong id). Invite the app to the approvals channel (/invite @offboarding).`;
    case "is_archived":
      return `The approvals channel ${channelId} is archived. Unarchive it or set APPROVAL_CHANNEL_ID to another channel.`;
    case "missing_scope":
      return "The app is missing a Slack scope for the approvals channel (chat:write, chat:write.public, channels:read, groups:read). Reinstall it from manifest.yml.";
    default:
      return `Slack answered ${code} for the approvals channel ${channelId}.`;
  }
}

export class ApprovalsChannel implements ApprovalRequests {
  private state: { at: number; value: ChannelState } | null = null;

  constructor(
    private readonly client: WebClient,
    readonly channelId: string,
    private readonly approverMentions: () => Promise<string[]>,
    private readonly logger: Logger,
    private readonly cacheMs = 60_000,
  ) {}

  /** What is known without asking Slack (a probe must not call out): the last check or post; null before either. */
  known(): ChannelState | null {
    return this.state?.value ?? null;
  }

  /** Can the bot post there? Asked of Slack at most once a minute; a failed post answers at once. */
  async check(): Promise<ChannelState> {
    if (this.state && Date.now() - this.state.at < this.cacheMs) return this.state.value;
    const value = await this.ask();
    this.remember(value);
    return value;
  }

  async deliver(request: StoredCase, shown: RequestShown): Promise<MessageRef> {
    const mentions = await this.approverMentions().catch((error: unknown) => {
      this.logger.warn({ err: describeSlackError(error) }, "could not read the approvers to mention");
      return [];
    });
    const message = approvalMessage(request, { approvers: mentions, notices: shown.notices, gdap: shown.gdap });
    return this.postCard(message, "an approval request");
  }

  /**
   * Posts a card in the approvals channel (a case's approval request, a batch request): what Slack
   * answered is remembered for /readyz, and a refusal is worded for the requester.
   */
  async postCard(message: { text: string; blocks: Block[] }, what = "a batch request"): Promise<MessageRef> {
    try {
      const posted = await this.client.chat.postMessage({ channel: this.channelId, text: message.text, blocks: message.blocks });
      if (!posted.ts) throw new Error("Slack gave no message timestamp");
      this.remember({ ok: true });
      return { channelId: posted.channel ?? this.channelId, ts: posted.ts };
    } catch (error) {
      const code = slackErrorCode(error);
      if (code) this.remember({ ok: false, problem: problemFor(this.channelId, code) });
      this.logger.error({ channel: this.channelId, err: describeSlackError(error) }, `could not post ${what}`);
      throw new ApprovalNotDelivered(code ? problemFor(this.channelId, code) : `Slack did not take the message (${describeSlackError(error)}).`);
    }
  }

  /** A request posted but not saved (the case moved at the same moment) is taken down again. */
  async retract(message: MessageRef): Promise<void> {
    await this.client.chat.delete({ channel: message.channelId, ts: message.ts });
  }

  private remember(value: ChannelState): void {
    const before = this.state?.value;
    this.state = { at: Date.now(), value };
    // said plainly, once, when it stops working (at start-up too), so whoever runs the app sees it
    if (!value.ok && before?.ok !== false) this.logger.error({ channel: this.channelId }, `Approval requests cannot be posted: ${value.problem ?? "unknown reason"}`);
    else if (value.ok && before?.ok === false) this.logger.info({ channel: this.channelId }, "Approval requests can be posted again");
  }

  private async ask(): Promise<ChannelState> {
    try {
      const parsed = channelInfo.safeParse(await this.client.conversations.info({ channel: this.channelId }));
      if (!parsed.success) return { ok: false, problem: `Slack's answer about ${this.channelId} could not be read.` };
      const channel = parsed.data.channel;
      if (channel.is_archived) return { ok: false, problem: problemFor(this.channelId, "is_archived") };
      if (channel.is_im || channel.is_mpim) return { ok: false, problem: `${this.channelId} is a direct message, not a channel. Set APPROVAL_CHANNEL_ID to a channel.` };
      // a public channel takes posts without the bot joining (chat:write.public); a private one does not
      if (channel.is_private && !channel.is_member) return { ok: false, problem: problemFor(this.channelId, "not_in_channel") };
      return { ok: true };
    } catch (error) {
      const code = slackErrorCode(error);
      return { ok: false, problem: code ? problemFor(this.channelId, code) : `Could not ask Slack about ${this.channelId}: ${describeSlackError(error)}.` };
    }
  }
}
