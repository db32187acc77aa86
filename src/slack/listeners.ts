// Bolt listeners: parse the request, acknowledge at once, then call a use case and render.
// Nothing here decides what is allowed (the workflow and the domain do) or writes the store
// (the workflow does).
import type { AllMiddlewareArgs, App, RespondArguments, SlackActionMiddlewareArgs } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import type { Customer } from "../domain";
import type { Logger } from "../logger";
import type { CaseView, DirectorySync, OffboardingWorkflow, Outcome, UseCaseRefusal } from "../workflow";
import { approvalMessage, rejectModal } from "./blocks/approval-message";
import { escapeText } from "./blocks/block-kit";
import { caseMessage } from "./blocks/case-message";
import { auditMessage, helpMessage, homeView, pickerMessage, statusMessage } from "./blocks/info-messages";
import type { SlackMessageUpdater } from "./message-updater";
import type { PostAckQueue } from "./post-ack-queue";
import { type RequestKeys, dropHandledRetries } from "./retry-dedupe";
import { ACTIONS, REJECT_MODAL, REJECT_REASON_BLOCK, REJECT_REASON_INPUT, caseValue, customerValue, decodeValue, itemValue, jobValue, parseOffboardCommand } from "./slack-inputs";

export interface ListenerDeps {
  workflow: OffboardingWorkflow;
  directory: DirectorySync;
  /** the keys of Slack requests already handled, so a retry of one is dropped */
  requestKeys: RequestKeys;
  updater: SlackMessageUpdater;
  approvalChannelId: string;
  logger: Logger;
  /** where acknowledged requests wait to be worked */
  queue: PostAckQueue;
}

/** Answers the user privately: through response_url where Slack gave one, else by direct message. */
type Reply = (message: string | RespondArguments) => Promise<unknown>;

const ephemeral = (text: string) => ({ response_type: "ephemeral" as const, replace_original: false, text });
type ActionArgs = SlackActionMiddlewareArgs & AllMiddlewareArgs;

const RESTARTING = "The app is restarting, so this was not done. Please try again in a minute.";
const HAND_MADE = "That button's data is not valid, so nothing was done. Use the buttons on the latest message.";

/**
 * A refusal in Slack's words: the workflow returns plain text and parameters; the mentions and
 * command hints are ours. Outside text in it (company names, reasons, errors) is escaped.
 */
export function refusalText(refusal: UseCaseRefusal): string {
  const decided = refusal.decided;
  if (decided) {
    return decided.decision === "approved"
      ? `<@${decided.decidedBy}> already approved this removal; the case is ${decided.state.replace("_", " ")}.`
      : `<@${decided.decidedBy}> already rejected this removal${decided.reason ? `: ${escapeText(decided.reason)}` : "."}`;
  }
  if (refusal.code === "no_relationship" && refusal.customer) {
    return `${escapeText(refusal.message)} Use \`/offboard relink ${escapeText(refusal.customer.domain)}\` to request a new one.`;
  }
  return escapeText(refusal.message);
}

