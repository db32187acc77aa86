// The buttons on an approval request (and the Home tab's copies): approve (behind a confirm
// dialog everywhere), reject (which opens its modal at once, see modal-submissions.ts), and retry a
// failed removal. Each names the request it was shown for; an older card decides nothing.
import { rejectModal, noticeModal } from "../blocks/modals";
import { outside } from "../blocks/block-kit";
import { ACTIONS, caseValue, numberOf, readGdapChoice, requestValue, stampDate } from "../slack-inputs";
import type { ButtonDispatcher } from "./button-dispatcher";
import type { ListenerDeps } from "./listener-deps";
import { HAND_MADE, ephemeral, refusalText, report } from "./replies";

export function registerApprovalButtons(buttons: ButtonDispatcher, deps: ListenerDeps): void {
  const { workflow } = deps;

  buttons.on(ACTIONS.approve, requestValue, async ({ value, userId, respond, state, actionId }) => {
    // the box next to this Approve as the approver left it (the Home tab numbers one per request);
    // none at all is refused by the workflow when the app ends GDAP relationships, never defaulted
    const endGdap = readGdapChoice(state, numberOf(actionId), value);
    if (endGdap === null) return void (await respond(ephemeral(HAND_MADE)));
    const result = await report(respond, await workflow.approve(userId, value.c, { endGdap, requestedAt: stampDate(value.r) }));
    if (!result) return;
    const name = outside(result.removalCase.companyName, 150);
    if (result.result === "reopened") {
      await respond(ephemeral(`Nothing was removed: Partner Center shows items blocking removal of ${name} again. The case is open again.`));
    } else if (result.result === "failed") {
      await respond(ephemeral(`Removal of ${name} failed: ${outside(result.failure ?? result.removalCase.failureReason ?? "unknown reason", 500)}`));
    }
  });

  buttons.on(ACTIONS.retryRemoval, caseValue, async ({ value, userId, respond }) => {
    const result = await report(respond, await workflow.retryRemoval(userId, value.c));
    if (result && result.result !== "removed") await respond(ephemeral(`Still not removed: ${outside(result.failure ?? result.result, 500)}`));
  });

  // the modal opens first; whether this person may reject is checked after, and said in the modal
  buttons.opens(ACTIONS.reject, requestValue, (value) => rejectModal(value.c, value.r), async ({ value, userId, client, viewId }) => {
    const check = await workflow.checkRejection(userId, value.c, stampDate(value.r));
    if (!check.ok && viewId) await client.views.update({ view_id: viewId, view: noticeModal("Cannot reject", refusalText(check.refusal)) });
  });
}
