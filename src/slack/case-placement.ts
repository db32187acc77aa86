// Where a case message goes: where the operator typed /offboard when the bot may post there (a
// channel it is in, or any public channel with chat:write.public); else the configured default
// channel; else the app's direct message with the operator; and when even that fails, the case
// is shown to the operator privately. A case that was opened is never reported as a failure, and
// an older case message elsewhere says where the case went and loses its buttons. The same places,
// in the same order, take what else the app posts for someone (a portfolio scan's progress and
// result) and a case message whose channel the bot has lost (relocate).
import type { WebClient } from "@slack/web-api";
import type { Logger } from "../logger";
import type { MessageRef } from "../store";
import type { CaseView, OffboardingWorkflow } from "../workflow";
import { caseMessage, caseMovedMessage } from "./blocks/case-message";
import { type Block, outside } from "./blocks/block-kit";
import type { Reply } from "./listeners/replies";
import { ephemeral } from "./listeners/replies";
import type { SlackMessageUpdater } from "./message-updater";
import { cannotPostThere, describeSlackError } from "./slack-errors";

/** A message as posted: its fallback text and its blocks. */
export interface PostedBlocks {
  text: string;
  blocks: Block[];
}

export class CasePlacement {
  constructor(
    private readonly workflow: Pick<OffboardingWorkflow, "placeCaseMessage">,
    private readonly updater: Pick<SlackMessageUpdater, "remember" | "writeIfCurrent">,
    private readonly defaultChannelId: string | undefined,
    private readonly logger: Logger,
  ) {}

  /** Shows the case to `userId`, who asked for it in `channelId`. */
  async show(client: WebClient, view: CaseView, channelId: string, userId: string, respond: Reply): Promise<void> {
    const message = caseMessage(view);
    const existing = view.removalCase.caseMessage;
    if (existing?.channelId === channelId) {
      try {
        // left as it is when a newer view is on it by then (a change's refresh read after this one)
        await this.updater.writeIfCurrent(view, () => client.chat.update({ channel: existing.channelId, ts: existing.ts, text: message.text, blocks: message.blocks }));
        return;
      } catch (error) {
        // the message is gone or the bot was removed: a new one is posted below
        this.logger.info({ caseId: view.removalCase.id, err: describeSlackError(error) }, "case message could not be updated in place");
      }
    }
    let posted = await this.post(client, [channelId], message);
    if (!posted && existing && existing.channelId !== channelId) {
      // the case already has a message elsewhere: that one stays, refreshed, and the operator is pointed to it
      // (one showing a newer view is kept as it is)
      const kept = await this.updater.writeIfCurrent(view, () => client.chat.update({ channel: existing.channelId, ts: existing.ts, text: message.text, blocks: message.blocks })).then(
        () => true,
        () => false,
      );
      if (kept) {
        return void (await respond(ephemeral(pointer(view.removalCase.companyName, existing, userId))));
      }
    }
    posted ??= await this.post(client, [this.defaultChannelId, userId], message);
    if (!posted) {
      // nowhere to post: the operator still gets the case, privately (it is not kept up to date)
      await respond({ response_type: "ephemeral", replace_original: false, ...message, text: `${message.text} (shown only to you: the app cannot post here)` });
      return;
    }
    const placed = await this.workflow.placeCaseMessage(view.removalCase.id, existing, posted);
    if (placed.placed) {
      view.removalCase.caseMessage = posted;
      if (existing) await this.markMoved(client, view, existing, posted, userId);
    } else {
      // another request (a second /offboard, another operator) posted this case's message in
      // the meantime: keep that one, the one that gets updated, and take ours away
      await client.chat.delete({ channel: posted.channelId, ts: posted.ts });
      if (placed.current) await client.chat.update({ channel: placed.current.channelId, ts: placed.current.ts, text: message.text, blocks: message.blocks });
      view.removalCase.caseMessage = placed.current;
    }
    this.updater.remember(view);
    const shown = view.removalCase.caseMessage;
    if (shown && shown.channelId !== channelId) await respond(ephemeral(pointer(view.removalCase.companyName, shown, userId)));
  }

  /**
   * Posts `message` for `userId` where the bot may: `preferred` (where they asked), else the
   * default channel, else their direct messages with the app; null when none takes it.
   */
  postFor(client: WebClient, preferred: string | null, userId: string, message: PostedBlocks): Promise<MessageRef | null> {
    return this.post(client, [preferred ?? undefined, this.defaultChannelId, userId], message);
  }

  /**
   * The case message's channel no longer takes it (the bot was removed, the channel archived):
   * posts it again in the next place for the operator who opened the case, and keeps that one.
   */
  async relocate(client: WebClient, view: CaseView): Promise<MessageRef | null> {
    const c = view.removalCase;
    const lost = c.caseMessage;
    const posted = await this.post(client, [this.defaultChannelId, c.openedBy].filter((p) => p !== lost?.channelId), caseMessage(view));
    if (!posted) return null;
    const placed = await this.workflow.placeCaseMessage(c.id, lost, posted);
    if (!placed.placed) {
      // someone placed it anew in the meantime (an /offboard): theirs stands
      await client.chat.delete({ channel: posted.channelId, ts: posted.ts }).catch(() => undefined);
      c.caseMessage = placed.current;
      return placed.current;
    }
    c.caseMessage = posted;
    this.updater.remember(view);
    this.logger.info({ caseId: c.id, from: lost?.channelId, to: posted.channelId }, "the case message's channel no longer takes it; posted it again elsewhere");
    return posted;
  }

  /** Posts to the first place that takes it; null when none does. */
  private async post(client: WebClient, places: Array<string | undefined>, message: PostedBlocks): Promise<MessageRef | null> {
    for (const channel of [...new Set(places.filter((p): p is string => !!p))]) {
      try {
        const posted = await client.chat.postMessage({ channel, text: message.text, blocks: message.blocks });
        if (posted.ts) return { channelId: posted.channel ?? channel, ts: posted.ts };
      } catch (error) {
        if (!cannotPostThere(error)) throw error;
        this.logger.info({ channel, err: describeSlackError(error) }, "cannot post there; trying the next place");
      }
    }
    return null;
  }

  private async markMoved(client: WebClient, view: CaseView, from: MessageRef, to: MessageRef, userId: string): Promise<void> {
    const moved = caseMovedMessage(view.removalCase, to, userId);
    await client.chat.update({ channel: from.channelId, ts: from.ts, text: moved.text, blocks: moved.blocks }).catch((error: unknown) => {
      this.logger.info({ caseId: view.removalCase.id, err: describeSlackError(error) }, "the old case message could not be marked as moved");
    });
  }
}

function pointer(companyName: string, shown: MessageRef, userId: string): string {
  const where = shown.channelId.startsWith("D") ? `your direct messages with the app (<@${userId}>)` : `<#${shown.channelId}>`;
  return `The app cannot post in this conversation, so the case for *${outside(companyName, 150)}* is in ${where}.`;
}
