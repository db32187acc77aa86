// Every button goes through ONE Bolt listener that dispatches on action_id: Bolt runs every
// listener's middleware for every request it receives, and a listener per button made that a
// dozen chains per request (part of reaching the ack bench's 200 requests a second).
import type { AllMiddlewareArgs, App, SlackActionMiddlewareArgs } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import type { Logger } from "../../logger";
import type { PostAckQueue } from "../post-ack-queue";
import { decodeValue } from "../slack-inputs";
import { HAND_MADE, RESTARTING, type Reply, ephemeral } from "./replies";

type ActionArgs = SlackActionMiddlewareArgs & AllMiddlewareArgs;

export interface ButtonPress<T> {
  value: T;
  userId: string;
  channelId: string;
  client: WebClient;
  respond: Reply;
  triggerId: string;
}

export class ButtonDispatcher {
  private readonly buttons = new Map<string, (args: ActionArgs) => Promise<void>>();

  constructor(
    private readonly queue: PostAckQueue,
    private readonly logger: Logger,
  ) {}

  /** A button: ack first, decode its value strictly, run the handler after the ack, report failures privately. */
  on<T>(actionId: string, schema: Parameters<typeof decodeValue<T>>[0], handle: (press: ButtonPress<T>) => Promise<void>): void {
    if (this.buttons.has(actionId)) throw new Error(`button ${actionId} has two handlers`);
    this.buttons.set(actionId, async ({ ack, body, action, respond, client }) => {
      await ack();
      const raw = action.type === "button" ? action.value : undefined;
      const value = decodeValue(schema, raw);
      const channelId = "channel" in body && body.channel ? body.channel.id : "";
      const triggerId = "trigger_id" in body ? body.trigger_id : "";
      // Home-tab buttons come without a response_url: answer those in a direct message instead
      const hasResponseUrl = "response_url" in body && typeof body.response_url === "string" && body.response_url !== "";
      const reply: Reply = hasResponseUrl
        ? respond
        : async (message) => {
            const text = typeof message === "string" ? message : (message.text ?? "");
            await client.chat.postMessage({ channel: body.user.id, text });
          };
      if (!value) {
        this.logger.warn({ actionId, user: body.user.id }, "refused a button with invalid data");
        return void (await reply(ephemeral(HAND_MADE)));
      }
      await this.queue.run(
        async () => {
          try {
            await handle({ value, userId: body.user.id, channelId, client, respond: reply, triggerId });
          } catch (error) {
            this.logger.error({ err: String(error), actionId }, "action failed");
            await reply(ephemeral("Something went wrong on our side. Press Re-check to see where things stand."));
          }
        },
        () => reply(ephemeral(RESTARTING)),
      );
    });
  }

  /** Registers the one Bolt listener for every button added so far. */
  install(app: App): void {
    const buttonIds = [...this.buttons.keys()];
    if (!buttonIds.every((id) => /^[a-z_]+$/.test(id))) throw new Error("action ids must be plain identifiers");
    app.action(new RegExp(`^(?:${buttonIds.join("|")})$`), async (args) => {
      const actionId = "action_id" in args.action ? args.action.action_id : "";
      await this.buttons.get(actionId)?.(args);
    });
  }
}
