// Every button goes through ONE Bolt listener that dispatches on action_id: Bolt runs every
// listener's middleware for every request it receives, and a listener per button made that a
// dozen chains per request (part of reaching the ack bench's 200 requests a second). In the
// request's turn a press is only checked, persisted as a durable job and acknowledged; its
// handler runs when the job runner works the job (interaction-jobs.ts). A button that opens a
// modal opens it in the request's turn instead, first thing: its trigger_id lives 3 s, and a
// queue of work ahead of it must not make it miss that.
import { performance } from "node:perf_hooks";
import type { App, types } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import type { Logger } from "../../logger";
import { metrics } from "../../metrics";
import { type Interaction, type InteractionJobs, interactionKey } from "../interaction-jobs";
import { noticeModal } from "../blocks/modals";
import { describeSlackError, slackErrorCode } from "../slack-errors";
import { actionOf, decodeValue } from "../slack-inputs";
import { HAND_MADE, NOT_TAKEN, type Reply, ephemeral } from "./replies";

export interface ButtonPress<T> {
  value: T;
  userId: string;
  channelId: string;
  client: WebClient;
  respond: Reply;
  triggerId: string;
  /** the modal the press opened, for a button registered with opens() */
  viewId?: string | undefined;
  /** the message's (or Home view's) input state as Slack sent it with the press (ticked boxes); unparsed */
  state: unknown;
  /** the action id as pressed, with the number a repeated button carries */
  actionId: string;
}

type Schema<T> = Parameters<typeof decodeValue<T>>[0];

interface Button {
  valid(raw: string | undefined): boolean;
  /** false when the value does not decode */
  run(raw: string, press: Omit<ButtonPress<unknown>, "value">): Promise<boolean>;
  /** a button that opens a modal: the view for its (valid) value */
  modal?: (raw: string) => types.View;
}

export class ButtonDispatcher {
  private readonly buttons = new Map<string, Button>();

  constructor(
    private readonly jobs: InteractionJobs,
    private readonly client: WebClient,
    private readonly logger: Logger,
  ) {
    jobs.on("button", async (press, reply) => {
      const context = { userId: press.userId, channelId: press.channelId, client: this.client, respond: reply, triggerId: press.triggerId, viewId: press.viewId, state: press.state, actionId: press.actionId };
      // checked before the job was made; a stored press that no longer decodes is refused, not guessed at
      const ran = (await this.buttons.get(actionOf(press.actionId))?.run(press.value, context)) ?? false;
      if (!ran) await reply(ephemeral(HAND_MADE));
    });
  }

  /** A button: its value decoded strictly when pressed and again when worked; failures are retried by the job runner. */
  on<T>(actionId: string, schema: Schema<T>, handle: (press: ButtonPress<T>) => Promise<void>): void {
    this.add(actionId, schema, handle);
  }

  /**
   * A button that opens a modal: the modal opens in the request's turn, and `then` (checks that
   * need the database, able to turn the modal into a notice) is worked as a job afterwards.
   */
  opens<T>(actionId: string, schema: Schema<T>, modal: (value: T) => types.View, then: (press: ButtonPress<T>) => Promise<void>): void {
    this.add(actionId, schema, then, (raw) => {
      const value = decodeValue(schema, raw);
      if (value === null) throw new Error("opens() is given only a value that decodes");
      return modal(value);
    });
  }

  /** Registers the one Bolt listener for every button added so far. */
  install(app: App): void {
    const buttonIds = [...this.buttons.keys()];
    if (!buttonIds.every((id) => /^[a-z_]+$/.test(id))) throw new Error("action ids must be plain identifiers");
    // a button repeated down a message carries a number after its action (suspend_subscription.3)
    app.action(new RegExp(`^(?:${buttonIds.join("|")})(?:\\.\\d{1,3})?$`), async ({ ack, body, action }) => {
      const started = performance.now();
      const actionId = "action_id" in action ? action.action_id : "";
      const button = this.buttons.get(actionOf(actionId));
      const raw = action.type === "button" ? action.value : undefined;
      const channelId = "channel" in body && body.channel ? body.channel.id : "";
      // Home-tab buttons come without a response_url: those are answered by direct message
      const responseUrl = "response_url" in body && typeof body.response_url === "string" && body.response_url !== "" ? body.response_url : null;
      const teamId = body.user.team_id ?? body.team?.id;
      // the boxes as the presser left them travel with the press (an approval's GDAP choice): a
      // message's in the body, a Home tab's in its view
      const state: unknown = "state" in body ? body.state : "view" in body && body.view ? body.view.state : undefined;
      const press = { type: "button" as const, actionId, value: raw ?? "", userId: body.user.id, ...(teamId ? { teamId } : {}), channelId, responseUrl, triggerId: "trigger_id" in body ? body.trigger_id : "", state };
      const valid = button?.valid(raw) ?? false;
      if (valid && button?.modal) {
        await ack();
        metrics.ack("block_action", performance.now() - started);
        return this.openModal(button.modal(press.value), press, interactionKey(body));
      }
      const accepted = valid && (await this.jobs.accept(interactionKey(body), press));
      await ack();
      metrics.ack("block_action", performance.now() - started);
      if (accepted) return;
      if (!valid) this.logger.warn({ actionId, user: body.user.id }, "refused a button with invalid data");
      await this.jobs.replyTo(press)(ephemeral(valid ? NOT_TAKEN : HAND_MADE));
    });
  }

  private add<T>(actionId: string, schema: Schema<T>, handle: (press: ButtonPress<T>) => Promise<void>, modal?: (raw: string) => types.View): void {
    if (this.buttons.has(actionId)) throw new Error(`button ${actionId} has two handlers`);
    this.buttons.set(actionId, {
      valid: (raw) => decodeValue(schema, raw) !== null,
      run: async (raw, press) => {
        const value = decodeValue(schema, raw);
        if (value === null) return false;
        await handle({ ...press, value });
        return true;
      },
      ...(modal ? { modal } : {}),
    });
  }

  /** Opens the press's modal now, then keeps its follow-up as a job that can answer in the modal. */
  private async openModal(view: types.View, press: Extract<Interaction, { type: "button" }>, key: string): Promise<void> {
    let viewId: string;
    try {
      const opened = await this.client.views.open({ trigger_id: press.triggerId, view });
      viewId = opened.view?.id ?? "";
    } catch (error) {
      // a trigger already used: this press reached us before (a second delivery), and its modal is open
      if (slackErrorCode(error) === "exchanged_trigger_id") {
        return void this.logger.info({ key, actionId: press.actionId }, "dropped a Slack retry (or second delivery) of a request already taken");
      }
      this.logger.warn({ actionId: press.actionId, err: describeSlackError(error) }, "could not open a modal");
      return void (await this.jobs.replyTo(press)(ephemeral("Slack could not open the form in time. Please press the button again.")).catch(() => undefined));
    }
    if (await this.jobs.accept(key, { ...press, viewId })) return;
    await this.client.views.update({ view_id: viewId, view: noticeModal("Not taken", NOT_TAKEN) }).catch(() => undefined);
  }
}

/** Answers a person in the app's direct message with them (posting to a user id opens it). */
export function directMessage(client: WebClient, userId: string): Reply {
  return async (message) => {
    const text = typeof message === "string" ? message : (message.text ?? "");
    const blocks = typeof message !== "string" && "blocks" in message ? message.blocks : undefined;
    await client.chat.postMessage({ channel: userId, text, ...(blocks ? { blocks } : {}) });
  };
}
