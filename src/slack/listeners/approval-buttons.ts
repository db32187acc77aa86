// The buttons on an approval request (and the Home tab's copies): approve, reject (which asks
// for a reason in a modal, see reject-modal.ts), and retry a failed removal.
import { escapeText } from "../blocks/block-kit";
import { rejectModal } from "../blocks/approval-message";
import { ACTIONS, caseValue, readGdapChoice } from "../slack-inputs";
import type { ButtonDispatcher } from "./button-dispatcher";
import type { ListenerDeps } from "./listener-deps";
import { HAND_MADE, ephemeral, report } from "./replies";

export function registerApprovalButtons(buttons: ButtonDispatcher, deps: ListenerDeps): void {
  const { workflow } = deps;

  buttons.on(ACTIONS.approve, caseValue, async ({ value, userId, client, respond, state }) => {
    // the box as the approver left it; the Home tab has none, and the default (end them) holds
    const endGdap = readGdapChoice(state);
    if (endGdap === null) return void (await respond(ephemeral(HAND_MADE)));
    const result = await report(respond, await workflow.approve(userId, value.c, { endGdap }));
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

  buttons.on(ACTIONS.retryRemoval, caseValue, async ({ value, userId, respond }) => {
    const result = await report(respond, await workflow.retryRemoval(userId, value.c));
    if (result && result.result !== "removed") await respond(ephemeral(`Still not removed: ${escapeText(result.failure ?? result.result)}`));
  });

  buttons.on(ACTIONS.reject, caseValue, async ({ value, userId, client, respond, triggerId }) => {
    // the workflow refuses before the modal opens, so a non-approver is not asked for a reason first
    const c = await report(respond, await workflow.checkRejection(userId, value.c));
    if (c) await client.views.open({ trigger_id: triggerId, view: rejectModal(c.id, c.companyName) });
  });
}
