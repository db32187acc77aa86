// Every button goes through ONE Bolt listener that dispatches on action_id: Bolt runs every
// listener's middleware for every request it receives, and a listener per button made that a
// dozen chains per request (part of reaching the ack bench's 200 requests a second). In the
// request's turn a press is only checked, persisted as a durable job and acknowledged; its
// handler runs when the job runner works the job (interaction-jobs.ts).
import { performance } from "node:perf_hooks";
import type { App } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import type { Logger } from "../../logger";
import { metrics } from "../../metrics";
import { type InteractionJobs, interactionKey } from "../interaction-jobs";
import { decodeValue } from "../slack-inputs";
import { HAND_MADE, NOT_TAKEN, type Reply, ephemeral } from "./replies";

export interface ButtonPress<T> {
  value: T;
  userId: string;
  channelId: string;
  client: WebClient;
  respond: Reply;
  triggerId: string;
  /** the message's input state as Slack sent it with the press (ticked boxes); unparsed */
  state: unknown;
}

interface Button {
  valid(raw: string | undefined): boolean;
  /** false when the value does not decode */
  run(raw: string, press: Omit<ButtonPress<unknown>, "value">): Promise<boolean>;
}

export class ButtonDispatcher {
  private readonly buttons = new Map<string, Button>();

  constructor(
    private readonly jobs: InteractionJobs,
    private readonly client: WebClient,
    private readonly logger: Logger,
  ) {
    jobs.on("button", async (press, reply) => {
      const context = { userId: press.userId, channelId: press.channelId, client: this.client, respond: reply, triggerId: press.triggerId, state: press.state };
      // checked before the job was made; a stored press that no longer decodes is refused, not guessed at
      const ran = (await this.buttons.get(press.actionId)?.run(press.value, context)) ?? false;
      if (!ran) await reply(ephemeral(HAND_MADE));
    });
  }

  /** A button: its value decoded strictly when pressed and again when worked; failures are retried by the job runner. */
  on<T>(actionId: string, schema: Parameters<typeof decodeValue<T>>[0], handle: (press: ButtonPress<T>) => Promise<void>): void {
    if (this.buttons.has(actionId)) throw new Error(`button ${actionId} has two handlers`);
    this.buttons.set(actionId, {
      valid: (raw) => decodeValue(schema, raw) !== null,
      run: async (raw, press) => {
        const value = decodeValue(schema, raw);
        if (value === null) return false;
        await handle({ ...press, value });
        return true;
      },
    });
  }

  /** Registers the one Bolt listener for every button added so far. */
  install(app: App): void {
    const buttonIds = [...this.buttons.keys()];
    if (!buttonIds.every((id) => /^[a-z_]+$/.test(id))) throw new Error("action ids must be plain identifiers");
    app.action(new RegExp(`^(?:${buttonIds.join("|")})$`), async ({ ack, body, action }) => {
      const started = performance.now();
      const actionId = "action_id" in action ? action.action_id : "";
      const raw = action.type === "button" ? action.value : undefined;
      const channelId = "channel" in body && body.channel ? body.channel.id : "";
      // Home-tab buttons come without a response_url: those are answered by direct message
      const responseUrl = "response_url" in body && typeof body.response_url === "string" && body.response_url !== "" ? body.response_url : null;
      // the message's boxes as the presser left them travel with the press (an approval's GDAP choice)
      const state: unknown = "state" in body ? body.state : undefined;
      const press = { type: "button" as const, actionId, value: raw ?? "", userId: body.user.id, channelId, responseUrl, triggerId: "trigger_id" in body ? body.trigger_id : "", state };
      const valid = this.buttons.get(actionId)?.valid(raw) ?? false;
      const accepted = valid && (await this.jobs.accept(interactionKey(body), press));
      await ack();
      metrics.ack("block_action", performance.now() - started);
      if (accepted) return;
      if (!valid) this.logger.warn({ actionId, user: body.user.id }, "refused a button with invalid data");
      await this.jobs.replyTo(press)(ephemeral(valid ? NOT_TAKEN : HAND_MADE));
    });
  }
}
