// Batch removal in Slack: "Request batch removal…" (on the scan's result and the Home tab) opens
// its modal at once and fills in the latest scan's candidates after; the submission is checked in
// the modal, then becomes a durable job that posts the card. On the card: Approve batch (behind a
// confirm dialog, with the card's "Also end GDAP relationships" box), Take out… and Reject, each
// deciding through the workflow.
import type { App } from "@slack/bolt";
import { batchRejectModal, batchRequestModal, loadingModal, takeOutModal } from "../blocks/batch-messages";
import { noticeModal } from "../blocks/modals";
import { interactionKey } from "../interaction-jobs";
import {
  ACTIONS,
  BATCH_CUSTOMERS_BLOCK,
  BATCH_CUSTOMERS_INPUT,
  BATCH_MODAL,
  BATCH_REJECT_MODAL,
  BATCH_TAKE_OUT_MODAL,
  JUSTIFICATION_BLOCK,
  JUSTIFICATION_INPUT,
  REJECT_REASON_BLOCK,
  REJECT_REASON_INPUT,
  batchValue,
  decodeValue,
  noValue,
  readGdapChoice,
  readSelected,
} from "../slack-inputs";
import type { ButtonDispatcher } from "./button-dispatcher";
import { ANSWER_IN_MODAL_MS, fieldError, typed, within } from "./modal-answers";
import type { ListenerDeps } from "./listener-deps";
import { HAND_MADE, NOT_TAKEN, ephemeral, refusalText, report } from "./replies";

export function registerBatchButtons(buttons: ButtonDispatcher, deps: ListenerDeps): void {
  const { workflow } = deps;

  buttons.opens(ACTIONS.requestBatch, noValue, () => loadingModal("Request batch removal"), async ({ userId, client, viewId }) => {
    const candidates = await workflow.batchCandidates(userId);
    if (!viewId) return;
    if (!candidates.ok) return void (await client.views.update({ view_id: viewId, view: noticeModal("Cannot request", refusalText(candidates.refusal)) }));
    if (candidates.value.customers.length === 0) return void (await client.views.update({ view_id: viewId, view: noticeModal("Nothing to request", "The latest scan found no ready or suspend-only customer.") }));
    await client.views.update({ view_id: viewId, view: batchRequestModal(candidates.value) });
  });

  buttons.on(ACTIONS.approveBatch, batchValue, async ({ value, userId, respond, state }) => {
    // the card's GDAP box as the approver left it; none at all is refused by the workflow when the
    // app ends GDAP relationships, never defaulted
    const endGdap = readGdapChoice(state);
    if (endGdap === null) return void (await respond(ephemeral(HAND_MADE)));
    const approved = await report(respond, await workflow.approveBatch(userId, value.b, { endGdap }));
    if (approved) await respond(ephemeral(`Approved. Each of the ${approved.members.filter((m) => !m.takenOut).length} customers is checked in Partner Center again, then removed; the card shows each one's outcome.`));
  });

  buttons.opens(ACTIONS.takeOutBatch, batchValue, () => loadingModal("Take out of batch"), async ({ value, client, viewId }) => {
    const view = await workflow.batchView(value.b);
    if (!viewId) return;
    if (!view || view.batch.state !== "awaiting_approval") return void (await client.views.update({ view_id: viewId, view: noticeModal("Cannot take out", "This batch is no longer waiting for a decision.") }));
    await client.views.update({ view_id: viewId, view: takeOutModal(view) });
  });

  buttons.opens(ACTIONS.rejectBatch, batchValue, (value) => batchRejectModal(value.b), async () => undefined);
}

export function registerBatchModals(app: App, deps: ListenerDeps): void {
  const { workflow, interactions, approvalChannelId, client } = deps;

  interactions.on("batch", async ({ userId, selected, justification }, tell) => {
    const requested = await workflow.requestBatch(userId, selected, justification);
    if (!requested.ok) return void (await tell(`The batch was not requested. ${refusalText(requested.refusal)}`));
    await tell(`Removal of ${requested.value.members.length} customers requested. Approvers were asked in <#${approvalChannelId}>; you will hear here how each one ends.`);
  });

  app.view(BATCH_MODAL, async ({ ack, view, body }) => {
    const userId = body.user.id;
    const selected = readSelected(view.state.values, BATCH_CUSTOMERS_BLOCK, BATCH_CUSTOMERS_INPUT);
    const justification = typed(view.state.values, JUSTIFICATION_BLOCK, JUSTIFICATION_INPUT);
    const errors = (block: string, text: string) => ack({ response_action: "errors", errors: { [block]: text } });
    if (!selected) return void (await errors(BATCH_CUSTOMERS_BLOCK, HAND_MADE));
    const check = await within(ANSWER_IN_MODAL_MS, workflow.checkBatchRequest(userId, selected, justification));
    if (check !== "late" && !check.ok) return void (await errors(check.refusal.code === "justification_required" ? JUSTIFICATION_BLOCK : BATCH_CUSTOMERS_BLOCK, fieldError(check)));
    const accepted = await interactions.accept(interactionKey(body), { type: "batch", selected, justification, userId, teamId: body.user.team_id });
    if (!accepted) return void (await errors(BATCH_CUSTOMERS_BLOCK, NOT_TAKEN));
    await ack();
  });

  app.view(BATCH_TAKE_OUT_MODAL, async ({ ack, view, body }) => {
    const target = decodeValue(batchValue, view.private_metadata);
    const chosen = readSelected(view.state.values, BATCH_CUSTOMERS_BLOCK, BATCH_CUSTOMERS_INPUT);
    const errors = (text: string) => ack({ response_action: "errors", errors: { [BATCH_CUSTOMERS_BLOCK]: text } });
    if (!target || !chosen) return void (await errors(HAND_MADE));
    const taking = workflow.takeOutOfBatch(body.user.id, target.b, chosen);
    const answer = await within(ANSWER_IN_MODAL_MS, taking);
    if (answer !== "late") return void (await (answer.ok ? ack() : errors(fieldError(answer))));
    await ack();
    const late = await taking;
    if (!late.ok) await client.chat.postMessage({ channel: body.user.id, text: `Nobody was taken out of the batch: ${refusalText(late.refusal)}` });
  });

  app.view(BATCH_REJECT_MODAL, async ({ ack, view, body }) => {
    const target = decodeValue(batchValue, view.private_metadata);
    const reason = typed(view.state.values, REJECT_REASON_BLOCK, REJECT_REASON_INPUT);
    const errors = (text: string) => ack({ response_action: "errors", errors: { [REJECT_REASON_BLOCK]: text } });
    if (!target) return void (await errors(HAND_MADE));
    if (reason.trim().length < 3) return void (await errors("Please give a reason of at least a few words."));
    const rejecting = workflow.rejectBatch(body.user.id, target.b, reason);
    const answer = await within(ANSWER_IN_MODAL_MS, rejecting);
    if (answer !== "late") return void (await (answer.ok ? ack() : errors(fieldError(answer))));
    await ack();
    const late = await rejecting;
    if (!late.ok) await client.chat.postMessage({ channel: body.user.id, text: `Your rejection was not recorded: ${refusalText(late.refusal)}` });
  });
}
