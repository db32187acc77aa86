// The buttons on a case message: clearing blockers one by one or all at once, retrying a job's
// failed items, re-checking, closing the case, and asking an approver for removal.
import type { ButtonDispatcher } from "./button-dispatcher";
import type { ListenerDeps } from "./listener-deps";
import { ephemeral, report } from "./replies";
import { ACTIONS, caseValue, itemValue, jobValue } from "../slack-inputs";
import { approvalMessage } from "../blocks/approval-message";

export function registerCaseButtons(buttons: ButtonDispatcher, deps: ListenerDeps): void {
  const { workflow, updater, approvalChannelId } = deps;

  buttons.on(ACTIONS.suspendSubscription, itemValue, async ({ value, userId, respond }) => {
    const view = await report(respond, await workflow.changeSubscription(userId, value.c, value.i, "suspend"));
    if (view) updater.remember(view);
  });

  buttons.on(ACTIONS.cancelSubscription, itemValue, async ({ value, userId, respond }) => {
    const view = await report(respond, await workflow.changeSubscription(userId, value.c, value.i, "cancel"));
    if (view) updater.remember(view);
  });

  buttons.on(ACTIONS.turnOffAutoRenew, itemValue, async ({ value, userId, respond }) => {
    const view = await report(respond, await workflow.changeSubscription(userId, value.c, value.i, "turn_off_auto_renew"));
    if (view) updater.remember(view);
  });

  buttons.on(ACTIONS.suspendPlan, itemValue, async ({ value, userId, respond }) => {
    const view = await report(respond, await workflow.changeSubscription(userId, value.c, value.i, "suspend_plan"));
    if (view) updater.remember(view);
  });

  buttons.on(ACTIONS.cancelSoftware, itemValue, async ({ value, userId, respond }) => {
    await report(respond, await workflow.cancelSoftwarePurchase(userId, value.c, value.i));
  });

  buttons.on(ACTIONS.suspendAll, caseValue, async ({ value, userId, respond }) => {
    const started = await report(respond, await workflow.suspendAll(userId, value.c));
    if (started?.joined) await respond(ephemeral(`Suspend all is already running for this case (${started.queued} subscriptions); progress shows on the case message.`));
  });

  buttons.on(ACTIONS.retryFailed, jobValue, async ({ value, userId, respond }) => {
    await report(respond, await workflow.retryFailedJobItems(userId, value.c, value.j));
  });

  buttons.on(ACTIONS.retryGdap, jobValue, async ({ value, userId, respond }) => {
    const retried = await report(respond, await workflow.retryGdapEnding(userId, value.c, value.j));
    if (retried) await respond(ephemeral(`Trying again to end ${retried.requeued === 1 ? "it" : `these ${retried.requeued}`}; each one's status shows on the case message.`));
  });

  buttons.on(ACTIONS.recheck, caseValue, async ({ value, userId, respond }) => {
    await report(respond, await workflow.recheck(userId, value.c));
  });

  buttons.on(ACTIONS.cancelCase, caseValue, async ({ value, userId, respond }) => {
    await report(respond, await workflow.cancelCase(userId, value.c));
  });

  buttons.on(ACTIONS.requestRemoval, caseValue, async ({ value, userId, client, respond }) => {
    const view = await report(respond, await workflow.requestRemoval(userId, value.c));
    if (!view) return;
    const message = approvalMessage(view.removalCase, { notices: view.preconditions.notices, gdap: view.gdap });
    const posted = await client.chat.postMessage({ channel: approvalChannelId, text: message.text, blocks: message.blocks });
    if (posted.ts && posted.channel) await workflow.placeApprovalMessage(view.removalCase.id, { channelId: posted.channel, ts: posted.ts });
    await respond(ephemeral(`Removal requested. An approver has been asked in <#${approvalChannelId}>.`));
  });
}
