// The buttons on a case message: clearing blockers one by one or all at once, retrying a job's
// failed items, re-checking, closing the case, asking for removal (a modal that asks why, see
// modal-submissions.ts) and withdrawing the request.
import type { SubscriptionAction } from "../../domain";
import { noticeModal, requestModal } from "../blocks/modals";
import { outside } from "../blocks/block-kit";
import { ACTIONS, caseValue, itemValue, jobValue, requestValue, stampDate } from "../slack-inputs";
import type { ButtonDispatcher } from "./button-dispatcher";
import type { ListenerDeps } from "./listener-deps";
import { ephemeral, refusalText, report } from "./replies";

/** The buttons that change one subscription, and the change each asks for. */
const SUBSCRIPTION_BUTTONS: ReadonlyArray<readonly [string, SubscriptionAction]> = [
  [ACTIONS.suspendSubscription, "suspend"],
  [ACTIONS.cancelSubscription, "cancel"],
  [ACTIONS.turnOffAutoRenew, "turn_off_auto_renew"],
  [ACTIONS.suspendPlan, "suspend_plan"],
];

export function registerCaseButtons(buttons: ButtonDispatcher, deps: ListenerDeps): void {
  const { workflow, updater } = deps;

  for (const [actionId, change] of SUBSCRIPTION_BUTTONS) {
    buttons.on(actionId, itemValue, async ({ value, userId, respond }) => {
      const view = await report(respond, await workflow.changeSubscription(userId, value.c, value.i, change));
      if (view) updater.remember(view);
    });
  }

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

  // the justification modal opens first; whether the request can be made is checked after
  buttons.opens(ACTIONS.requestRemoval, caseValue, (value) => requestModal(value.c), async ({ value, userId, client, viewId }) => {
    const check = await workflow.checkRemovalRequest(userId, value.c);
    if (!check.ok && viewId) await client.views.update({ view_id: viewId, view: noticeModal("Cannot request", refusalText(check.refusal)) });
  });

  buttons.on(ACTIONS.withdrawRequest, requestValue, async ({ value, userId, respond }) => {
    const withdrawn = await report(respond, await workflow.withdrawRequest(userId, value.c, stampDate(value.r)));
    if (withdrawn) await respond(ephemeral(`You withdrew the request to remove *${outside(withdrawn.companyName, 150)}*. The case is open again.`));
  });
}