export function registerListeners(app: App, deps: ListenerDeps): void {
  const { workflow, directory, updater, logger } = deps;
  const { queue } = deps;
  app.use(dropHandledRetries(deps.requestKeys, logger));

  /** Posts (or refreshes) the case message in the channel the operator is working in. */
  async function showCase(client: WebClient, channelId: string, view: CaseView): Promise<void> {
    const message = caseMessage(view);
    const existing = view.removalCase.caseMessage;
    if (existing) {
      await client.chat.update({ channel: existing.channelId, ts: existing.ts, text: message.text, blocks: message.blocks });
      if (existing.channelId === channelId) {
        updater.remember(view);
        return;
      }
    }
    const posted = await client.chat.postMessage({ channel: channelId, text: message.text, blocks: message.blocks });
    if (posted.ts && posted.channel) {
      const ref = { channelId: posted.channel, ts: posted.ts };
      const placed = await workflow.placeCaseMessage(view.removalCase.id, existing, ref);
      if (placed.placed) {
        view.removalCase.caseMessage = ref;
      } else {
        // another request (a second /offboard, another operator) posted this case's message in
        // the meantime: keep that one, the one that gets updated, and take ours away
        await client.chat.delete({ channel: ref.channelId, ts: ref.ts });
        if (placed.current) await client.chat.update({ channel: placed.current.channelId, ts: placed.current.ts, text: message.text, blocks: message.blocks });
        view.removalCase.caseMessage = placed.current;
      }
    }
    updater.remember(view);
  }

  async function resolveCustomer(query: string, respond: Reply): Promise<Customer | null> {
    const matches = await directory.search(query, 10);
    if (matches.length === 0) {
      await respond(ephemeral(`No customer matches “${escapeText(query)}”. Try part of the company name, the domain (contoso.onmicrosoft.com) or the tenant id.`));
      return null;
    }
    if (matches.length > 1) {
      await respond({ response_type: "ephemeral", replace_original: false, ...pickerMessage(query, matches) });
      return null;
    }
    return matches[0] ?? null;
  }

  async function openCaseFor(userId: string, channelId: string, tenantId: string, client: WebClient, respond: Reply): Promise<void> {
    const result = await workflow.startCase(userId, tenantId);
    if (!result.ok) return void (await respond(ephemeral(refusalText(result.refusal))));
    await showCase(client, channelId, result.value);
  }

  app.command("/offboard", async ({ command, ack, respond, client }) => {
    await ack();
    await queue.run(() => handleCommand(command, respond, client), () => respond(ephemeral(RESTARTING)));
  });

  async function handleCommand(command: { text?: string; user_id: string; channel_id: string }, respond: Reply, client: WebClient): Promise<void> {
    const parsed = parseOffboardCommand(command.text ?? "");
    try {
      switch (parsed.kind) {
        case "help":
          return void (await respond({ response_type: "ephemeral", ...helpMessage() }));
        case "invalid":
          return void (await respond({ response_type: "ephemeral", ...helpMessage(parsed.problem) }));
        case "status":
          return void (await respond({ response_type: "ephemeral", ...statusMessage(await workflow.listOpenCases()) }));
        case "audit": {
          const customer = await resolveCustomer(parsed.query, respond);
          if (customer) await respond({ response_type: "ephemeral", ...auditMessage(customer, await workflow.auditTrail(customer.tenantId)) });
          return;
        }
        case "relink": {
          const customer = await resolveCustomer(parsed.query, respond);
          if (!customer) return;
          const link = await workflow.relinkUrl(command.user_id, customer.tenantId);
          return void (await respond(
            ephemeral(link.ok ? `Send this link to *${escapeText(customer.companyName)}* to request (re-establish) a reseller relationship:\n${link.value}` : refusalText(link.refusal)),
          ));
        }
        case "find": {
          const customer = await resolveCustomer(parsed.query, respond);
          if (customer) await openCaseFor(command.user_id, command.channel_id, customer.tenantId, client, respond);
          return;
        }
      }
    } catch (error) {
      logger.error({ err: String(error), command: "/offboard" }, "command failed");
      await respond(ephemeral("Something went wrong on our side; nothing was changed. Please try again in a minute."));
    }
  }

  const buttons = new Map<string, (args: ActionArgs) => Promise<void>>();

  /** Every button: ack first, decode its value strictly, run the use case, report refusals privately. */
  function onButton<T>(actionId: string, schema: Parameters<typeof decodeValue<T>>[0], handle: (input: { value: T; userId: string; channelId: string; client: WebClient; respond: Reply; triggerId: string }) => Promise<void>) {
    buttons.set(actionId, async ({ ack, body, action, respond, client }) => {
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
        logger.warn({ actionId, user: body.user.id }, "refused a button with invalid data");
        return void (await reply(ephemeral(HAND_MADE)));
      }
      await queue.run(async () => {
        try {
          await handle({ value, userId: body.user.id, channelId, client, respond: reply, triggerId });
        } catch (error) {
          logger.error({ err: String(error), actionId }, "action failed");
          await reply(ephemeral("Something went wrong on our side. Press Re-check to see where things stand."));
        }
      }, () => reply(ephemeral(RESTARTING)));
    });
  }

  async function report<T>(respond: Reply, outcome: Outcome<T>): Promise<T | null> {
    if (outcome.ok) return outcome.value;
    await respond(ephemeral(refusalText(outcome.refusal)));
    return null;
  }

  onButton(ACTIONS.pickCustomer, customerValue, async ({ value, userId, channelId, client, respond }) => {
    await openCaseFor(userId, channelId, value.t, client, respond);
  });

  onButton(ACTIONS.suspendSubscription, itemValue, async ({ value, userId, respond }) => {
    const view = await report(respond, await workflow.changeSubscription(userId, value.c, value.i, "suspend"));
    if (view) updater.remember(view);
  });

  onButton(ACTIONS.cancelSubscription, itemValue, async ({ value, userId, respond }) => {
    const view = await report(respond, await workflow.changeSubscription(userId, value.c, value.i, "cancel"));
    if (view) updater.remember(view);
  });

  onButton(ACTIONS.cancelSoftware, itemValue, async ({ value, userId, respond }) => {
    await report(respond, await workflow.cancelSoftwarePurchase(userId, value.c, value.i));
  });

  onButton(ACTIONS.suspendAll, caseValue, async ({ value, userId, respond }) => {
    const started = await report(respond, await workflow.suspendAll(userId, value.c));
    if (started?.joined) await respond(ephemeral(`Suspend all is already running for this case (${started.queued} subscriptions); progress shows on the case message.`));
  });

  onButton(ACTIONS.retryFailed, jobValue, async ({ value, userId, respond }) => {
    await report(respond, await workflow.retryFailedJobItems(userId, value.c, value.j));
  });

  onButton(ACTIONS.recheck, caseValue, async ({ value, userId, respond }) => {
    await report(respond, await workflow.recheck(userId, value.c));
  });

  onButton(ACTIONS.cancelCase, caseValue, async ({ value, userId, respond }) => {
    await report(respond, await workflow.cancelCase(userId, value.c));
  });

  onButton(ACTIONS.requestRemoval, caseValue, async ({ value, userId, client, respond }) => {
    const view = await report(respond, await workflow.requestRemoval(userId, value.c));
    if (!view) return;
    const message = approvalMessage(view.removalCase);
    const posted = await client.chat.postMessage({ channel: deps.approvalChannelId, text: message.text, blocks: message.blocks });
    if (posted.ts && posted.channel) await workflow.placeApprovalMessage(view.removalCase.id, { channelId: posted.channel, ts: posted.ts });
    await respond(ephemeral(`Removal requested. An approver has been asked in <#${deps.approvalChannelId}>.`));
  });

  onButton(ACTIONS.approve, caseValue, async ({ value, userId, client, respond }) => {
    const result = await report(respond, await workflow.approve(userId, value.c));
    if (!result) return;
    const c = result.removalCase;
    if (result.result === "reopened") {
      await respond(ephemeral(`Nothing was removed: Partner Center shows items blocking removal of ${escapeText(c.companyName)} again. The case is open again.`));
    } else if (result.result === "failed") {
      await respond(ephemeral(`Removal of ${escapeText(c.companyName)} failed: ${escapeText(result.failure ?? c.failureReason ?? "unknown reason")}`));
    } else if (c.caseMessage) {
      const link = result.relinkUrl ? `<${result.relinkUrl}|Request a reseller relationship>` : "Use `/offboard relink` for the link.";
      await client.chat.postMessage({
        channel: c.caseMessage.channelId,
        thread_ts: c.caseMessage.ts,
        text: `:white_check_mark: The reseller relationship with ${escapeText(c.companyName)} is removed. Next step, if you work together again: ${link}`,
      });
    }
  });

  onButton(ACTIONS.retryRemoval, caseValue, async ({ value, userId, respond }) => {
    const result = await report(respond, await workflow.retryRemoval(userId, value.c));
    if (result && result.result !== "removed") await respond(ephemeral(`Still not removed: ${escapeText(result.failure ?? result.result)}`));
  });

  onButton(ACTIONS.reject, caseValue, async ({ value, userId, client, respond, triggerId }) => {
    // the workflow refuses before the modal opens, so a non-approver is not asked for a reason first
    const c = await report(respond, await workflow.checkRejection(userId, value.c));
    if (c) await client.views.open({ trigger_id: triggerId, view: rejectModal(c.id, c.companyName) });
  });

  // One Bolt listener for all the buttons, dispatching on action_id: Bolt runs every listener's
  // middleware for every request it receives, and a listener per button made that a dozen chains.
  const buttonIds = [...buttons.keys()];
  if (!buttonIds.every((id) => /^[a-z_]+$/.test(id))) throw new Error("action ids must be plain identifiers");
  app.action(new RegExp(`^(?:${buttonIds.join("|")})$`), async (args) => {
    const actionId = "action_id" in args.action ? args.action.action_id : "";
    await buttons.get(actionId)?.(args);
  });

  app.view(REJECT_MODAL, async ({ ack, view, body, client }) => {
    const target = decodeValue(caseValue, view.private_metadata);
    const reason = view.state.values[REJECT_REASON_BLOCK]?.[REJECT_REASON_INPUT]?.value ?? "";
    if (!target) return void (await ack({ response_action: "errors", errors: { [REJECT_REASON_BLOCK]: HAND_MADE } }));
    if (reason.trim().length < 3) return void (await ack({ response_action: "errors", errors: { [REJECT_REASON_BLOCK]: "Please give a reason of at least a few words." } }));
    await ack();
    await queue.run(async () => {
      const result = await workflow.reject(body.user.id, target.c, reason);
      if (!result.ok) {
        await client.chat.postEphemeral({ channel: deps.approvalChannelId, user: body.user.id, text: refusalText(result.refusal) });
      }
    }, () => client.chat.postEphemeral({ channel: deps.approvalChannelId, user: body.user.id, text: `${RESTARTING} Your rejection was not recorded.` }));
  });

  app.event("app_home_opened", async ({ event, client }) => {
    if (event.tab !== "home") return;
    await queue.run(async () => client.views.publish({ user_id: event.user, view: homeView(await workflow.homeFor(event.user)) }));
  });
}
